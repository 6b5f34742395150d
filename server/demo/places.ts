/**
 * Per-community context shared by site and issue generation: the prepared polygon for sampling,
 * the short names used to build place names, the roads that run through it and its
 * accountable offices.
 */
import { prepare, type PreparedArea } from './geometry.ts';
import { communityRoot, streetRoads, streetRoot, type NameData } from './names.ts';
import type { Region } from './regions.ts';
import type { Rng } from './rng.ts';

/** A community with everything needed to put named things inside it. */
export interface Place {
  community: Region;
  street: Region;
  district: Region;
  /** '双桥' for 双桥社区. */
  root: string;
  /** '关上' for 关上街道, '经开区' for 昆明经济技术开发区. */
  streetRoot: string;
  /** Roads of the street that pass through this community (addresses, road and alley names). */
  roads: string[];
  area: PreparedArea;
}

/**
 * One place per community, in community order. Each community gets three of its street's roads,
 * so neighbouring addresses share road names the way real ones do.
 */
export function buildPlaces(districts: readonly Region[], streets: readonly Region[], communities: readonly Region[], names: NameData, rng: Rng): Place[] {
  const byCode = new Map([...districts, ...streets].map((s) => [s.code, s]));
  return communities.map((c) => {
    const street = byCode.get(c.parent ?? '');
    const district = byCode.get(street?.parent ?? '');
    if (!street || !district) throw new Error(`community ${c.code} has no street or district`);
    const pool = streetRoads(street, names);
    if (pool.length < 3) throw new Error(`demo-names.json: street ${street.code} needs at least 3 roads`);
    return {
      community: c,
      street,
      district,
      root: communityRoot(c.name),
      streetRoot: streetRoot(street.name),
      roads: rng.shuffle([...pool]).slice(0, 3),
      area: prepare(c.geometry),
    };
  });
}

/** The street's office as an accountable unit: '关上街道办事处', '二街镇人民政府'; a development zone has a management committee. */
export function streetOffice(street: Region): string {
  if (street.name.endsWith('街道')) return `${street.name}办事处`;
  return /[镇乡]$/.test(street.name) ? `${street.name}人民政府` : `${street.name}管理委员会`;
}

/** The community's committee: '双桥社区居民委员会', '大树营村民委员会'. */
export function committee(community: Region): string {
  return community.name.endsWith('村') ? `${community.name.slice(0, -1)}村民委员会` : `${community.name}居民委员会`;
}

/** '官渡区' → '官渡', '石林彝族自治县' → '石林', '安宁市' → '安宁': how a district names its own offices. */
export function districtRoot(name: string): string {
  return name.replace(/((彝族|苗族|回族)*自治县|区|县|市)$/, '');
}
