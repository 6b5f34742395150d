/**
 * What the KPI engine is asked, in dictionary codes: which rows count (CodeFilter) and what one
 * row of the answer is (CodeGrouping). engine.ts translates the API's filters into these.
 */
import type { CodeColumn } from './columns.ts';

export { DAY, HOUR, localDay, SHANGHAI_OFFSET_MS as SHANGHAI } from '../../domain/time.ts';

/** Which rows count, in dictionary codes; a mask is indexed by code (NULL, code -1, is never in one). */
export type CodeFilter = {
  /** The period as epoch ms: reports in [start, end), deadlines in [start, dueEnd). */
  start: number; end: number; dueEnd: number;
  /** The instant the rules are counted as of (epoch ms); null: the present. */
  asOf: number | null;
  scope:
    /** Every row with a street (a top region that holds every street of the data: no test per row). */
    | { kind: 'all' }
    /** Every row, with a street or not (a department's as of an instant: the department filter keeps its rows). */
    | { kind: 'everything' }
    /** The rows of some streets (a city's or a district's): `mask` by street code, `codes` the streets. */
    | { kind: 'streets'; mask: Uint8Array; codes: number[] }
    | { kind: 'street' | 'community' | 'grid' | 'site' | 'department'; code: number }
    /** The scope's code occurs in no issue: nothing matches. */
    | { kind: 'nothing' };
  categories: Uint8Array | null;
  sources: Uint8Array | null;
  statuses: Uint8Array | null;
  /** Issues inside at least one of these sites (the siteType filter). */
  sitesAny: Uint8Array | null;
  /** Issues dispatched to these departments (the department filter). */
  departments?: Uint8Array | null;
  /** The department column the filter reads: the held one, or as of the instant (fast/departments.ts). */
  departmentColumn?: CodeColumn;
  /** Issues of these units only (the units of a ranking's lists, whose medians are then counted). */
  units?: { kind: 'street' | 'community' | 'grid' | 'department'; codes: number[] };
};

/** The dictionary codes of the statuses the KPI rules name, by status (kernels.ts RULE_STATUSES); -1 when no issue holds one. */
export type StatusCodes = Readonly<Record<string, number>>;

/** What one row of the answer is; `names[g]` is the key of group g, and group `names.length` is the NULL key. */
export type CodeGrouping =
  | { kind: 'one'; name: string }
  /** `values`: the column to read instead of the held one (the department as of an instant). */
  | { kind: 'column'; column: 'street' | 'community' | 'grid' | 'category' | 'source' | 'status' | 'department'; map?: Int32Array; names: string[]; values?: CodeColumn }
  | { kind: 'clock'; unit: 'hour' | 'weekday' }
  /** One row per site of the issue (`only`: just these); an issue at no site is the NULL row unless `dropEmpty`. */
  | { kind: 'site'; only: Uint8Array | null; dropEmpty: boolean; names: string[] }
  /** One row per distinct type of the sites (`typeOf` site code → type code, -1 unknown site). */
  | { kind: 'siteType'; typeOf: Int32Array; only: Uint8Array | null; names: string[] }
  /**
   * Time buckets, each its own period: an issue joins the bucket of its report's slot and of its
   * deadline's (`slotToBucket[slot - firstSlot]`, a slot being `slotMs` of local time: a day, or an
   * hour for hour buckets), and counts in each by that bucket's bounds.
   */
  | { kind: 'bucket'; slotMs: number; firstSlot: number; slotToBucket: Int32Array; starts: Float64Array; ends: Float64Array; dueEnds: Float64Array; asOf: number | null; names: string[] };

