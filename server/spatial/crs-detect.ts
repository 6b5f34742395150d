/**
 * The CRS of projected coordinates that arrive without one (a Shapefile without its .prj, GeoJSON
 * in metres without a `crs` member). Gauss–Krüger eastings written with the zone number in front
 * (34 575 600 = zone 34, 75 600 m east of the false origin) name their zone: that CRS is used.
 * Without the prefix any central meridian fits the numbers, so the file is refused with the codes
 * that would work, best first: those that put the data inside the deployment's regions, then the
 * nearest. Only codes `parseCrsName` accepts are suggested.
 */
import type { Position } from 'geojson';
import { parseCrsName, makeToWgs84, type CrsSpec } from './crs.ts';
import { kmFromArea, type DeploymentArea } from './deployment-area.ts';

/** The outcome: a CRS read from the numbers, a refusal with suggestions, or nothing to detect. */
export type Detection = { crs: CrsSpec; note: string } | { problem: string } | null;

/** The CGCS2000 Gauss–Krüger code of a zone-prefixed easting: 6° zones 13–23, 3° zones 25–45. */
function zoneCode(zone: number): number | undefined {
  if (zone >= 13 && zone <= 23) return 4491 + zone - 13;
  if (zone >= 25 && zone <= 45) return 4513 + zone - 25;
  return undefined;
}

/** The central-meridian codes for unprefixed eastings: 3° CM 75–135°E (4534–4554), 6° CM 75–135°E (4502–4512). */
function centralMeridianCodes(): number[] {
  const codes: number[] = [];
  for (let c = 4534; c <= 4554; c++) codes.push(c);
  for (let c = 4502; c <= 4512; c++) codes.push(c);
  return codes;
}

/** Lon/lat in the China box; outside it a candidate is not worth naming. */
const inChina = (lon: number, lat: number) => lon >= 73 && lon <= 136 && lat >= 3 && lat <= 54;

/**
 * Detects the CRS of `sample` (positions of the first features, as in the file) when they look
 * like projected metres; `area` ranks suggestions (null or empty: none imported yet).
 */
export function detectProjectedCrs(sample: Position[], area: DeploymentArea | null): Detection {
  if (sample.length === 0 || !sample.every((p) => Math.abs(p[0]) > 1000 && Math.abs(p[1]) > 1000)) return null;
  const zones = new Set(sample.map((p) => Math.floor(p[0] / 1e6)));
  const northings = sample.every((p) => p[1] > 0 && p[1] < 1e7);
  if (zones.size === 1 && northings) {
    const zone = [...zones][0];
    const code = zoneCode(zone);
    if (code !== undefined) return { crs: parseCrsName(`EPSG:${code}`), note: `zone ${zone} read from the easting prefix` };
  }
  if (!northings || !sample.every((p) => p[0] > 0 && p[0] < 1e6)) return null;
  const mid: [number, number] = [
    sample.reduce((s, p) => s + p[0], 0) / sample.length,
    sample.reduce((s, p) => s + p[1], 0) / sample.length,
  ];
  const known = area && area.boxes.length ? area : null;
  const ranked = centralMeridianCodes()
    .map((code) => {
      const crs = parseCrsName(`EPSG:${code}`);
      const [lon, lat] = makeToWgs84(crs)(mid[0], mid[1]);
      return { code, crs, lon, lat, km: known ? kmFromArea(known, lon, lat) : 0 };
    })
    .filter((c) => Number.isFinite(c.lon) && inChina(c.lon, c.lat))
    .sort((a, b) => a.km - b.km);
  const shown = ranked.slice(0, 4);
  const describe = (c: (typeof ranked)[number]) => {
    const where = known ? (c.km === 0 ? `inside ${known.names.join(', ')}` : `${Math.round(c.km)} km from ${known.names.join(', ')}`) : 'no regions imported yet to compare with';
    return `EPSG:${c.code} (${c.crs.label.replace(/ \(EPSG:\d+\)$/, '').replace('CGCS2000 / ', '')}) puts them at lon ${c.lon.toFixed(3)}, lat ${c.lat.toFixed(3)}, ${where}`;
  };
  return {
    problem:
      'the coordinates look like projected metres without a zone prefix, and the file declares no CRS (no .prj, no "crs" member, no --crs); ' +
      `declare it with --crs, e.g. ${shown.map(describe).join('; ') || 'a CGCS2000 Gauss-Kruger code EPSG:4491–4554'}`,
  };
}
