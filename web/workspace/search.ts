/**
 * Search over districts, streets, communities, grids and key sites by name or code (typing 双桥
 * finds 双桥村综合农贸市场 and 双桥社区). Pure and synchronous: the names of a city's few tens of
 * thousands of units are already in the browser, so every keystroke answers at once, offline.
 */
import type { Scope, ScopeLevel } from '../../server/domain/scope';
import { placeOf, type Place, type PlaceIndex } from '../stores/scope-path';

/** One searchable unit. */
export interface SearchEntry {
  scope: Scope;
  name: string;
  /** Where it lies, for telling apart same-named units (e.g. 关上街道 · 关上社区). */
  context: string;
  /** Lower-cased name and code, matched against the query. */
  haystackName: string;
  haystackCode: string;
  /** Tie-break among sites: the position of the site's type in `siteTypeOrder` (markets before bus stops). */
  typeRank: number;
}

/**
 * Districts, streets and communities first (few, and what a leader names most), then key sites,
 * then grids: grids are many and named after their community, so they would crowd out the sites.
 */
const LEVEL_ORDER: Record<ScopeLevel, number> = { city: 0, district: 1, street: 2, community: 3, site: 4, grid: 5, department: 6 };

/**
 * Search entries for every place of the index except the top itself (the city, or the district
 * when that is the top). `siteTypeOrder` is the site types in display order (`/api/meta` lists
 * them so); unknown types go last.
 */
export function buildSearchEntries(index: PlaceIndex, siteTypeOrder: readonly string[] = []): SearchEntry[] {
  const name = (level: ScopeLevel, id: string | null | undefined) => (id ? (placeOf(index, { level, id })?.name ?? null) : null);
  const out: SearchEntry[] = [];
  for (const place of index.byScope.values()) {
    if (place === index.top) continue;
    out.push({
      scope: { level: place.level, id: place.id },
      name: place.name,
      context: contextOf(place, name, index.top),
      haystackName: place.name.toLowerCase(),
      haystackCode: place.id.toLowerCase(),
      typeRank: place.type && siteTypeOrder.includes(place.type) ? siteTypeOrder.indexOf(place.type) : siteTypeOrder.length,
    });
  }
  return out;
}

function contextOf(place: Place, name: (level: ScopeLevel, id: string | null | undefined) => string | null, top: Place | null): string {
  switch (place.level) {
    case 'street':
      // Under a city, a street says which district it is in; under the district at the top it needs nothing.
      return place.parent && place.parent !== top?.id ? (name('district', place.parent) ?? '') : '';
    case 'community':
      return name('street', place.parent) ?? '';
    case 'grid':
      return [name('street', place.street), name('community', place.community)].filter(Boolean).join(' · ');
    case 'site':
      return [name('street', place.street), name('community', place.community)].filter(Boolean).join(' · ');
    default:
      return '';
  }
}

/** How well an entry matches: lower is better, null = no match. */
function matchRank(e: SearchEntry, q: string): number | null {
  if (e.haystackName === q || e.haystackCode === q) return 0;
  if (e.haystackName.startsWith(q)) return 1;
  if (e.haystackCode.startsWith(q)) return 2;
  if (e.haystackName.includes(q)) return 3;
  // Codes are searched by prefix only: a digit run in the middle of a grid code means nothing.
  return null;
}

/**
 * Entries matching the query (case-insensitive; whitespace ignored), best first: exact, then name
 * prefix, then code prefix, then name substring; ties by level (districts, streets, communities,
 * sites, grids), site type, shorter names, then code. An empty query matches nothing.
 */
export function searchPlaces(entries: readonly SearchEntry[], query: string, limit = 20): SearchEntry[] {
  const q = query.replace(/\s+/g, '').toLowerCase();
  if (!q) return [];
  const hits: { e: SearchEntry; rank: number }[] = [];
  for (const e of entries) {
    const rank = matchRank(e, q);
    if (rank !== null) hits.push({ e, rank });
  }
  hits.sort(
    (a, b) =>
      a.rank - b.rank ||
      LEVEL_ORDER[a.e.scope.level] - LEVEL_ORDER[b.e.scope.level] ||
      a.e.typeRank - b.e.typeRank ||
      a.e.name.length - b.e.name.length ||
      (a.e.scope.id < b.e.scope.id ? -1 : a.e.scope.id > b.e.scope.id ? 1 : 0),
  );
  return hits.slice(0, limit).map((h) => h.e);
}
