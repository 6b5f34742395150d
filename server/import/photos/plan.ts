/**
 * Which photo of a bundle goes to which issue, as what: said by a CSV manifest inside the bundle
 * (`issue,file,kind`, or 事件编号,文件,类型 with 整改前/整改后/其他), or else by each file's name
 * (`ISSUEID_before_1.jpg`, `ISSUEID_整改后.png`). Every problem is collected, naming the file (and
 * the manifest's line), so one run lists everything to fix.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { parsePhotoKind, type PhotoKind } from '../../domain/photos.ts';
import { controlCharacterProblem } from '../../domain/text.ts';
import { openCsv } from '../readers/csv.ts';
import { ReaderError } from '../readers/types.ts';
import type { ProblemList } from '../problems.ts';
import { makePropertyPicker } from '../properties.ts';
import type { BundleFile } from './bundle.ts';

/** One problem of a photo import: the bundle's file it is about (and the manifest's line), the code and why. */
export type PhotoProblem = { file?: string; line?: number; code: string; reason: string };

/** A photo to attach: the bundle's file, the issue and the kind. */
export type PlannedPhoto = { file: BundleFile; issueId: string; kind: PhotoKind };

/** The manifest's columns and the names they go by. */
const MANIFEST_COLUMNS = {
  issue: ['事件编号', '案件编号', '问题编号', 'issue_id'],
  file: ['文件', '文件名', '照片', 'filename', 'photo'],
  kind: ['类型', '照片类型', 'type'],
};

/** The largest manifest read: a line per photo is a few dozen bytes. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const IMAGE_NAME = /^(.+)_(before|after|other|整改前|整改后|其他)(?:_\d+)?\.(?:jpe?g|png|webp)$/i;

/** A bundle file's bytes; a broken zip entry (bad CRC, encrypted) becomes a ReaderError naming it. */
export async function readOrRefuse(file: BundleFile): Promise<Buffer> {
  try {
    return await file.read();
  } catch (err) {
    throw new ReaderError(file.name, `cannot be read: ${(err as Error).message}`);
  }
}

/** The issue and kind a file name says (`I0042_before_1.jpg`, `I0042_整改后.png`), or null. */
export function fromFileName(name: string): { issueId: string; kind: PhotoKind } | null {
  const m = IMAGE_NAME.exec(basename(name));
  return m ? { issueId: m[1], kind: parsePhotoKind(m[2])! } : null;
}

/** The photos of a bundle and what they are for; what cannot be placed goes to `problems`. */
export async function planPhotos(files: readonly BundleFile[], problems: ProblemList<PhotoProblem>): Promise<PlannedPhoto[]> {
  const manifests = files.filter((f) => f.name.toLowerCase().endsWith('.csv'));
  if (manifests.length > 1) {
    problems.add({ code: 'several_manifests', reason: `one manifest per bundle, found ${manifests.length}: ${manifests.map((f) => f.name).join(', ')}` });
    return [];
  }
  if (manifests.length === 1) return fromManifest(manifests[0], files, problems);
  const planned: PlannedPhoto[] = [];
  for (const file of files) {
    const said = fromFileName(file.name);
    if (said) planned.push({ file, ...said });
    else problems.add({ file: file.name, code: 'unplaced_file', reason: 'without a manifest a photo is named ISSUEID_before_N.jpg (before, after or other; .jpg, .png or .webp)' });
  }
  return planned;
}

async function fromManifest(manifest: BundleFile, files: readonly BundleFile[], problems: ProblemList<PhotoProblem>): Promise<PlannedPhoto[]> {
  const at = (line: number | undefined, code: string, reason: string, file = manifest.name) => problems.add({ file, line, code, reason });
  if (manifest.size > MAX_MANIFEST_BYTES) {
    at(undefined, 'too_large', `the manifest is ${manifest.size} bytes, more than ${MAX_MANIFEST_BYTES}`);
    return [];
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const folder = posix.dirname(manifest.name);
  const pick = makePropertyPicker(MANIFEST_COLUMNS);
  const planned: PlannedPhoto[] = [];
  const named = new Set<BundleFile>([manifest]);
  const seen = new Map<string, number>();
  const dir = await mkdtemp(join(tmpdir(), 'civgrid-manifest-'));
  try {
    // The CSV reader detects UTF-8 or GBK and a BOM on a file of its own.
    const path = join(dir, 'manifest.csv');
    await writeFile(path, await readOrRefuse(manifest), { mode: 0o600 });
    const source = await openCsv(path, {});
    for await (const row of source.features) {
      // Line numbers as a spreadsheet shows them: the header is line 1.
      const line = row.index + 2;
      const values = pick(row.properties);
      const text = (field: keyof typeof MANIFEST_COLUMNS): string | null => {
        const v = values[field];
        if (v === undefined) {
          at(line, 'missing_value', `no ${field} (${[field, ...MANIFEST_COLUMNS[field]].join(' / ')})`);
          return null;
        }
        const bad = controlCharacterProblem(field, String(v));
        if (bad) at(line, 'control_character', bad);
        return bad ? null : String(v);
      };
      const [issueId, fileName, kindText] = [text('issue'), text('file'), text('kind')];
      if (issueId === null || fileName === null || kindText === null) continue;
      const kind = parsePhotoKind(kindText);
      if (!kind) at(line, 'unknown_kind', `kind "${kindText}" is none of before / after / other (整改前 / 整改后 / 其他)`);
      const clean = fileName.replaceAll('\\', '/').replace(/^\.\//, '');
      const file = byName.get(clean) ?? byName.get(posix.join(folder, clean));
      if (!file) at(line, 'missing_file', `${fileName} is not in the bundle`);
      if (!kind || !file) continue;
      const key = `${issueId}\u0000${file.name}`;
      const first = seen.get(key);
      if (first !== undefined) {
        at(line, 'duplicate_row', `${file.name} is attached to ${issueId} already on line ${first}`);
        continue;
      }
      seen.set(key, line);
      named.add(file);
      planned.push({ file, issueId, kind });
    }
  } catch (err) {
    if (!(err instanceof ReaderError)) throw err;
    at(err.line, err.code ?? 'unreadable', err.reason);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const file of files) {
    if (!named.has(file)) problems.add({ file: file.name, code: 'not_in_manifest', reason: `the manifest ${manifest.name} does not say which issue it belongs to` });
  }
  return planned;
}
