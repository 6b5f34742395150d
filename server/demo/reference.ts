/**
 * Reference layers of the demo city, so its maps are not grids on plain grey: a road network that
 * follows the boundaries people drew along roads — main roads (主干路) where streets meet, secondary
 * roads (次干路) between communities, some minor roads (支路) between grids — two rivers and a lake,
 * and the key sites people look for as landmarks. Main and secondary roads take names from the
 * street's real roads (data/demo-names.json; their placement is made up); rivers and the lake
 * have clearly made-up names.
 */
import type { LineString, Polygon, Position } from 'geojson';
import { SITE_TYPES } from '../db/site-types.ts';
import { polygonsOf } from '../domain/geometry.ts';
import { contains, offsetMetres, prepare, type Area } from './geometry.ts';
import type { Grid } from './grids.ts';
import { streetRoads, type NameData } from './names.ts';
import type { Region } from './regions.ts';
import type { Rng } from './rng.ts';
import { siteAnchor, type Site } from './sites.ts';

/** One feature of a reference layer, in the import's canonical properties. */
export interface ReferenceFeature<G> {
  properties: { name: string | null; class: string };
  geometry: G;
}

/** The three layers. */
export interface DemoReference {
  roads: ReferenceFeature<LineString>[];
  water: ReferenceFeature<LineString | Polygon>[];
  poi: ReferenceFeature<{ type: 'Point'; coordinates: Position }>[];
}

/** Share of the boundaries between grids (not communities) drawn as minor roads. */
const MINOR_SHARE = 0.6;
/** Site types that make landmarks. */
const LANDMARK_TYPES = new Set(['market', 'school', 'hospital', 'park', 'service_hall']);

const key = (p: Position) => `${Math.round(p[0] * 1e7)},${Math.round(p[1] * 1e7)}`;
const edgeKey = (a: Position, b: Position) => {
  const [ka, kb] = [key(a), key(b)];
  return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
};

/** Each boundary segment shared by two different owners, with one owner and its ends. */
function sharedEdges(owners: readonly { code: string; geometry: Area }[]): Map<string, { owner: string; a: Position; b: Position }> {
  const seen = new Map<string, { owner: string; a: Position; b: Position; shared: boolean }>();
  for (const { code, geometry } of owners) {
    for (const poly of polygonsOf(geometry)) {
      for (const ring of poly) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const k = edgeKey(ring[i], ring[i + 1]);
          if (k.split('|')[0] === k.split('|')[1]) continue;
          const hit = seen.get(k);
          if (!hit) seen.set(k, { owner: code, a: ring[i], b: ring[i + 1], shared: false });
          else if (hit.owner !== code) hit.shared = true;
        }
      }
    }
  }
  return new Map([...seen].filter(([, e]) => e.shared));
}

/** Joins segments into polylines through the vertices where exactly two meet, in a stable order. */
function chains(edges: readonly { a: Position; b: Position }[]): Position[][] {
  const at = new Map<string, number[]>();
  edges.forEach((e, i) => {
    for (const p of [e.a, e.b]) at.set(key(p), [...(at.get(key(p)) ?? []), i]);
  });
  const used = new Set<number>();
  const walk = (start: number, from: Position): Position[] => {
    const line = [from];
    let i = start;
    let here = from;
    for (;;) {
      used.add(i);
      const e = edges[i];
      const next = key(e.a) === key(here) ? e.b : e.a;
      line.push(next);
      here = next;
      const onward = at.get(key(here))!.filter((j) => !used.has(j));
      if (at.get(key(here))!.length !== 2 || onward.length !== 1) return line;
      i = onward[0];
    }
  };
  const out: Position[][] = [];
  // Ends and junctions first, so chains run between them; closed loops last.
  for (const [k, list] of at) {
    if (list.length === 2) continue;
    for (const i of list) if (!used.has(i)) out.push(walk(i, key(edges[i].a) === k ? edges[i].a : edges[i].b));
  }
  edges.forEach((e, i) => !used.has(i) && out.push(walk(i, e.a)));
  return out;
}

/** A meandering river across the whole area from west to east, kept to the parts inside it. */
function river(whole: Area, rng: Rng): Position[][] {
  const area = prepare(whole);
  const [w, s, e, n] = [area.bbox[0], area.bbox[1], area.bbox[2], area.bbox[3]];
  let lat = s + (n - s) * (0.25 + 0.5 * rng.next());
  const points: Position[] = [];
  for (let i = 0; i <= 60; i++) {
    lat = Math.min(n, Math.max(s, lat + (rng.next() - 0.5) * (n - s) * 0.03));
    points.push([w + ((e - w) * i) / 60, lat]);
  }
  const runs: Position[][] = [[]];
  for (const p of points) {
    if (contains(area, p[0], p[1])) runs[runs.length - 1].push(p);
    else if (runs[runs.length - 1].length) runs.push([]);
  }
  return runs.filter((r) => r.length >= 2);
}

/** A small round lake of `radiusM` metres around a point. */
function lake([lon, lat]: Position, radiusM: number): Polygon {
  const ring: Position[] = [];
  for (let i = 0; i < 24; i++) {
    const a = (i / 24) * 2 * Math.PI;
    ring.push(offsetMetres(lon, lat, radiusM * Math.cos(a), radiusM * 0.7 * Math.sin(a)));
  }
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** The demo's reference layers, the same for the same seed. */
export function buildReference(
  city: { top: Region; streets: readonly Region[]; communities: readonly Region[]; grids: readonly Grid[]; sites: readonly Site[] },
  names: NameData,
  rng: Rng,
): DemoReference {
  const roadsOf = new Map(city.streets.map((s) => [s.code, streetRoads(s, names)]));
  /** A road's name from the street it runs along, or null. */
  const roadName = (street: string): string | null => {
    const pool = roadsOf.get(street);
    return pool?.length ? rng.pick(pool) : null;
  };
  const main = sharedEdges(city.streets);
  const streetOfCommunity = new Map(city.communities.map((c) => [c.code, c.parent ?? '']));
  const secondary = [...sharedEdges(city.communities)].filter(([k]) => !main.has(k));
  const secondaryKeys = new Set(secondary.map(([k]) => k));
  const minor = [...sharedEdges(city.grids)].filter(([k]) => !main.has(k) && !secondaryKeys.has(k) && rng.chance(MINOR_SHARE));

  const roads: DemoReference['roads'] = [];
  const add = (edges: { owner: string; a: Position; b: Position }[], cls: string, named: (owner: string) => string | null) => {
    const owner = new Map(edges.map((e) => [edgeKey(e.a, e.b), e.owner]));
    for (const line of chains(edges)) {
      if (line.length < 2) continue;
      const street = owner.get(edgeKey(line[0], line[1]))!;
      roads.push({ properties: { name: named(street), class: cls }, geometry: { type: 'LineString', coordinates: line } });
    }
  };
  add([...main.values()], '主干路', (street) => roadName(street));
  add(secondary.map(([, e]) => e), '次干路', (community) => (rng.chance(0.5) ? roadName(streetOfCommunity.get(community) ?? '') : null));
  add(minor.map(([, e]) => e), '支路', () => null);

  const water: DemoReference['water'] = [];
  for (let r = 1; r <= 2; r++) {
    for (const run of river(city.top.geometry, rng)) water.push({ properties: { name: `示例河${r}`, class: 'river' }, geometry: { type: 'LineString', coordinates: run } });
  }
  const parks = city.sites.filter((s) => s.type === 'park');
  if (parks.length) water.push({ properties: { name: '示例湖', class: 'lake' }, geometry: lake(siteAnchor(rng.pick(parks)), 180) });

  const typeName = new Map(SITE_TYPES.map((t) => [t.code, t.name]));
  const poi: DemoReference['poi'] = city.sites
    .filter((s) => LANDMARK_TYPES.has(s.type))
    .map((s) => ({ properties: { name: s.name, class: typeName.get(s.type) ?? s.type }, geometry: { type: 'Point', coordinates: siteAnchor(s) } }));
  return { roads, water, poi };
}
