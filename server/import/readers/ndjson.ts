import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReaderError, toRawFeature, type FeatureSource, type RawFeature } from './types.ts';

/**
 * Opens a newline-delimited GeoJSON file (one Feature per line; also GeoJSON Text Sequences,
 * whose lines start with the RS character). Blank lines are skipped and take no index.
 */
export function openNdjson(path: string): FeatureSource {
  return { format: 'ndjson', features: features(path) };
}

async function* features(path: string): AsyncGenerator<RawFeature> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  let index = 0;
  try {
    for await (const raw of lines) {
      line++;
      const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).replace(/^\x1e/, '').trim();
      if (!text) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new ReaderError(path, `invalid JSON: ${(err as Error).message}`, { line, index });
      }
      yield toRawFeature(value, index, (reason) => {
        throw new ReaderError(path, reason, { line, index });
      });
      index++;
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
