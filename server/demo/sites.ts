/**
 * Key sites (重点点位) of the demo city: every site type, real named places from local news, and
 * plausible names for the rest built from the real community and street names and local roads.
 */
import type { LineString, Point, Polygon, Position } from 'geojson';
import { chineseNumber, UniqueNames, type NameData, type SpotType } from './names.ts';
import { committee, districtRoot, streetOffice, type Place } from './places.ts';
import { apportion, WeightedTable, type Rng } from './rng.ts';
import { blockIn, lineIn, pointIn, type LineSpec } from './site-shapes.ts';

export type SiteType = SpotType;

/** One key site with its canonical properties (README's *Properties*) and what issue generation needs. */
export interface Site {
  id: string;
  type: SiteType;
  name: string;
  unit: string;
  buffer_m?: number;
  geometry: Point | LineString | Polygon;
  place: Place;
  /** Relative share of the issues found at this site. */
  attraction: number;
}

type Shape = { kind: 'point' } | { kind: 'line'; spec: LineSpec } | { kind: 'block'; side: [number, number] };

interface TypeSpec {
  /** Share of all sites at the default size (~1,500). */
  share: number;
  shape: Shape;
  /** Zone radius for points and lines; polygons are their own zone. */
  buffer?: number;
  /** Issues attracted by one site of this type, relative to the others. */
  attraction: number;
}

const POINT: Shape = { kind: 'point' };

/** Site types in output order. Counts are for 1,500 sites: ~1 practice station per community etc. */
export const SITE_TYPES: Readonly<Record<SiteType, TypeSpec>> = {
  market: { share: 45, shape: POINT, buffer: 80, attraction: 40 },
  school: { share: 140, shape: POINT, buffer: 200, attraction: 12 },
  back_alley: { share: 220, shape: { kind: 'line', spec: { length: [120, 380], vertices: [2, 4], turn: 35 } }, buffer: 25, attraction: 10 },
  residential: { share: 260, shape: { kind: 'block', side: [70, 240] }, attraction: 7 },
  main_road: { share: 90, shape: { kind: 'line', spec: { length: [500, 1800], vertices: [3, 6], turn: 8 } }, buffer: 30, attraction: 25 },
  intersection: { share: 140, shape: POINT, buffer: 50, attraction: 8 },
  bus_stop: { share: 200, shape: POINT, buffer: 30, attraction: 3 },
  hospital: { share: 35, shape: POINT, buffer: 100, attraction: 10 },
  park: { share: 50, shape: { kind: 'block', side: [90, 420] }, attraction: 6 },
  service_hall: { share: 60, shape: POINT, buffer: 50, attraction: 2 },
  practice_station: { share: 147, shape: POINT, buffer: 50, attraction: 1 },
  public_ad: { share: 70, shape: POINT, buffer: 20, attraction: 2 },
  volunteer_post: { share: 50, shape: POINT, buffer: 50, attraction: 3 },
};

/** Real places the demo must contain (they appear in local news about the campaign). */
const NAMED_SITES: readonly { type: SiteType; name: string; community: string; unit?: string; old?: boolean }[] = [
  { type: 'market', name: '双桥村综合农贸市场', community: '530111001002' },
  { type: 'market', name: '曙光社区农贸市场', community: '530111004008' },
  { type: 'market', name: '新螺蛳湾国际商贸城', community: '530111007002' },
  { type: 'residential', name: '和平路社区老旧小区', community: '530111002001', old: true },
  { type: 'residential', name: '曙光小区', community: '530111004008', old: true },
  { type: 'practice_station', name: '官渡区新时代文明实践中心', community: '530111001009', unit: '中共昆明市官渡区委宣传部' },
  { type: 'service_hall', name: '官渡区养老综合服务中心', community: '530111001010', unit: '官渡区民政局' },
  { type: 'hospital', name: '官渡区人民医院', community: '530111001009' },
];

/** Old compounds (老旧小区) generate far more 楼道堆物/飞线充电 than new estates. */
const OLD_COMPOUND_SHARE = 0.4;
const OLD_COMPOUND_BOOST = 2.2;

function geometryFor(rng: Rng, place: Place, shape: Shape, old: boolean): Point | LineString | Polygon {
  switch (shape.kind) {
    case 'point':
      return { type: 'Point', coordinates: pointIn(rng, place.area) };
    case 'line':
      return { type: 'LineString', coordinates: lineIn(rng, place.area, shape.spec) };
    case 'block': {
      const side: [number, number] = old ? [55, 160] : shape.side;
      return { type: 'Polygon', coordinates: [blockIn(rng, place.area, side)] };
    }
  }
}

/** Candidate names for a generic site, best first; {@link UniqueNames} takes the first free one. */
function nameCandidates(type: SiteType, p: Place, rng: Rng, names: NameData, old: boolean): string[] {
  const road = rng.pick(p.roads);
  const other = p.roads.find((r) => r !== road) ?? road;
  const k = 1 + rng.int(8);
  switch (type) {
    case 'market':
      return [`${p.root}农贸市场`, `${p.root}综合农贸市场`, `${road}农贸市场`, `${p.root}菜市场`];
    case 'school': {
      const kind = rng.pick(names.schoolKinds);
      return [`${p.district.name}${p.root}${kind}`, `${road}${kind}`];
    }
    case 'back_alley':
      return [`${p.root}${chineseNumber(k)}巷`, `${road}${chineseNumber(k)}巷`, `${p.root}后巷`];
    case 'residential':
      return old
        ? [`${rng.pick(names.oldCompoundUnits)}${rng.pick(names.oldCompoundSuffixes)}`, `${p.root}${rng.pick(names.oldCompoundSuffixes)}`]
        : [`${rng.pick(names.compoundPrefixes)}${rng.pick(names.compoundSuffixes)}`, `${p.root}${rng.pick(names.compoundSuffixes)}`];
    case 'main_road':
      return [...rng.shuffle([...p.roads]), `${road}${p.root}段`];
    case 'intersection':
      return [`${road}与${other}交叉口`, `${other}与${road}交叉口`];
    case 'bus_stop':
      return [`${p.root}公交站`, `${road}${p.root}公交站`, `${road}口公交站`];
    case 'hospital':
      return rng.chance(0.4) ? [`${p.streetRoot}社区卫生服务中心`, `${p.root}社区卫生服务站`] : [`${p.root}社区卫生服务站`, `${road}门诊部`];
    case 'park':
      return [`${p.root}${rng.pick(names.parkKinds)}`, `${road}${rng.pick(names.parkKinds)}`];
    case 'service_hall':
      return [`${p.street.name}政务服务中心`, `${p.community.name}党群服务中心`, `${p.community.name}便民服务站`];
    case 'practice_station':
      return [`${p.street.name}新时代文明实践所`, `${p.community.name}新时代文明实践站`];
    case 'public_ad':
      return [`${road}公益广告牌`, `${road}${rng.pick(names.directions)}侧公益广告`, `${p.community.name}公益广告宣传栏`];
    case 'volunteer_post':
      return [`${road}与${other}路口文明劝导岗`, `${road}文明交通劝导岗`];
  }
}

/** The accountable unit (责任单位) for a site. */
function unitFor(type: SiteType, name: string, p: Place, rng: Rng): string {
  const district = p.district.name;
  switch (type) {
    case 'market':
      return rng.chance(0.4) ? `${district}市场监督管理局` : streetOffice(p.street);
    case 'school':
      return `${district}教育体育局`;
    case 'back_alley':
    case 'volunteer_post':
      return streetOffice(p.street);
    case 'residential':
      return committee(p.community);
    case 'main_road':
      return `${district}城市管理局`;
    case 'intersection':
      return `昆明市公安局交通管理支队${districtRoot(district)}大队`;
    case 'bus_stop':
      return '昆明公交集团有限责任公司';
    case 'hospital':
      return `${district}卫生健康局`;
    case 'park':
      return rng.chance(0.5) ? `${district}城市管理局` : streetOffice(p.street);
    case 'service_hall':
      return name.includes('政务') ? `${district}政务服务管理局` : committee(p.community);
    case 'practice_station':
      return name.endsWith('所') ? streetOffice(p.street) : committee(p.community);
    case 'public_ad':
      return `${district}文明办`;
  }
}

/** Site counts per type summing to `total`, but never below one per type or the named sites of a type. */
export function siteCounts(total: number, named: readonly { type: SiteType }[]): Record<SiteType, number> {
  const types = Object.keys(SITE_TYPES) as SiteType[];
  const floor = types.map((t) => Math.max(1, named.filter((s) => s.type === t).length));
  const counts = apportion(total, types.map((t) => SITE_TYPES[t].share)).map((c, i) => Math.max(c, floor[i]));
  // Raising small types to their floor overshoots; give it back from the types with most room.
  for (let excess = counts.reduce((s, c) => s + c, 0) - total; excess > 0; excess--) {
    const i = counts.reduce((best, c, j) => (c - floor[j] > counts[best] - floor[best] ? j : best), 0);
    if (counts[i] === floor[i]) break;
    counts[i]--;
  }
  return Object.fromEntries(types.map((t, i) => [t, counts[i]])) as Record<SiteType, number>;
}

/**
 * Builds `total` sites (more only if `total` leaves no room for one of each type and the named
 * sites), placed in communities weighted by population. IDs run 'S000001'… in type order.
 */
export function buildSites(places: readonly Place[], total: number, rng: Rng, names: NameData): Site[] {
  const byCode = new Map(places.map((p) => [p.community.code, p]));
  // The named places of the districts the demo holds.
  const namedSites = NAMED_SITES.filter((s) => byCode.has(s.community));
  const counts = siteCounts(total, namedSites);
  const unique = new UniqueNames();
  namedSites.forEach((s) => unique.reserve(s.name));
  const chooser = new WeightedTable(
    places,
    places.map((p) => p.community.mass ** 0.8),
  );
  const sites: Site[] = [];
  const add = (type: SiteType, name: string, p: Place, unit: string, old: boolean, boost: number) => {
    const spec = SITE_TYPES[type];
    sites.push({
      id: `S${String(sites.length + 1).padStart(6, '0')}`,
      type,
      name,
      unit,
      ...(spec.buffer ? { buffer_m: spec.buffer } : {}),
      geometry: geometryFor(rng, p, spec.shape, old),
      place: p,
      attraction: spec.attraction * (old ? OLD_COMPOUND_BOOST : 1) * boost * rng.logNormal(1, 0.6),
    });
  };
  for (const type of Object.keys(SITE_TYPES) as SiteType[]) {
    const named = namedSites.filter((s) => s.type === type);
    for (const s of named) {
      const p = byCode.get(s.community)!;
      // Named places are the ones a demo audience will look for, so they are made hot spots.
      add(type, s.name, p, s.unit ?? unitFor(type, s.name, p, rng), s.old ?? false, 3);
    }
    // Practice stations follow the real hierarchy: one 所 per street, then one 站 per community.
    const planned =
      type === 'practice_station'
        ? [...rng.shuffle(places.filter((p, i, all) => all.findIndex((q) => q.street === p.street) === i)), ...rng.shuffle([...places])]
        : [];
    for (let k = named.length; k < counts[type]; k++) {
      const p = planned.shift() ?? chooser.draw(rng);
      const old = type === 'residential' && rng.chance(OLD_COMPOUND_SHARE);
      const name = unique.take(nameCandidates(type, p, rng, names, old));
      add(type, name, p, unitFor(type, name, p, rng), old, 1);
    }
  }
  return sites;
}

/** A point of the site that is inside its community: where issues fall back to. */
export function siteAnchor(site: Site): Position {
  const g = site.geometry;
  return g.type === 'Point' ? g.coordinates : g.type === 'LineString' ? g.coordinates[0] : g.coordinates[0][0];
}
