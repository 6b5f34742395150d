/**
 * Evidence photos for the demo city: for the most recent issues a 整改前 picture, and a 整改后 one
 * when the case is closed — plain synthetic scenes with the category's name and 整改前/整改后 and
 * "示例照片" written on them, so nobody mistakes them for real evidence. Their EXIF is realistic
 * (capture time near the report or the closure, GPS within a few dozen metres of the issue), and a
 * few are deliberately stale, far, taken before the report or without EXIF so every flag shows.
 * Deterministic from the seed and the imported issues.
 */
import sharp from 'sharp';
import type { Database } from '../db/database.ts';
import type { PhotoKind } from '../domain/photos.ts';
import { DAY, HOUR, MINUTE } from '../domain/time.ts';
import { exifDateTime, exifDegrees } from '../media/exif-values.ts';
import { readPhoto, type DerivedSize } from '../media/images.ts';
import { sha256, type MediaStore } from '../media/store.ts';
import { insertPhoto } from '../queries/photos.ts';
import { Rng } from './rng.ts';

const WIDTH = 480;
const HEIGHT = 360;

/** How many recent issues get photos: enough for every panel, few enough to start fast. */
export const demoPhotoIssues = (issues: number) => Math.min(1000, Math.ceil(issues / 500));

type Candidate = { id: string; category: string; name: string | null; status: string; reported_at: Date; closed_at: Date | null; lon: number; lat: number };

/** One rendered scene: its pixels, and the derived sizes every photo of it is served as. */
type Scene = { raw: Buffer; derived: Record<DerivedSize, Buffer> };

const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A synthetic scene of a category, before (clutter on the ground) or after (a clean, swept surface). */
async function renderScene(categoryName: string, kind: 'before' | 'after', rng: Rng): Promise<Scene> {
  const clutter = kind === 'before'
    ? Array.from({ length: 14 }, () => {
      const x = Math.round(rng.range(60, WIDTH - 60));
      const y = Math.round(rng.range(220, HEIGHT - 30));
      const r = Math.round(rng.range(8, 26));
      const shade = ['#6b5a45', '#8a7a60', '#4f4a44', '#9c6b3f', '#5d6b4a'][rng.int(5)];
      return rng.chance(0.5) ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${shade}"/>` : `<rect x="${x - r}" y="${y - r / 2}" width="${2 * r}" height="${r}" fill="${shade}" transform="rotate(${Math.round(rng.range(-30, 30))} ${x} ${y})"/>`;
    }).join('')
    : '<rect x="40" y="250" width="400" height="6" fill="#c9d3cc"/><rect x="40" y="290" width="400" height="6" fill="#c9d3cc"/>';
  const banner = kind === 'before' ? '#b23a2f' : '#2f7d4f';
  const label = kind === 'before' ? '整改前' : '整改后';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <rect width="${WIDTH}" height="200" fill="${kind === 'before' ? '#9fb2bf' : '#a9c7dc'}"/>
    <rect y="200" width="${WIDTH}" height="${HEIGHT - 200}" fill="${kind === 'before' ? '#8d8a80' : '#b7b5ab'}"/>
    <rect x="300" y="70" width="140" height="130" fill="#d8d2c4"/><rect x="320" y="95" width="30" height="30" fill="#7d8b96"/><rect x="390" y="95" width="30" height="30" fill="#7d8b96"/>
    ${clutter}
    <rect x="0" y="0" width="${WIDTH}" height="56" fill="${banner}" opacity="0.92"/>
    <text x="16" y="38" font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif" font-size="26" font-weight="700" fill="#ffffff">${label} · ${escapeXml(categoryName)}</text>
    <text x="${WIDTH - 16}" y="${HEIGHT - 14}" text-anchor="end" font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif" font-size="16" fill="#ffffff" opacity="0.9">示例照片 · 非真实取证 DEMO</text>
  </svg>`;
  const raw = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  const jpeg = await sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 78 }).toBuffer();
  // Served sizes come from the same reader real uploads go through.
  const { derived } = await readPhoto(jpeg, WIDTH * HEIGHT);
  return { raw, derived };
}

/** Where and when a demo photo was taken, and whether its EXIF survived. */
type Shot = { takenAt: number | null; position: [number, number] | null };

/** A plausible shot of the issue, or one of the deliberate oddities the checks must catch. */
function shotOf(c: Candidate, kind: 'before' | 'after', rng: Rng): Shot {
  const metres = (m: number) => m / 111_195;
  const roll = rng.next();
  if (roll < 0.03) return { takenAt: null, position: null }; // EXIF stripped by the app
  const base = kind === 'before' ? c.reported_at.getTime() - rng.range(0, 20) * MINUTE : (c.closed_at?.getTime() ?? c.reported_at.getTime()) - rng.range(0, 90) * MINUTE;
  let takenAt = kind === 'after' ? Math.max(base, c.reported_at.getTime() + 10 * MINUTE) : base;
  let offset = rng.range(3, 40);
  if (roll < 0.06) offset = rng.range(300, 900); // taken elsewhere
  else if (roll < 0.08) takenAt = c.reported_at.getTime() - rng.range(5, 30) * DAY; // an old picture
  else if (roll < 0.09 && kind === 'after') takenAt = c.reported_at.getTime() - rng.range(1, 5) * HOUR; // "fixed" before it was reported
  const angle = rng.range(0, 2 * Math.PI);
  const position: [number, number] = [c.lon + (metres(offset) * Math.cos(angle)) / Math.cos((c.lat * Math.PI) / 180), c.lat + metres(offset) * Math.sin(angle)];
  return { takenAt, position };
}

/**
 * Attaches demo photos to the `issueCount` most recent issues not cancelled, in one transaction.
 * Returns how many photos were attached.
 */
export async function loadDemoPhotos(db: Database, store: MediaStore, opts: { seed: number; issueCount: number; at: Date }): Promise<number> {
  if (opts.issueCount <= 0) return 0;
  const candidates = await db.all<Candidate>(
    `SELECT i.id, i.category, c.name, i.status, i.reported_at, i.closed_at, i.lon, i.lat
     FROM issues i LEFT JOIN categories c ON c.code = i.category
     WHERE i.status <> 'cancelled' ORDER BY i.reported_at DESC, i.id LIMIT $n`,
    { n: opts.issueCount },
  );
  const rng = new Rng(opts.seed).fork('photos');
  const scenes = new Map<string, Scene>();
  const sceneOf = async (c: Candidate, kind: 'before' | 'after') => {
    const key = `${c.category} ${kind}`;
    let scene = scenes.get(key);
    if (!scene) scenes.set(key, (scene = await renderScene(c.name ?? c.category, kind, rng.fork(key))));
    return scene;
  };
  type Planned = { issueId: string; kind: PhotoKind; hash: string; original: Buffer; derived: Record<DerivedSize, Buffer>; shot: Shot };
  const planned: Planned[] = [];
  for (const c of candidates) {
    const kinds: ('before' | 'after')[] = c.status === 'closed' || c.status === 'verified' ? ['before', 'after'] : ['before'];
    for (const kind of kinds) {
      const scene = await sceneOf(c, kind);
      const shot = shotOf(c, kind, rng);
      let img = sharp(scene.raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 78 });
      if (shot.takenAt !== null && shot.position) {
        const [lon, lat] = shot.position;
        // The issue id in the EXIF makes every picture its own file, as real photos are.
        img = img.withExif({
          IFD0: { Make: 'civgrid demo', Model: 'synthetic', ImageDescription: `demo ${c.id}` },
          IFD2: { DateTimeOriginal: exifDateTime(shot.takenAt) },
          IFD3: { GPSLatitudeRef: 'N', GPSLatitude: exifDegrees(lat), GPSLongitudeRef: 'E', GPSLongitude: exifDegrees(lon) },
        });
      } else {
        img = img.withExif({ IFD0: { ImageDescription: `demo ${c.id} ${kind}` } });
      }
      const original = await img.toBuffer();
      planned.push({ issueId: c.id, kind, hash: sha256(original), original, derived: scene.derived, shot });
    }
  }
  await db.write(['photos'], (w) => w.transaction(async (tx) => {
    for (const p of planned) {
      // A demo can be generated again: no need to flush every file to the disk.
      await store.put(p.hash, { original: p.original, ...p.derived }, { sync: false });
      await insertPhoto(tx, {
        issueId: p.issueId, hash: p.hash, kind: p.kind, filename: `${p.issueId}_${p.kind}.jpg`, mime: 'image/jpeg', width: WIDTH, height: HEIGHT,
        bytes: p.original.length, hasExif: p.shot.takenAt !== null, takenAt: p.shot.takenAt,
        lon: p.shot.position?.[0] ?? null, lat: p.shot.position?.[1] ?? null, uploader: 'demo', uploadedAt: opts.at.getTime(),
      });
    }
  }));
  return planned.length;
}
