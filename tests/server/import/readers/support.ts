import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { ReaderError, type FeatureSource, type RawFeature } from '../../../../server/import/readers/index.ts';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/import', import.meta.url));
export const fixture = (name: string) => join(FIXTURES, name);

/** A temp dir for this test file, removed after it; `write` puts a file there and returns its path. */
export function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'civgrid-readers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write: (name: string, data: string | Uint8Array) => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    },
  };
}

/** All features of a source. */
export async function collect(source: FeatureSource): Promise<RawFeature[]> {
  const out: RawFeature[] = [];
  for await (const feature of source.features) out.push(feature);
  return out;
}

/** Reads until the source fails; returns what came before and the ReaderError (fails the test if none). */
export async function collectUntilError(source: FeatureSource): Promise<{ features: RawFeature[]; error: ReaderError }> {
  const features: RawFeature[] = [];
  try {
    for await (const feature of source.features) features.push(feature);
  } catch (error) {
    if (error instanceof ReaderError) return { features, error };
    throw error;
  }
  throw new Error(`expected a ReaderError after ${features.length} features`);
}

/** The ReaderError a promise rejects with (fails the test if it resolves or rejects otherwise). */
export async function readerError(promise: Promise<unknown>): Promise<ReaderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ReaderError) return error;
    throw error;
  }
  throw new Error('expected a ReaderError');
}
