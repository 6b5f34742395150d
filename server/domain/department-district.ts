/**
 * Which district a department (责任单位) belongs to, for a city whose districts each have their own
 * 区直单位 under the same short names (五华区城市管理局 and 官渡区城市管理局 are both 城管局). The
 * departments table names no district, and office exports name a district's units after it (五华区…,
 * 昆明市公安局交通警察支队五华大队): a department belongs to the one district whose name, without
 * its 区/县/市, its full name contains; to none when no district's or several districts' do (a
 * city-level unit, 昆明市生态环境局).
 */

/** A district as the regions table names it. */
export type NamedDistrict = { code: string; name: string };

/** 五华区 → 五华; 石林彝族自治县 → 石林彝族自治. A name that would shrink below two characters stays whole. */
const stem = (name: string) => (name.length > 2 && /[区县市]$/.test(name) ? name.slice(0, -1) : name);

/** The code of the district a department's full name places it in, or null. */
export function districtOfDepartment(name: string, districts: readonly NamedDistrict[]): string | null {
  const matches = districts.filter((d) => name.includes(stem(d.name)));
  return matches.length === 1 ? matches[0].code : null;
}
