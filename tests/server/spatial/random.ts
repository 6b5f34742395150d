/** Seeded PRNG so property-style spatial tests are reproducible: the benchmark's own. */
export { seededRandom as seeded } from '../../../scripts/bench/pip-benchmark.ts';

/** Approximate ground distance in metres between two nearby lon/lat points. */
export function metresBetween(a: readonly number[], b: readonly number[]): number {
  const lat = ((a[1]! + b[1]!) / 2) * (Math.PI / 180);
  const dx = (a[0]! - b[0]!) * 111_320 * Math.cos(lat);
  const dy = (a[1]! - b[1]!) * 110_574;
  return Math.hypot(dx, dy);
}
