/**
 * The KPI rules of docs/domain.md as data, declared once: named conditions over an issue's fields and
 * the period bounds, the KPI counters built from them, and the groupings a KPI answer is broken
 * down by. Nothing here runs a query: compilers in server/kpi/ turn this table into SQL aggregate
 * clauses (rules-sql.ts), the KPI engine's counting loops (fast/kernels.ts), the planner's
 * workload metrics and the overdue issue list's filter.
 *
 * Period semantics, with the period [start, end) in Asia/Shanghai days and `dueEnd = min(end, now)`:
 * - reported / immediate: `reported_at` in [start, end);
 * - due (应结案): not cancelled or deferred, `deadline` in [start, dueEnd) — an issue whose deadline
 *   has not come yet is not due yet;
 * - closed / closedOnTime / rework: of the due, closed (on time: `closed_at <= deadline`; rework: ≥1 返工);
 * - overdue (超期未结): of the due, not closed — so due = closed + overdue always holds. Deferred
 *   (缓办/挂账) issues are excluded like in `due`, because a deferral is an approved postponement;
 * - hours: dispatched → closed, of the closed-and-due that have a dispatch time.
 * Without a period, start is the beginning of time and end is now ("to date").
 */
import type { IssueStatus } from './vocabulary.ts';

/** The instants a condition compares times with: the period [start, end), deadlines until dueEnd, and now. */
export type Bound = 'start' | 'end' | 'dueEnd' | 'now';

/** An issue's times (NULL when the issue has none: a NULL time passes no comparison). */
export type IssueTime = 'reported_at' | 'deadline' | 'closed_at' | 'dispatched_at';

/** The times a condition may compare with the period; a counter's is where a time series puts it. */
export type PeriodTime = 'reported_at' | 'deadline';

/**
 * A fact of one issue that no period changes. The KPI engine keeps each as one bit per issue,
 * computed by DuckDB when it loads them (so sub-millisecond times compare exactly).
 */
export type Fact =
  | { test: 'true'; field: 'immediate' }
  | { test: 'positive'; field: 'rework_count' }
  | { test: 'notAfter'; field: IssueTime; other: IssueTime };

/** The facts the conditions name; their order is the engine's bit order. */
export const FACTS = {
  /** 立行立改: fixed on the spot. */
  immediate: { test: 'true', field: 'immediate' },
  /** 返工 at least once. */
  reworked: { test: 'positive', field: 'rework_count' },
  /** Closed by its deadline. */
  closedOnTime: { test: 'notAfter', field: 'closed_at', other: 'deadline' },
} as const satisfies Record<string, Fact>;
export type FactName = keyof typeof FACTS;

/**
 * A condition over one issue. There is no general negation on purpose: SQL's NOT of a comparison
 * with NULL is NULL (the row fails), JavaScript's !(NaN < x) is true; statuses are never NULL, so
 * `statusNot` means the same everywhere.
 */
export type Condition =
  | { status: readonly IssueStatus[] }
  | { statusNot: readonly IssueStatus[] }
  /** `from <= time < before`; without `from`, just `time < before`. */
  | { time: PeriodTime; from?: Bound; before: Bound }
  | { fact: FactName }
  /** Another named condition of {@link CONDITIONS}. */
  | { rule: string }
  | { all: readonly Condition[] };

/** The named conditions: what the counters, the map markers and the issue list test. */
export const CONDITIONS = {
  /** 上报: reported in the period. */
  reported: { time: 'reported_at', from: 'start', before: 'end' },
  /** 应结案: not cancelled or deferred, deadline in [start, dueEnd). */
  due: { all: [{ statusNot: ['cancelled', 'deferred'] }, { time: 'deadline', from: 'start', before: 'dueEnd' }] },
  /** 结案 of the due. */
  closedDue: { all: [{ rule: 'due' }, { status: ['closed'] }] },
  /** 超期未结: of the due, not closed. With dueEnd = now and no start, "overdue now" per issue. */
  overdue: { all: [{ rule: 'due' }, { statusNot: ['closed'] }] },
  /** 未结 now, of the reported: neither closed nor cancelled (a deferred issue is still on the books). */
  openReported: { all: [{ rule: 'reported' }, { statusNot: ['closed', 'cancelled'] }] },
} as const satisfies Record<string, Condition>;
export type ConditionName = keyof typeof CONDITIONS;

/** A value of one issue that KPIs summarise: hours from one time to another. */
export const MEASURES = {
  /** 处置时长: dispatch → close, in hours. */
  hours: { from: 'dispatched_at', to: 'closed_at' },
} as const satisfies Record<string, { from: IssueTime; to: IssueTime }>;
export type MeasureName = keyof typeof MEASURES;

/**
 * A KPI counter: the issues passing a condition, or the median or mean of a measure over them.
 * `difference` states an identity the definitions guarantee (overdue = due − closed): the KPI
 * engine computes such a count from the other two instead of testing every row once more.
 */
export type Counter =
  | { name: string; count: Condition; difference?: readonly [string, string] }
  | { name: string; median: MeasureName; of: Condition }
  | { name: string; mean: MeasureName; of: Condition };

/** The KPI counters, in the order of the SQL columns; rates and scores are computed from them (definitions.ts). */
export const KPI_COUNTERS = [
  { name: 'reported', count: { rule: 'reported' } },
  { name: 'immediate', count: { all: [{ rule: 'reported' }, { fact: 'immediate' }] } },
  { name: 'due', count: { rule: 'due' } },
  { name: 'closed', count: { rule: 'closedDue' } },
  { name: 'closed_on_time', count: { all: [{ rule: 'closedDue' }, { fact: 'closedOnTime' }] } },
  { name: 'rework', count: { all: [{ rule: 'closedDue' }, { fact: 'reworked' }] } },
  { name: 'overdue', count: { rule: 'overdue' }, difference: ['due', 'closed'] },
  { name: 'median_hours', median: 'hours', of: { rule: 'closedDue' } },
  { name: 'mean_hours', mean: 'hours', of: { rule: 'closedDue' } },
] as const satisfies readonly Counter[];

type CounterOf<K> = Extract<(typeof KPI_COUNTERS)[number], K>;
/** The counts of one group: a number per counted condition, a number or null (nothing to summarise) per median and mean. */
export type KpiCounts =
  & { [C in CounterOf<{ count: unknown }> as C['name']]: number }
  & { [C in CounterOf<{ of: unknown }> as C['name']]: number | null };

/**
 * The groupings of a KPI answer (a breakdown's `by`, a ranking's level, a map layer's units),
 * each by what the key is made of:
 * - `column`: an issue field (NULL: the issue has none, e.g. outside every grid);
 * - `parentOf`: the parent of the field's value in its reference table, or itself when it has none
 *   (`orSelf`) or NULL;
 * - `clock`: the Asia/Shanghai hour (0–23) or ISO weekday (1 = Monday) of the report;
 * - `each`: every key site whose zone holds the issue (an issue may count in several rows, or in the NULL one);
 * - `eachTypeOf`: every distinct type of those sites.
 */
export type Grouping =
  | { column: 'category' | 'street' | 'community' | 'grid_code' | 'source' | 'status' }
  | { parentOf: 'category' | 'street'; orSelf: boolean }
  | { clock: 'hour' | 'weekday' }
  | { each: 'site' }
  | { eachTypeOf: 'site' };

export const GROUPINGS = {
  /** 小类. */
  category: { column: 'category' },
  /** 大类: a category's parent, or itself when it has none. */
  categoryParent: { parentOf: 'category', orSelf: true },
  district: { parentOf: 'street', orSelf: false },
  street: { column: 'street' },
  community: { column: 'community' },
  grid: { column: 'grid_code' },
  source: { column: 'source' },
  status: { column: 'status' },
  hour: { clock: 'hour' },
  weekday: { clock: 'weekday' },
  site: { each: 'site' },
  siteType: { eachTypeOf: 'site' },
} as const satisfies Record<string, Grouping>;
export type GroupingName = keyof typeof GROUPINGS;

/** The named condition, or an error naming the unknown one (the table is checked when compiled). */
export function conditionNamed(name: string): Condition {
  const c = (CONDITIONS as Record<string, Condition>)[name];
  if (!c) throw new Error(`no KPI condition is named "${name}"`);
  return c;
}

/**
 * The time fields a condition compares with the period bounds (through the conditions it names).
 * A time series puts a counter in the bucket of that time, so each counter has exactly one.
 */
export function anchorsOf(c: Condition): Set<PeriodTime> {
  if ('time' in c) return new Set([c.time]);
  if ('rule' in c) return anchorsOf(conditionNamed(c.rule));
  if ('all' in c) return new Set(c.all.flatMap((p) => [...anchorsOf(p)]));
  return new Set();
}

/** The condition a counter tests (its count's, or the issues its median or mean summarises). */
export const conditionOf = (c: Counter): Condition => ('count' in c ? c.count : c.of);
