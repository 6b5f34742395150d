import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { openFeatureSource } from '../../../../server/import/readers/index.ts';
import { scratch } from './support.ts';

const { dir } = scratch();
const COUNT = 50_000;

async function writeBigCollection(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('{"type":"FeatureCollection","features":[\n');
  for (let i = 0; i < COUNT; i++) {
    const lon = 102.7 + (i % 500) * 1e-4;
    const lat = 24.9 + Math.floor(i / 500) * 1e-4;
    const ring = [[lon, lat], [lon + 1e-4, lat], [lon + 1e-4, lat + 1e-4], [lon, lat + 1e-4], [lon, lat]];
    const feature = { type: 'Feature', properties: { code: `5301110010${String(i).padStart(6, '0')}`, name: `网格${i}` }, geometry: { type: 'Polygon', coordinates: [ring] } };
    if (!out.write(`${i ? ',\n' : ''}${JSON.stringify(feature)}`)) await once(out, 'drain');
  }
  out.end('\n],"crs":{"type":"name","properties":{"name":"EPSG:4490"}}}\n');
  await once(out, 'finish');
}

it('streams a large FeatureCollection with retained heap well under the file size', async () => {
  const path = join(dir, 'big.geojson');
  await writeBigCollection(path);
  const size = statSync(path).size;
  // A forced collection before each sample measures what the reader keeps alive, not garbage.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  let count = 0;
  const source = await openFeatureSource(path);
  expect(source.crsHint?.geojsonCrs).toBeDefined();
  for await (const feature of source.features) {
    expect(feature.index).toBe(count++);
    if (count % 5000 === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
  }
  expect(count).toBe(COUNT);
  expect(size).toBeGreaterThan(8 * 1024 * 1024);
  expect(peak).toBeLessThan(size / 2);
});
