import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { open as openShapefile } from 'shapefile';
import type { Entry } from 'yauzl';
import { encodingFromCpg, type TextEncoding } from './encoding.ts';
import { ReaderError, asId, type FeatureSource, type OpenOptions, type RawFeature } from './types.ts';
import { entryStream, listZip, readSmallEntry } from './zip.ts';

const DEFAULT_MAX_UNZIPPED = 2 * 1024 ** 3;

/** The entries of the one layer in the zip. */
type Layer = { shp: Entry; dbf: Entry; prj?: Entry; cpg?: Entry };

/**
 * Opens a zipped Shapefile: exactly one .shp (in any folder) with its .dbf, optional .prj (its
 * text becomes `crsHint.prj`) and .cpg. The .shp and .dbf are streamed straight out of the zip
 * into the `shapefile` package, so nothing is extracted to disk and nothing needs cleaning up
 * but the open zip, which is closed when the iteration ends or is abandoned.
 *
 * DBF text encoding: `opts.encoding`, else the .cpg (UTF-8; GBK/936/CP936/GB2312 → GBK; other
 * code pages are ignored), else UTF-8 when the whole record area decodes as UTF-8, else GBK.
 */
export async function openShapefileZip(path: string, opts: OpenOptions): Promise<FeatureSource> {
  const { zip, files } = await listZip(path);
  try {
    const layer = findLayer(path, files, opts.maxUnzippedBytes ?? DEFAULT_MAX_UNZIPPED);
    const prj = layer.prj && (await readSmallEntry(path, zip, layer.prj)).toString('utf8').trim();
    const cpg = layer.cpg && encodingFromCpg((await readSmallEntry(path, zip, layer.cpg)).toString('latin1'));
    const forced = opts.encoding ?? cpg;
    const dbf = await inspectDbf(path, await entryStream(zip, layer.dbf), !forced);
    const encoding = forced ?? (dbf.utf8 ? 'utf8' : 'gbk');
    return {
      format: 'shapefile',
      crsHint: prj ? { prj } : {},
      encoding,
      features: features(path, encoding, dbf.records, opts),
    };
  } catch (err) {
    if (err instanceof ReaderError) throw err;
    throw new ReaderError(path, `cannot read the zip: ${(err as Error).message}`);
  } finally {
    zip.close();
  }
}

function findLayer(path: string, files: Entry[], maxBytes: number): Layer {
  const shps = files.filter((e) => /\.shp$/i.test(e.fileName));
  if (shps.length !== 1) {
    const found = shps.length ? `${shps.length} .shp files (${shps.map((e) => e.fileName).join(', ')})` : 'no .shp file';
    throw new ReaderError(path, `the zip must hold exactly one .shp layer, found ${found}`);
  }
  const [shp] = shps;
  const stem = shp.fileName.slice(0, -4).toLowerCase();
  const sibling = (ext: string) => files.find((e) => e.fileName.toLowerCase() === `${stem}.${ext}`);
  const dbf = sibling('dbf');
  if (!dbf) throw new ReaderError(path, `the zip has no ${posix.basename(stem)}.dbf beside ${shp.fileName}`);
  const layer: Layer = { shp, dbf, prj: sibling('prj'), cpg: sibling('cpg') };
  // Declared sizes are binding: yauzl fails any entry that inflates to more than it declares.
  const total = Object.values(layer).reduce((sum, e) => sum + (e?.uncompressedSize ?? 0), 0);
  if (total > maxBytes) {
    throw new ReaderError(path, `the layer inflates to ${total} bytes, over the limit of ${maxBytes}`);
  }
  return layer;
}

/**
 * Reads the DBF header's record count and, when `sniff` is set, whether the records (the header
 * skipped: it holds binary counts) are valid UTF-8, which takes one pass over the table.
 */
async function inspectDbf(path: string, stream: Readable, sniff: boolean): Promise<{ records: number; utf8: boolean }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let head = Buffer.alloc(0);
  let skip = -1;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let bytes = chunk;
      if (skip < 0) {
        head = Buffer.concat([head, chunk]);
        if (head.length < 12) continue;
        if (!sniff) break;
        skip = head.readUInt16LE(8);
        bytes = head;
      }
      const skipped = Math.min(skip, bytes.length);
      skip -= skipped;
      decoder.decode(bytes.subarray(skipped), { stream: true });
    }
    if (head.length < 12) throw new Error('the header is cut short');
    return { records: head.readUInt32LE(4), utf8: true };
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return { records: head.readUInt32LE(4), utf8: false };
    throw new ReaderError(path, `cannot read the .dbf: ${(err as Error).message}`);
  } finally {
    stream.destroy();
  }
}

/**
 * The `shapefile` package skips a .shp record it cannot parse (scanning ahead for the next one),
 * which would pair later geometries with the wrong attributes; comparing the count with the
 * DBF's makes that an error instead of a silent loss.
 */
async function* features(path: string, encoding: TextEncoding, records: number, opts: OpenOptions): AsyncGenerator<RawFeature> {
  // Listed again rather than kept open from openShapefileZip, so a source that is never iterated holds no file.
  const { zip, files } = await listZip(path);
  const streams: Readable[] = [];
  let index = 0;
  try {
    const layer = findLayer(path, files, opts.maxUnzippedBytes ?? DEFAULT_MAX_UNZIPPED);
    streams.push(await entryStream(zip, layer.shp), await entryStream(zip, layer.dbf));
    const source = await openShapefile(streams[0], streams[1], { encoding: encoding === 'gbk' ? 'gbk' : 'utf-8' });
    const wide = wideNumberFields(source);
    for (;;) {
      const { done, value } = await source.read();
      if (done) break;
      const properties = withoutNulPadding(restoreWideNumbers(value.properties ?? {}, wide));
      yield { index, id: asId(properties.id), geometry: value.geometry ?? null, properties };
      index++;
    }
    if (index !== records) {
      throw new ReaderError(path, `the .shp has ${index} readable records but the .dbf has ${records}: the layer is corrupt`, { index });
    }
  } catch (err) {
    if (err instanceof ReaderError) throw err;
    throw new ReaderError(path, `invalid shapefile: ${(err as Error).message}`, { index });
  } finally {
    for (const stream of streams) stream.destroy();
    zip.close();
  }
}

type DbfField = { name: string; type: string; length: number };

/**
 * The `shapefile` package parses N/F fields with `+text`, which rounds integers beyond 2^53, and
 * codes (网格编码, 14–20 digits) are often stored as N(20,0). Fields wider than 15 characters are
 * switched to text in the package's field table (internal, but frozen since 0.6 in 2017) and
 * `restoreWideNumbers` turns back into numbers the values that fit a double exactly.
 */
function wideNumberFields(source: unknown): string[] {
  const fields = (source as { _dbf?: { _fields?: DbfField[] } })._dbf?._fields ?? [];
  const wide = fields.filter((f) => (f.type === 'N' || f.type === 'F') && f.length > 15);
  for (const field of wide) field.type = 'C';
  return wide.map((f) => f.name);
}

function restoreWideNumbers(properties: Record<string, unknown>, wide: string[]): Record<string, unknown> {
  for (const name of wide) {
    const text = properties[name];
    if (typeof text !== 'string' || /^[+-]?\d{16,}$/.test(text)) continue;
    const n = Number(text);
    properties[name] = Number.isNaN(n) ? null : n;
  }
  return properties;
}

/**
 * Some writers pad DBF text fields with NUL bytes instead of spaces. That padding is not part of
 * the value (the import refuses control characters in text), so it is dropped like the spaces are.
 */
function withoutNulPadding(properties: Record<string, unknown>): Record<string, unknown> {
  for (const [name, value] of Object.entries(properties)) {
    if (typeof value === 'string' && value.includes('\0')) properties[name] = value.replace(/[\0\s]+$/, '') || null;
  }
  return properties;
}
