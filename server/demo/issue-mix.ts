/**
 * The statistical shape of the demo's issues: what is found where (category mix per site type),
 * by whom (sources), at what hour, and how the volume moves with weekdays, seasons, campaign
 * months and holidays. Numbers are judgement calls from how campaign offices describe their work.
 */
import { DAY } from '../domain/time.ts';
import { weekday } from './clock.ts';
import type { SiteType } from './sites.ts';

export type Source = 'patrol' | 'inspection' | 'camera' | 'hotline' | 'assigned';

/** Share of issues by source (patrol 60 %, inspection 10 %, camera 15 %, hotline 10 %, assigned 5 %). */
export const SOURCE_SHARES: Readonly<Record<Source, number>> = { patrol: 60, inspection: 10, camera: 15, hotline: 10, assigned: 5 };

/** Chance an issue from this source is fixed on the spot (立行立改); averages ≈ 35 %. */
export const IMMEDIATE_CHANCE: Readonly<Record<Source, number>> = { patrol: 0.5, inspection: 0.15, camera: 0.2, hotline: 0.05, assigned: 0 };

/** Median minutes from report to dispatch, by source (暗访 and hand-downs arrive in batches). */
export const DISPATCH_MEDIAN_MIN: Readonly<Record<Source, number>> = { patrol: 8, inspection: 180, camera: 20, hotline: 45, assigned: 360 };

export type Origin = SiteType | 'background';

/** Category weights (小类 code → weight) for issues found at each kind of place. */
export const CATEGORY_MIX: Readonly<Record<Origin, Readonly<Record<string, number>>>> = {
  background: {
    '0101': 12, '0102': 5, '0103': 5, '0104': 3, '0106': 2, '0201': 10, '0202': 3, '0203': 2, '0204': 2, '0206': 1,
    '0301': 6, '0302': 5, '0303': 4, '0304': 8, '0305': 6, '0306': 3, '0307': 1, '0401': 2, '0402': 2, '0403': 3,
    '0404': 1, '0405': 1, '0501': 3, '0502': 2, '0503': 2, '0504': 1, '0505': 1, '0601': 1, '0602': 1, '0604': 1,
    '0605': 1, '0701': 0.5, '0702': 0.2, '0703': 0.3, '1101': 2, '1102': 0.5, '1103': 2, '1201': 3, '1202': 2,
    '1203': 1, '1204': 0.5, '1301': 1.5, '1302': 0.5, '1401': 1, '1402': 0.5,
  },
  market: { '0301': 30, '0101': 20, '0302': 15, '0303': 10, '0102': 6, '0103': 5, '0305': 5, '0201': 4, '0403': 3, '0304': 3, '0306': 2, '1301': 1 },
  school: { '0304': 30, '0302': 20, '0305': 15, '0201': 6, '0101': 6, '0403': 5, '0206': 5, '1203': 3, '0303': 3 },
  back_alley: { '0201': 18, '0101': 15, '0202': 10, '0306': 10, '0305': 8, '0303': 8, '0106': 6, '0402': 5, '0401': 5, '1103': 3, '0604': 2, '0307': 2 },
  residential: { '0601': 20, '0602': 15, '0603': 12, '0101': 8, '0401': 8, '0402': 6, '0106': 6, '0201': 6, '0305': 6, '0604': 4, '0605': 4, '0404': 3, '1102': 1 },
  main_road: { '0304': 15, '0305': 12, '1201': 12, '0103': 8, '1101': 8, '1202': 6, '0502': 6, '0503': 5, '1203': 4, '0203': 4, '1103': 4, '0701': 2, '1402': 2, '0505': 2 },
  intersection: { '0304': 15, '0305': 15, '1203': 10, '0403': 8, '0302': 8, '0206': 5, '1201': 5, '0405': 3, '0103': 4 },
  bus_stop: { '0201': 20, '0305': 15, '1204': 15, '0101': 10, '0403': 10, '0302': 8, '0405': 4, '1301': 4 },
  hospital: { '0304': 30, '0305': 15, '0302': 15, '0101': 10, '0201': 10, '0403': 5, '0405': 3 },
  park: { '0104': 20, '0401': 15, '0402': 15, '0403': 10, '0102': 10, '0105': 10, '1401': 5, '0404': 5, '1402': 3 },
  service_hall: { '0304': 25, '0305': 20, '0101': 10, '0204': 10, '0205': 10, '0201': 8, '0403': 5 },
  practice_station: { '0204': 30, '0205': 30, '1302': 20, '0101': 10, '0201': 5 },
  public_ad: { '0204': 50, '0205': 25, '1302': 15, '0202': 10 },
  volunteer_post: { '0305': 20, '0304': 20, '0403': 20, '0401': 10, '0302': 10, '0405': 5 },
};

/** Rainy season (Jun–Aug in Kunming): roads break, streets flood, trees fall. */
export const RAINY_BOOST: Readonly<Record<string, number>> = { '1201': 3, '1202': 2, '0701': 8, '0702': 5, '0703': 4, '1101': 1.5 };

/** Months 6–8 (1-based) are the rainy season. */
export const isRainyMonth = (month: number) => month >= 6 && month <= 8;

type HourProfile = readonly number[];

/** Hour-of-day weights (index = hour 0–23). */
export const HOURS: Readonly<Record<'patrol' | 'school' | 'market' | 'camera' | 'hotline' | 'inspection' | 'assigned', HourProfile>> = {
  // Inspectors work 8–12 and 14–18 with peaks mid-morning and mid-afternoon.
  patrol: [0, 0, 0, 0, 0, 0, 0, 2, 6, 10, 10, 8, 3, 3, 6, 9, 9, 6, 3, 2, 1.5, 1, 0.3, 0],
  // School gates: drop-off 7–8 h and pick-up 16–18 h.
  school: [0, 0, 0, 0, 0, 0, 0.5, 12, 10, 3, 2, 3, 2, 1, 2, 2, 10, 12, 5, 1, 0, 0, 0, 0],
  // Markets are busiest in the morning and again before dinner.
  market: [0, 0, 0, 0, 0, 0, 4, 8, 9, 10, 9, 6, 3, 2, 3, 4, 6, 8, 7, 5, 3, 1, 0, 0],
  camera: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 3, 6, 6, 6, 6, 4, 4, 6, 6, 6, 6, 4, 4, 4, 2, 2, 2],
  hotline: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 1, 4, 8, 9, 7, 4, 4, 6, 7, 7, 5, 4, 4, 4, 3, 2, 1],
  // Covert inspections also visit night markets.
  inspection: [0, 0, 0, 0, 0, 0, 0, 0, 2, 6, 8, 6, 1, 1, 5, 7, 6, 2, 1, 3, 3, 1, 0, 0],
  assigned: [0, 0, 0, 0, 0, 0, 0, 0, 1, 6, 7, 6, 2, 2, 6, 7, 6, 3, 0, 0, 0, 0, 0, 0],
};

/** Which hour profile applies to an issue. */
export function hourProfileFor(source: Source, origin: Origin): keyof typeof HOURS {
  if (origin === 'school' && (source === 'patrol' || source === 'camera' || source === 'inspection')) return 'school';
  if (origin === 'market' && (source === 'patrol' || source === 'camera')) return 'market';
  return source;
}

/** Relative issue volume per month (1-based): campaign pushes before spring and autumn inspections. */
const MONTH_WEIGHT = [0, 0.8, 0.75, 1.2, 1.3, 1.15, 0.95, 0.95, 0.95, 1.0, 1.25, 1.35, 0.9];
/** Sunday … Saturday: patrols are thin at weekends. */
const WEEKDAY_WEIGHT = [0.55, 1.1, 1.05, 1.05, 1.0, 1.0, 0.75];
/** Spring Festival (local midnight, UTC-based day numbers below); patrols pause around it. */
const SPRING_FESTIVAL = ['2022-02-01', '2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03'].map(
  (d) => Date.parse(`${d}T00:00:00Z`),
);

/**
 * Relative issue volume of one local day (given as local-ms midnight), before daily noise:
 * month × weekday × holidays × a slow upward trend (`progress` 0→1 over the window) as the
 * platform gets used more.
 */
export function dayWeight(localDay: number, progress: number): number {
  const d = new Date(localDay);
  let w = MONTH_WEIGHT[d.getUTCMonth() + 1] * WEEKDAY_WEIGHT[weekday(localDay)] * (0.8 + 0.35 * progress);
  if (SPRING_FESTIVAL.some((sf) => localDay >= sf - 2 * DAY && localDay <= sf + 7 * DAY)) w *= 0.45;
  if (d.getUTCMonth() === 9 && d.getUTCDate() <= 7) w *= 0.6;
  return w;
}
