/**
 * GCJ-02 (AMap/Tencent) and BD-09 (Baidu) ⇄ WGS84.
 *
 * The forward directions (WGS84 → GCJ-02 → BD-09) are closed-form and come from gcoord. The
 * inverses are not closed-form: gcoord stops iterating GCJ-02 → WGS84 at 1e-6° (~0.1 m) and uses
 * the approximate published formula for BD-09 → GCJ-02, so round trips drift by ~5–7 cm. Grid
 * assignment works at edge resolution, so we polish gcoord's answer with a few fixed-point steps
 * on the exact forward transform until the round trip closes to ~1 µm.
 */
import gcoord from 'gcoord';

type Lonlat = [number, number];

/** Stop when the forward image is within this many degrees (~1 µm) of the target. */
const TOLERANCE_DEG = 1e-11;
/** The offset's Jacobian is within ~1e-3 of the identity, so each step gains ~3 digits. */
const MAX_STEPS = 8;

function forwardGcj02(lon: number, lat: number): Lonlat {
  return gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as Lonlat;
}

function forwardBd09(lon: number, lat: number): Lonlat {
  return gcoord.transform([lon, lat], gcoord.WGS84, gcoord.BD09) as Lonlat;
}

/** Newton-like fixed point: the offset field is smooth and nearly constant over a few metres. */
function polish(
  forward: (lon: number, lat: number) => Lonlat,
  targetLon: number,
  targetLat: number,
  start: Lonlat,
): Lonlat {
  let [lon, lat] = start;
  for (let i = 0; i < MAX_STEPS; i++) {
    const [fLon, fLat] = forward(lon, lat);
    const dLon = fLon - targetLon;
    const dLat = fLat - targetLat;
    if (Math.abs(dLon) < TOLERANCE_DEG && Math.abs(dLat) < TOLERANCE_DEG) break;
    lon -= dLon;
    lat -= dLat;
  }
  return [lon, lat];
}

/** Converts a GCJ-02 lon/lat to WGS84; round-trip error below 1e-10° (~0.01 mm). */
export function gcj02ToWgs84(lon: number, lat: number): Lonlat {
  const start = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84) as Lonlat;
  return polish(forwardGcj02, lon, lat, start);
}

/** Converts a BD-09 lon/lat to WGS84; round-trip error below 1e-10° (~0.01 mm). */
export function bd09ToWgs84(lon: number, lat: number): Lonlat {
  const start = gcoord.transform([lon, lat], gcoord.BD09, gcoord.WGS84) as Lonlat;
  return polish(forwardBd09, lon, lat, start);
}

/** Converts WGS84 to GCJ-02 (identity outside gcoord's China box, as the published formula). */
export function wgs84ToGcj02(lon: number, lat: number): Lonlat {
  return forwardGcj02(lon, lat);
}
