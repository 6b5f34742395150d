/**
 * The drill path: which unit the workspace looks at (city → district → street → community → grid,
 * or a key site), its breadcrumb, and where a click on the map drills to. The path starts at the
 * top of the loaded hierarchy — a city, or a district when that is all a deployment holds — never
 * at a fixed level. Pure, over a lookup of names and parents built once from `/api/meta`,
 * `/api/grids` and `/api/sites`. The scope grammar itself (`level:ID`, the order of the levels) is
 * the kernel's, server/domain/scope.ts.
 */
import { HIERARCHY_LEVELS, levelBelow, levelDepth, sameScope, scopeText, type Scope, type ScopeLevel } from '../../server/domain/scope';
import type { RegionNode } from '../api/types';

/** A named unit with its parent code (a grid's parent is its community; a site's is its community or street). */
export interface Place {
  level: ScopeLevel;
  id: string;
  name: string;
  parent: string | null;
  /** For streets and below: the street they lie in. */
  street?: string | null;
  /** For grids and sites: the community and grid they lie in. */
  community?: string | null;
  grid?: string | null;
  /** For sites: the site type code. */
  type?: string;
}

/** Every known unit by scope text, plus the top of the hierarchy (the root of `/api/meta`'s tree). */
export interface PlaceIndex {
  top: Place | null;
  byScope: Map<string, Place>;
}

/** Grid properties the index reads. */
export interface GridPlace {
  code: string;
  name: string;
  community: string;
  street: string | null;
}

/** Site properties the index reads. */
export interface SitePlace {
  id: string;
  name: string;
  type?: string;
  street: string | null;
  community: string | null;
  grid: string | null;
}

/** Department fields the index reads (`/api/meta`'s departments). */
export interface DepartmentPlace {
  code: string;
  name: string;
}

/**
 * Builds the index from the region tree, the grids, the key sites and the departments (any may be
 * empty while loading). A department stands beside the region tree: it has no parent.
 */
export function buildPlaceIndex(
  regions: readonly RegionNode[],
  grids: readonly GridPlace[] = [],
  sites: readonly SitePlace[] = [],
  departments: readonly DepartmentPlace[] = [],
): PlaceIndex {
  const byScope = new Map<string, Place>();
  let top: Place | null = null;
  const walk = (node: RegionNode, parent: string | null, street: string | null) => {
    const level = node.level as ScopeLevel;
    const place: Place = { level, id: node.code, name: node.name, parent, street: level === 'street' ? node.code : street };
    byScope.set(scopeText(place), place);
    top ??= place;
    for (const child of node.children ?? []) walk(child, node.code, place.street ?? null);
  };
  for (const root of regions) walk(root, null, null);
  for (const g of grids) {
    byScope.set(scopeText({ level: 'grid', id: g.code }), { level: 'grid', id: g.code, name: g.name, parent: g.community, community: g.community, street: g.street });
  }
  for (const s of sites) {
    byScope.set(scopeText({ level: 'site', id: s.id }), {
      level: 'site', id: s.id, name: s.name, parent: s.community ?? s.street, street: s.street, community: s.community, grid: s.grid, type: s.type,
    });
  }
  for (const d of departments) byScope.set(scopeText({ level: 'department', id: d.code }), { level: 'department', id: d.code, name: d.name, parent: null });
  return { top, byScope };
}

/** The scope of the top of the hierarchy (what a workspace without a drill scope shows), or null before the tree is in. */
export function topScope(index: PlaceIndex): Scope | null {
  return index.top ? { level: index.top.level, id: index.top.id } : null;
}

/** The level of the hierarchy above `level` (street → district); null for the city and for key sites. */
export function levelAbove(level: ScopeLevel): ScopeLevel | null {
  const depth = levelDepth(level);
  return depth ? HIERARCHY_LEVELS[depth - 1] : null;
}

/** The place of a scope, or null when unknown. */
export function placeOf(index: PlaceIndex, scope: Scope): Place | null {
  return index.byScope.get(scopeText(scope)) ?? null;
}

/** One step of the breadcrumb. */
export interface Crumb {
  scope: Scope;
  name: string;
}

/**
 * The breadcrumb from the top down to the scope (昆明市 › 官渡区 › 太和街道 › 和平路社区 › grid, or
 * 官渡区 › … when the district is the top). A site hangs under its street and community. Unknown
 * units show their code, so a deep link still has a way back up while names load.
 */
export function breadcrumb(index: PlaceIndex, scope: Scope | null): Crumb[] {
  const top = topScope(index);
  const head: Crumb[] = top ? [crumbOf(index, top)] : [];
  if (!scope || sameScope(scope, top)) return head;
  const place = placeOf(index, scope);
  const chain: Crumb[] = [{ scope, name: place?.name ?? scope.id }];
  let up: Scope | null;
  if (scope.level === 'site') {
    if (place?.community) chain.unshift(crumbOf(index, { level: 'community', id: place.community }));
    up = place?.street ? { level: 'street', id: place.street } : null;
  } else {
    const level = levelAbove(scope.level);
    up = level && place?.parent ? { level, id: place.parent } : null;
  }
  // Up to (not including) the top: a unit above the top is not on this deployment's path.
  const topDepth = top ? (levelDepth(top.level) ?? -1) : -1;
  while (up && (levelDepth(up.level) ?? -1) > topDepth) {
    chain.unshift(crumbOf(index, up));
    const level = levelAbove(up.level);
    const parent = placeOf(index, up)?.parent ?? null;
    up = level && parent ? { level, id: parent } : null;
  }
  return [...head, ...chain];
}

function crumbOf(index: PlaceIndex, scope: Scope): Crumb {
  return { scope, name: placeOf(index, scope)?.name ?? scope.id };
}

/** The district, street, community and grid at a clicked point (any may be unknown). */
export interface MapHit {
  district?: string | null;
  street?: string | null;
  community?: string | null;
  grid?: string | null;
}

/** Levels a map click can name. */
type HitLevel = keyof MapHit;
const HIT_LEVELS: readonly ScopeLevel[] = ['district', 'street', 'community', 'grid'];

/**
 * Where a click on the map drills: one level below the scope when the click lies inside it
 * (city → district → street → community → grid), otherwise the neighbouring unit of the scope's
 * own level — so the map walks down and sideways, and the breadcrumb walks up. A site scope
 * behaves like its community. A click names no district: it is the parent of the street hit.
 * Null when the click hits nothing new.
 */
export function drillTarget(index: PlaceIndex, scope: Scope | null, hit: MapHit): Scope | null {
  const top = topScope(index);
  const district = hit.district ?? (hit.street ? (placeOf(index, { level: 'street', id: hit.street })?.parent ?? null) : null);
  const hits: MapHit = { ...hit, district };
  const at = (level: ScopeLevel | null): Scope | null => {
    const id = level && HIT_LEVELS.includes(level) ? hits[level as HitLevel] : null;
    return level && id ? { level, id } : null;
  };
  let current = scope ?? top;
  if (current?.level === 'site') {
    const site = placeOf(index, current);
    current = site?.community ? { level: 'community', id: site.community } : site?.street ? { level: 'street', id: site.street } : top;
  }
  // Before the tree is in, a click can only name a street.
  if (!current) return at('street');
  const inside = sameScope(current, top) || (HIT_LEVELS.includes(current.level) && hits[current.level as HitLevel] === current.id);
  const target = inside ? at(levelBelow(current.level)) : at(current.level);
  return target && !sameScope(target, current) ? target : null;
}
