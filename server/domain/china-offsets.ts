/**
 * GCJ-02 (AMap/Tencent) and BD-09 (Baidu) ⇄ WGS84.
 *
 * The forward directions (WGS84 → GCJ-02 → BD-09) are the published closed-form formulas, written
 * as gcoord 1.0.7 (MIT, © Jiulong Hu) writes them, operation for operation, so the kernel needs no
 * package. The inverses are not closed-form: gcoord's iteration stops at 1e-6° (~0.1 m) and the
 * BD-09 → GCJ-02 step is the approximate published formula, so round trips drift by ~5–7 cm. Grid
 * assignment works at edge resolution, so that answer is polished with a few fixed-point steps on
 * the exact forward transform until the round trip closes to ~1 µm.
 */

type Lonlat = [number, number];

/** Krasovsky 1940 ellipsoid, which GCJ-02's offset is defined on. */
const KRASOVSKY_A = 6378245;
const KRASOVSKY_EE = 0.006693421622965823;
const BAIDU_FACTOR = (Math.PI * 3000.0) / 180.0;

/** The published formula applies inside this rough box around China; elsewhere GCJ-02 is WGS84. */
const inChinaBox = (lon: number, lat: number) => lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;

function offsetLat(x: number, y: number): number {
  let ret = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  ret += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  ret += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return ret;
}

function offsetLon(x: number, y: number): number {
  let ret = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  ret += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  ret += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return ret;
}

function forwardGcj02(lon: number, lat: number): Lonlat {
  if (!inChinaBox(lon, lat)) return [lon, lat];
  let dLon = offsetLon(lon - 105, lat - 35);
  let dLat = offsetLat(lon - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - KRASOVSKY_EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLon = (dLon * 180) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  dLat = (dLat * 180) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** gcoord's GCJ-02 → WGS84: fixed-point steps until the forward image is within 1e-6°. */
function roughGcj02ToWgs84(lon: number, lat: number): Lonlat {
  if (!inChinaBox(lon, lat)) return [lon, lat];
  let [wgsLon, wgsLat] = [lon, lat];
  let temp = forwardGcj02(wgsLon, wgsLat);
  let dx = temp[0] - lon;
  let dy = temp[1] - lat;
  while (Math.abs(dx) > 1e-6 || Math.abs(dy) > 1e-6) {
    wgsLon -= dx;
    wgsLat -= dy;
    temp = forwardGcj02(wgsLon, wgsLat);
    dx = temp[0] - lon;
    dy = temp[1] - lat;
  }
  return [wgsLon, wgsLat];
}

function gcj02ToBd09(lon: number, lat: number): Lonlat {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * BAIDU_FACTOR);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * BAIDU_FACTOR);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** The approximate published BD-09 → GCJ-02 formula. */
function roughBd09ToGcj02(lon: number, lat: number): Lonlat {
  const x = lon - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * BAIDU_FACTOR);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * BAIDU_FACTOR);
  return [z * Math.cos(theta), z * Math.sin(theta)];
}

/** Stop when the forward image is within this many degrees (~1 µm) of the target. */
const TOLERANCE_DEG = 1e-11;
/** The offset's Jacobian is within ~1e-3 of the identity, so each step gains ~3 digits. */
const MAX_STEPS = 8;

function forwardBd09(lon: number, lat: number): Lonlat {
  const [gLon, gLat] = forwardGcj02(lon, lat);
  return gcj02ToBd09(gLon, gLat);
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
  return polish(forwardGcj02, lon, lat, roughGcj02ToWgs84(lon, lat));
}

/** Converts a BD-09 lon/lat to WGS84; round-trip error below 1e-10° (~0.01 mm). */
export function bd09ToWgs84(lon: number, lat: number): Lonlat {
  const [gLon, gLat] = roughBd09ToGcj02(lon, lat);
  return polish(forwardBd09, lon, lat, roughGcj02ToWgs84(gLon, gLat));
}

/** Converts WGS84 to GCJ-02 (identity outside the China box, as the published formula). */
export function wgs84ToGcj02(lon: number, lat: number): Lonlat {
  return forwardGcj02(lon, lat);
}
