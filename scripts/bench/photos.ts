/**
 * Evidence photo figures against the running server: upload throughput for camera-sized JPEGs
 * (about 3 MB, 4.3 MP of noisy detail, as a phone sends), one client and four at once, and the
 * latency of a thumbnail. The photos are generated from a seed, so a rerun attaches the same
 * pictures (the server answers 200 and stores nothing twice).
 */
import sharp from 'sharp';
import { Rng } from '../../server/demo/rng.ts';
import { perSecond, summarize, type LatencySummary } from './stats.ts';

export type PhotoFigures = {
  photos: number;
  meanBytes: number;
  /** One client, one upload after another. */
  sequentialPerSecond: number | null;
  /** Four clients at once. */
  concurrentPerSecond: number | null;
  thumb: LatencySummary;
};

const SEQUENTIAL = 12;
const CONCURRENT = 24;
const CLIENTS = 4;

/** A noisy 2400 × 1800 JPEG: detail like a street scene, so it weighs what a phone photo weighs (~3 MB). */
async function cameraJpeg(rng: Rng): Promise<Buffer> {
  const width = 2400;
  const height = 1800;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i += 3) {
    const base = 90 + 80 * Math.sin(i / 9000);
    raw[i] = base + rng.int(60);
    raw[i + 1] = base + rng.int(60);
    raw[i + 2] = base + rng.int(60);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

export async function measurePhotos(url: string, adminToken: string, seed: number, log: (line: string) => void): Promise<PhotoFigures> {
  const rng = new Rng(seed).fork('bench photos');
  const images = await Promise.all(Array.from({ length: SEQUENTIAL + CONCURRENT }, () => cameraJpeg(rng)));
  const page = (await (await fetch(`${url}/api/issues?limit=${images.length}`)).json()) as { items: { id: string }[] };
  if (page.items.length === 0) throw new Error('no issues to attach photos to');
  const upload = async (k: number): Promise<string> => {
    const id = page.items[k % page.items.length]!.id;
    const res = await fetch(`${url}/api/issues/${id}/photos?kind=before`, {
      method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'image/jpeg' }, body: new Uint8Array(images[k]!),
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`photo upload answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { urls: { thumb: string } }).urls.thumb;
  };

  const thumbs: string[] = [];
  let t0 = performance.now();
  for (let k = 0; k < SEQUENTIAL; k++) thumbs.push(await upload(k));
  const sequentialMs = performance.now() - t0;
  log(`photos: ${SEQUENTIAL} uploads one by one in ${(sequentialMs / 1000).toFixed(1)} s`);

  t0 = performance.now();
  let next = SEQUENTIAL;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < images.length) thumbs.push(await upload(next++));
  }));
  const concurrentMs = performance.now() - t0;
  log(`photos: ${CONCURRENT} uploads by ${CLIENTS} clients in ${(concurrentMs / 1000).toFixed(1)} s`);

  const latencies: number[] = [];
  for (const thumb of thumbs) {
    const s = performance.now();
    const res = await fetch(`${url}${thumb}`);
    await res.arrayBuffer();
    latencies.push(performance.now() - s);
  }
  return {
    photos: images.length,
    meanBytes: images.reduce((n, b) => n + b.length, 0) / images.length,
    sequentialPerSecond: perSecond(SEQUENTIAL, sequentialMs),
    concurrentPerSecond: perSecond(CONCURRENT, concurrentMs),
    thumb: summarize(latencies),
  };
}
