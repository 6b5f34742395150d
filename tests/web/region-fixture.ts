/** The small e2e regions fixture, split into the three levels the web app works with. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RegionCollection, RegionLayers, RegionLevel } from '../../web/api/types';

const FILE = fileURLToPath(new URL('../fixtures/e2e/regions-small.geojson', import.meta.url));

/** Fresh copies of the fixture's district, street and community collections (areaKm2 filled in). */
export function smallRegionLayers(): RegionLayers {
  const all = JSON.parse(readFileSync(FILE, 'utf8')) as RegionCollection;
  const level = (l: RegionLevel): RegionCollection => ({
    type: 'FeatureCollection',
    features: all.features
      .filter((f) => f.properties.level === l)
      .map((f) => ({ ...f, properties: { ...f.properties, areaKm2: 10 } })),
  });
  return { district: level('district'), street: level('street'), community: level('community') };
}
