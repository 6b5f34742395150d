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

/**
 * A fake server's answer to the geometry index and the region levels' geometry files, as the
 * server writes them (features carry their ids); null for any other path.
 */
export function regionGeometryAnswer(pathname: string): Response | null {
  if (pathname === '/api/geometry') {
    const entry = (level: string) => ({ version: `${level}-v1`, url: `/api/geometry/regions/${level}/${level}-v1.json`, features: 1 });
    return Response.json({ grids: entry('grids'), regions: { district: entry('district'), street: entry('street'), community: entry('community') } });
  }
  const file = /^\/api\/geometry\/regions\/(\w+)\//.exec(pathname);
  if (!file) return null;
  const fc = smallRegionLayers()[file[1] as keyof ReturnType<typeof smallRegionLayers>];
  return Response.json({ ...fc, features: fc.features.map((f) => ({ ...f, id: f.properties.code })) });
}
