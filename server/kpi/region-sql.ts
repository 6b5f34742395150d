/**
 * SQL of the region hierarchy (city → district → street → community): which regions lie under a
 * region scope. Issues, sites and grids carry their street and community only, so every wider
 * scope reaches them through its streets or communities; this is the one place that walks down.
 */
import { levelDepth } from '../domain/scope.ts';
import type { RegionLevel } from '../domain/vocabulary.ts';

const REGION_ORDER: readonly RegionLevel[] = ['city', 'district', 'street', 'community'];

/**
 * A subquery selecting the codes of the regions of `level` that are, or lie under, the region
 * `$scopeId` of `scopeLevel`; `level` must not lie above it. Levels are constants of the
 * vocabulary, so inlining them is safe.
 */
export function regionCodesUnder(level: RegionLevel, scopeLevel: RegionLevel): string {
  const below = levelDepth(level)! - levelDepth(scopeLevel)!;
  if (below < 0) throw new Error(`${level} lies above ${scopeLevel}`);
  if (below === 0) return '(SELECT $scopeId)';
  const parent = REGION_ORDER[REGION_ORDER.indexOf(level) - 1];
  const parents = below === 1 ? '= $scopeId' : `IN ${regionCodesUnder(parent, scopeLevel)}`;
  return `(SELECT code FROM regions WHERE level = '${level}' AND parent ${parents})`;
}

/** True for the scope levels that are regions (a grid or a key site is not). */
export function isRegionLevel(level: string): level is RegionLevel {
  return (REGION_ORDER as readonly string[]).includes(level);
}
