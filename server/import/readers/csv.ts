import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { sniffFileEncoding, type TextEncoding } from './encoding.ts';
import { ReaderError, asId, type FeatureSource, type OpenOptions, type RawFeature } from './types.ts';

/** Header names taken as coordinates, in order of preference, compared case-insensitively. */
const LON_NAMES = ['lon', 'lng', 'longitude', '经度', 'x'];
const LAT_NAMES = ['lat', 'latitude', '纬度', 'y'];

/** A coordinate the reader takes as a number; anything else stays text for the validator to report. */
export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type CsvRecord = { record: string[]; info: { lines: number } };

/**
 * Opens a CSV file with a header row. Encoding: `opts.encoding`, else sniffed (UTF-8 unless the
 * first 64 KB are not valid UTF-8, then GBK); a BOM is dropped. Values stay strings, trimmed,
 * empty ones left out. With longitude/latitude columns each row becomes a Point (a coordinate
 * that is not a number is kept as its text for the validator to report; both empty gives no
 * geometry) and those columns leave the properties; without them geometry is null.
 */
export async function openCsv(path: string, opts: OpenOptions): Promise<FeatureSource> {
  const encoding = opts.encoding ?? (await sniffFileEncoding(path));
  if (encoding === 'mixed') {
    throw new ReaderError(path, 'the file mixes encodings: some lines are UTF-8 and others are not (e.g. GBK rows pasted into a UTF-8 export); convert it to one encoding', { code: 'mixed_encoding' });
  }
  return { format: 'csv', encoding, features: features(path, encoding, opts) };
}

async function* features(path: string, encoding: TextEncoding, opts: OpenOptions): AsyncGenerator<RawFeature> {
  const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true });
  // Both decoders strip a BOM; errors of any stage end the iteration below.
  const decoder = encoding === 'utf8' ? strictUtf8(path, opts.encoding === undefined) : iconv.decodeStream(encoding);
  pipeline(createReadStream(path), decoder, parser, () => undefined);
  let header: string[] | undefined;
  let lonAt = -1;
  let latAt = -1;
  let index = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<CsvRecord>) {
      if (!header) {
        header = readHeader(path, record, info.lines);
        [lonAt, latAt] = coordinateColumns(path, header, opts, info.lines);
        continue;
      }
      if (record.length !== header.length) {
        throw new ReaderError(path, `the row has ${record.length} fields but the header has ${header.length}`, {
          line: info.lines,
          index,
        });
      }
      const properties: Record<string, unknown> = {};
      record.forEach((value, i) => {
        const v = value.trim();
        if (v !== '' && i !== lonAt && i !== latAt) properties[header![i]] = v;
      });
      yield { index: index++, id: asId(properties.id), geometry: csvPoint(record[lonAt], record[latAt]), properties };
    }
  } catch (err) {
    if (err instanceof ReaderError) throw err;
    if ((err as { cause?: unknown }).cause instanceof ReaderError) throw (err as { cause: ReaderError }).cause;
    // csv-parse's CsvError carries the line it stopped at.
    const line = (err as { lines?: unknown }).lines;
    throw new ReaderError(path, `invalid CSV: ${(err as Error).message}`, { index, line: typeof line === 'number' ? line : undefined });
  } finally {
    parser.destroy();
  }
}

/** A CSV file's header and the positions of its coordinate columns (-1 when it has none). */
export type CsvHeader = { header: string[]; lonAt: number; latAt: number };

/**
 * Reads and checks the header of a UTF-8 CSV file as {@link openCsv} does (names trimmed, none
 * empty or repeated, coordinate columns found); null for a file without records. Throws
 * ReaderError like the reader.
 */
export async function readCsvHeader(path: string, opts: OpenOptions): Promise<CsvHeader | null> {
  const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true, to: 1 });
  pipeline(createReadStream(path), strictUtf8(path, false), parser, () => undefined);
  try {
    for await (const { record, info } of parser as AsyncIterable<CsvRecord>) {
      const header = readHeader(path, record, info.lines);
      const [lonAt, latAt] = coordinateColumns(path, header, opts, info.lines);
      return { header, lonAt, latAt };
    }
    return null;
  } finally {
    parser.destroy();
  }
}

function readHeader(path: string, record: string[], line: number): string[] {
  const header = record.map((name) => name.trim());
  header.forEach((name, i) => {
    if (name === '') throw new ReaderError(path, `header column ${i + 1} has no name`, { line });
    if (header.indexOf(name) !== i) throw new ReaderError(path, `header column "${name}" appears twice`, { line });
  });
  return header;
}

/** Positions of the longitude and latitude columns, both -1 when the file has none. */
function coordinateColumns(path: string, header: string[], opts: OpenOptions, line: number): [number, number] {
  const find = (explicit: string | undefined, names: string[]): number => {
    if (explicit !== undefined) {
      const at = header.indexOf(explicit);
      if (at === -1) throw new ReaderError(path, `column "${explicit}" is not in the header`, { line });
      return at;
    }
    const lower = header.map((name) => name.toLowerCase());
    for (const name of names) if (lower.includes(name)) return lower.indexOf(name);
    return -1;
  };
  const lon = find(opts.lonField, LON_NAMES);
  const lat = find(opts.latField, LAT_NAMES);
  if ((lon === -1) !== (lat === -1)) {
    const [has, missing] = lon === -1 ? [header[lat], 'longitude'] : [header[lon], 'latitude'];
    throw new ReaderError(path, `column "${has}" looks like a coordinate but there is no ${missing} column`, { line });
  }
  return [lon, lat];
}

/** The raw geometry of a row from its coordinate texts, as the reader makes it (see {@link openCsv}). */
export function csvPoint(lonText: string | undefined, latText: string | undefined): unknown | null {
  if (lonText === undefined || latText === undefined) return null;
  const lon = lonText.trim();
  const lat = latText.trim();
  if (lon === '' && lat === '') return null;
  const coordinate = (text: string) => (DECIMAL.test(text) ? Number(text) : text);
  return { type: 'Point', coordinates: [coordinate(lon), coordinate(lat)] };
}

/**
 * UTF-8 decoding that refuses invalid bytes instead of replacing them, so text never imports as
 * mojibake: a file sniffed as UTF-8 whose later rows are GBK (two exports pasted together) is
 * `mixed_encoding`; a file declared UTF-8 that is not is `invalid_encoding`.
 */
function strictUtf8(path: string, sniffed: boolean): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const fail = (done: (err: Error) => void) =>
    done(sniffed
      ? new ReaderError(path, `the file is not valid UTF-8 after byte ${offset}: it mixes encodings (e.g. UTF-8 and GBK rows); convert it to one encoding`, { code: 'mixed_encoding' })
      : new ReaderError(path, `the file is not valid UTF-8 after byte ${offset}, though UTF-8 was declared; declare its real encoding (e.g. gbk)`, { code: 'invalid_encoding' }));
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        offset += chunk.length;
        done(null, text);
      } catch {
        fail(done);
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        fail(done);
      }
    },
  });
}
