/**
 * The drill path: which unit the workspace looks at (district → street → community → grid, or a
 * key site), its breadcrumb, and where a click on the map drills to. Pure, over a lookup of names
 * and parents built once from `/api/meta`, `/api/grids` and `/api/sites`.
 * The scope grammar itself (`level:ID`) is the kernel's, server/domain/scope.ts.
 */
import { sameScope, scopeText, type Scope, type ScopeLevel } from '../../server/domain/scope';
import type { RegionNode } from '../api/types';

/** A named unit with its parent code (a grid's parent is its community; a site's is its community or street). */
export interface Place {
  level: ScopeLevel;
  id: string;
  name: string;
  parent: string | null;
  /** For grids and sites: the street and community they lie in. */
  street?: string | null;
  community?: string | null;
  grid?: string | null;
  /** For sites: the site type code. */
  type?: string;
}

/** Every known unit by scope text, plus the district code. */
export interface PlaceIndex {
  district: Place | null;
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

/** Builds the index from the region tree, the grids and the key sites (either may be empty while loading). */
export function buildPlaceIndex(regions: readonly RegionNode[], grids: readonly GridPlace[] = [], sites: readonly SitePlace[] = []): PlaceIndex {
  const byScope = new Map<string, Place>();
  let district: Place | null = null;
  const walk = (node: RegionNode, parent: string | null, street: string | null) => {
    const level = node.level as ScopeLevel;
    const place: Place = { level, id: node.code, name: node.name, parent, street: level === 'street' ? node.code : street };
    byScope.set(scopeText(place), place);
    if (level === 'district' && !district) district = place;
    for (const child of node.children ?? []) walk(child, node.code, level === 'street' ? node.code : street);
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
  return { district, byScope };
}

const PARENT_LEVEL: Partial<Record<ScopeLevel, ScopeLevel>> = { street: 'district', community: 'street', grid: 'community' };

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
 * The breadcrumb from the district down to the scope (官渡区 › 太和街道 › 和平路社区 › grid). A
 * site hangs under its street and community. Unknown units show their code, so a deep link still
 * has a way back up while names load.
 */
export function breadcrumb(index: PlaceIndex, scope: Scope | null): Crumb[] {
  const district = index.district;
  const head: Crumb[] = district ? [{ scope: { level: 'district', id: district.id }, name: district.name }] : [];
  if (!scope || scope.level === 'district') return head;
  const chain: Crumb[] = [];
  const place = placeOf(index, scope);
  chain.unshift({ scope, name: place?.name ?? scope.id });
  if (scope.level === 'site') {
    if (place?.community) chain.unshift(crumbOf(index, { level: 'community', id: place.community }));
    if (place?.street) chain.unshift(crumbOf(index, { level: 'street', id: place.street }));
    return [...head, ...chain];
  }
  let level = PARENT_LEVEL[scope.level];
  let parent = place?.parent ?? null;
  while (level && level !== 'district' && parent) {
    const up: Scope = { level, id: parent };
    chain.unshift(crumbOf(index, up));
    parent = placeOf(index, up)?.parent ?? null;
    level = PARENT_LEVEL[level];
  }
  return [...head, ...chain];
}

function crumbOf(index: PlaceIndex, scope: Scope): Crumb {
  return { scope, name: placeOf(index, scope)?.name ?? scope.id };
}

/** The street, community and grid at a clicked point (any may be unknown). */
export interface MapHit {
  street?: string | null;
  community?: string | null;
  grid?: string | null;
}

/**
 * Where a click on the map drills: one level below the scope when the click lies inside it
 * (district → street → community → grid), otherwise the neighbouring unit of the scope's own
 * level — so the map walks down and sideways, and the breadcrumb walks up. A site scope behaves
 * like its community. Null when the click hits nothing new.
 */
export function drillTarget(index: PlaceIndex, scope: Scope | null, hit: MapHit): Scope | null {
  const current = scope ?? (index.district ? { level: 'district' as const, id: index.district.id } : null);
  const at = (level: 'street' | 'community' | 'grid'): Scope | null => (hit[level] ? { level, id: hit[level]! } : null);
  if (!current) return at('street');
  let level = current.level;
  let id = current.id;
  if (level === 'site') {
    const site = placeOf(index, current);
    if (site?.community) [level, id] = ['community', site.community];
    else if (site?.street) [level, id] = ['street', site.street];
    else level = 'district';
  }
  let target: Scope | null;
  switch (level) {
    case 'district':
      target = at('street');
      break;
    case 'street':
      target = hit.street === id ? at('community') : at('street');
      break;
    case 'community':
      target = hit.community === id ? at('grid') : at('community');
      break;
    case 'grid':
      target = hit.grid && hit.grid !== id ? at('grid') : null;
      break;
    default:
      target = null;
  }
  return target && !sameScope(target, current) ? target : null;
}
