/**
 * Chinese names for the demo city: people (网格员), roads, compounds and the short forms of real
 * street and community names that site names are built from. Word lists live in
 * data/demo-names.json.
 */
import { readFileSync } from 'node:fs';
import type { Rng } from './rng.ts';

/** Site types whose issue descriptions have location phrases in the names file. */
export type SpotType =
  | 'market'
  | 'school'
  | 'back_alley'
  | 'residential'
  | 'main_road'
  | 'intersection'
  | 'bus_stop'
  | 'hospital'
  | 'park'
  | 'service_hall'
  | 'practice_station'
  | 'public_ad'
  | 'volunteer_post';

/** Shape of data/demo-names.json. */
export interface NameData {
  surnames: string[];
  givenChars: string[];
  roadsByStreet: Record<string, string[]>;
  /** Real roads of a district, for its streets without a list of their own. */
  roadsByDistrict: Record<string, string[]>;
  compoundPrefixes: string[];
  compoundSuffixes: string[];
  oldCompoundUnits: string[];
  oldCompoundSuffixes: string[];
  schoolKinds: string[];
  parkKinds: string[];
  directions: string[];
  spots: Record<SpotType, string[]>;
}

/** Reads data/demo-names.json. */
export function loadNames(): NameData {
  return JSON.parse(readFileSync(new URL('../../data/demo-names.json', import.meta.url), 'utf8')) as NameData;
}

/**
 * A plausible personal name: surname drawn with a Zipf-like bias towards the common ones (the list
 * is in frequency order), then one or two given-name characters.
 */
export function personName(rng: Rng, names: NameData): string {
  const n = names.surnames.length;
  // Inverse CDF of weights ∝ 1/(i+4): common surnames dominate without the tail vanishing.
  const i = Math.floor(4 * ((n + 4) / 4) ** rng.next() - 4);
  const surname = names.surnames[Math.min(n - 1, Math.max(0, i))];
  const given = rng.pick(names.givenChars) + (rng.chance(0.72) ? rng.pick(names.givenChars) : '');
  return surname + given;
}

/** '双桥社区' → '双桥', '大树营村' → '大树营'. */
export function communityRoot(name: string): string {
  return name.replace(/(社区|村)$/, '');
}

/** The short names people use for the development zones that stand in for streets. */
const ZONE_ROOTS: Readonly<Record<string, string>> = {
  昆明经济技术开发区: '经开区',
  昆明国家高新技术产业开发区: '高新区',
  昆明滇池国家旅游度假区: '度假区',
};

/** '关上街道' → '关上', '双河彝族乡' → '双河', '昆明经济技术开发区' → '经开区'. */
export function streetRoot(name: string): string {
  return ZONE_ROOTS[name] ?? name.replace(/((彝族|苗族|回族)*乡|街道|镇)$/, '');
}

/**
 * The roads a street's addresses and road names come from: its own list when the names file has
 * one, else its district's real roads plus three named after the street ('六街路').
 */
export function streetRoads(street: { code: string; name: string; parent: string | null }, names: NameData): string[] {
  const own = names.roadsByStreet[street.code];
  if (own) return own;
  const root = streetRoot(street.name);
  return [...(names.roadsByDistrict[street.parent ?? ''] ?? []), `${root}路`, `${root}中路`, `${root}街`];
}

/** Replaces every '#' in a phrase with a small house/building number. */
export function fillNumbers(phrase: string, rng: Rng): string {
  return phrase.replace(/#/g, () => String(1 + rng.int(phrase.includes('单元') ? 6 : 30)));
}

/** Chinese numerals for small ordinals in names like '双桥一巷'. */
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → '一', 12 → '十二' (up to 99). */
export function chineseNumber(n: number): string {
  if (n <= 10) return NUMERALS[n - 1];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return (tens > 1 ? NUMERALS[tens - 1] : '') + '十' + (ones ? NUMERALS[ones - 1] : '');
}

/**
 * Hands out unique names: tries candidates in order and, when all are taken, appends a
 * distinguishing ordinal to the first ('…（二）').
 */
export class UniqueNames {
  private readonly used = new Set<string>();

  /** Marks names that exist already (the real named places). */
  reserve(name: string): void {
    this.used.add(name);
  }

  /** The first free candidate, or the first candidate made unique. */
  take(candidates: readonly string[]): string {
    for (const c of candidates)
      if (!this.used.has(c)) {
        this.used.add(c);
        return c;
      }
    for (let k = 2; ; k++) {
      const c = `${candidates[0]}（${k < 100 ? chineseNumber(k) : k}）`;
      if (!this.used.has(c)) {
        this.used.add(c);
        return c;
      }
    }
  }
}
