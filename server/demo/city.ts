/**
 * Which part of 昆明市 the demo generates: the six urban districts (昆明主城六区) by default, one
 * district (the old 官渡区 demo) or all 14 county-level units, and how big each part is.
 */

/** The city above the districts when the demo holds more than one. */
export const CITY = { code: '530100', name: '昆明市' } as const;

/** 昆明主城六区: 五华, 盘龙, 官渡, 西山, 呈贡, 晋宁. */
export const MAIN_DISTRICTS: readonly string[] = ['530102', '530103', '530111', '530112', '530114', '530115'];

/** Households per county-level unit: 2020 census residents at ~2.7 per household. */
const HOUSEHOLDS: Readonly<Record<string, number>> = {
  '530102': 424_000, // 五华区
  '530103': 366_000, // 盘龙区
  '530111': 590_000, // 官渡区
  '530112': 356_000, // 西山区
  '530113': 101_000, // 东川区
  '530114': 241_000, // 呈贡区
  '530115': 130_000, // 晋宁区
  '530124': 54_000, // 富民县
  '530125': 156_000, // 宜良县
  '530126': 89_000, // 石林彝族自治县
  '530127': 156_000, // 嵩明县
  '530128': 148_000, // 禄劝彝族苗族自治县
  '530129': 170_000, // 寻甸回族彝族自治县
  '530181': 178_000, // 安宁市
};

/** The one-district demo's sizes, which the defaults scale from: 600 grids and 1,500 sites for 官渡区. */
const REFERENCE = { households: HOUSEHOLDS['530111'], grids: 600, sites: 1500 };

/** Households of the selected districts together. */
export function householdsOf(districts: readonly string[]): number {
  return districts.reduce((sum, code) => {
    const h = HOUSEHOLDS[code];
    if (h === undefined) throw new Error(`${code} is not a county-level unit of ${CITY.name}`);
    return sum + h;
  }, 0);
}

/** Default grid and site counts: as many per household as the one-district demo has. */
export function defaultSizes(districts: readonly string[]): { grids: number; sites: number } {
  const share = householdsOf(districts) / REFERENCE.households;
  return { grids: Math.round(REFERENCE.grids * share), sites: Math.round(REFERENCE.sites * share) };
}

/**
 * Reads `--districts`: unset → the six urban districts, `all` → every county-level unit of the
 * city, else comma-separated codes. Throws naming the first code that is not one of the city's.
 */
export function parseDistricts(arg: string | undefined): string[] {
  if (arg === undefined || arg.trim() === '') return [...MAIN_DISTRICTS];
  if (arg.trim() === 'all') return Object.keys(HOUSEHOLDS).sort();
  const codes = [...new Set(arg.split(',').map((s) => s.trim()).filter(Boolean))].sort();
  const unknown = codes.find((c) => !(c in HOUSEHOLDS));
  if (unknown !== undefined || codes.length === 0) {
    throw new Error(`--districts: "${unknown ?? arg}" is not a county-level unit of ${CITY.name} (use codes like 530111, or "all")`);
  }
  return codes;
}

/** Prefix of issue ids: the district's initials for a one-district demo, the city's otherwise. */
export function issuePrefix(districts: readonly string[]): string {
  return (districts.length === 1 ? INITIALS[districts[0]] : undefined) ?? 'KM';
}

/** The initials of the urban districts (五华 WH …), which prefix their ids and their departments' codes. */
const INITIALS: Readonly<Record<string, string>> = { '530102': 'WH', '530103': 'PL', '530111': 'GD', '530112': 'XS', '530114': 'CG', '530115': 'JN' };

/** A district's code prefix: its initials, or its code for a county outside the six urban districts. */
export const districtPrefix = (code: string): string => INITIALS[code] ?? code;
