/**
 * The demo city's rough human geography: where each street sits and how dense the city is.
 * Hand-placed from the real map of 官渡区 (the old city in the north-west, the airport at 长水,
 * villages in the east); approximate on purpose — the partition only needs plausible shapes.
 */

/** Approximate centre [lon, lat] of each street-level unit, keyed by its GB/T 2260 code. */
export const STREET_ANCHORS: Readonly<Record<string, readonly [number, number]>> = {
  '530111001': [102.745, 25.0], // 关上 — around the old 巫家坝 airport
  '530111002': [102.724, 25.03], // 太和 — next to the city centre
  '530111003': [102.737, 25.021], // 吴井
  '530111004': [102.765, 25.034], // 金马
  '530111005': [102.775, 24.989], // 小板桥
  '530111006': [102.742, 24.958], // 官渡 — the old town
  '530111007': [102.75, 24.918], // 矣六 — 新螺蛳湾, 新亚洲体育城
  '530111008': [102.7, 24.94], // 六甲 — towards 滇池
  '530111009': [102.95, 25.03], // 大板桥
  '530111010': [102.84, 25.055], // 阿拉
  '530111011': [102.925, 25.11], // 长水 — the airport
  '530111012': [102.995, 25.19], // 小哨
  '530111402': [102.815, 24.998], // 经开区
};

/** Urban centres as [lon, lat, weight, radius in degrees]; density is a sum of Gaussian bumps. */
const CENTRES: readonly (readonly [number, number, number, number])[] = [
  [102.733, 25.027, 1.6, 0.025], // old city edge: 太和, 吴井
  [102.748, 25.003, 1.0, 0.022], // 关上, 巫家坝
  [102.768, 25.035, 0.6, 0.02], // 金马
  [102.775, 24.99, 0.5, 0.02], // 小板桥
  [102.75, 24.962, 0.5, 0.022], // 官渡古镇, 世纪城
  [102.75, 24.925, 0.35, 0.02], // 新螺蛳湾
  [102.815, 24.995, 0.3, 0.02], // 经开区
  [102.7, 24.94, 0.2, 0.02], // 六甲
  [102.925, 25.105, 0.12, 0.025], // 长水机场
  [102.93, 25.04, 0.1, 0.03], // 大板桥
  [102.84, 25.06, 0.08, 0.025], // 阿拉
  [102.99, 25.19, 0.05, 0.03], // 小哨
];

/** Floor so farmland and hills still get some grids, sites and issues. */
const RURAL = 0.012;

/**
 * Relative urban density at a point (≈1 in the old city, ≈0.01 in the hills). Drives partition
 * sizes, grid counts, households, site placement and background issues, so they agree.
 */
export function urbanDensity(lon: number, lat: number): number {
  let d = RURAL;
  for (const [x, y, w, r] of CENTRES) {
    const dx = (lon - x) * 0.906;
    const dy = lat - y;
    d += w * Math.exp(-(dx * dx + dy * dy) / (2 * r * r));
  }
  return d;
}
