import type { Geometry } from 'geojson';
import { transformGeometry } from '../domain/map-geometry.ts';
import { makeToWgs84, WGS84, type CrsSpec } from '../spatial/crs.ts';
import { validateGeometry } from '../spatial/validate.ts';

/**
 * Validates a raw geometry in its declared CRS, converts it to lon/lat, and validates the result.
 * Returns null for kinds without geometry, undefined when a problem was reported.
 */
export function prepareGeometry(
  raw: unknown,
  allowed: readonly string[] | null,
  crs: CrsSpec,
  report: (field: string, code: string, reason: string) => void,
): Geometry | null | undefined {
  if (allowed === null) return null;
  const before = validateGeometry(raw, { allowed: [...allowed], crs });
  if (before.length) {
    for (const p of before) report('geometry', p.code, p.reason);
    return undefined;
  }
  if (crs.kind === 'geographic') return raw as Geometry;
  const converted = transformGeometry(raw as Geometry, toWgs84For(crs));
  const after = validateGeometry(converted, { allowed: [...allowed], crs: WGS84 });
  if (after.length) {
    for (const p of after) report('geometry', p.code, `after conversion from ${crs.label}: ${p.reason}`);
    return undefined;
  }
  return converted;
}

const converters = new WeakMap<CrsSpec, ReturnType<typeof makeToWgs84>>();
function toWgs84For(crs: CrsSpec) {
  let fn = converters.get(crs);
  if (!fn) converters.set(crs, (fn = makeToWgs84(crs)));
  return fn;
}
