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
 *
 * As of an instant t (`asOf`): every rule above as it stood at t, for comparisons (环比, 同比, rank
 * change) and playback. The moment is t instead of now (reports before t, `dueEnd = min(end, t)`),
 * and an issue counts as closed only when `closed_at <= t`: one closed since was still open then.
 * Cancellation and deferral keep their present status (the issue records no time for them).
 * The department (责任单位) is one of these facts: as of t, a case belongs to the department its
 * latest event naming one named at or before t ({@link departmentAt}), so a re-dispatch moves it
 * from that moment on and a comparison period before it still counts it for the old department.
 * Without `asOf` the rules read the present: every recorded closure counts, with no time compared.
 */
import type { IssueStatus } from './vocabulary.ts';

/** The instants a condition compares period times with: the period [start, end) and deadlines until dueEnd. */
export type Bound = 'start' | 'end' | 'dueEnd';

/** An issue's times (NULL when the issue has none: a NULL time passes no comparison). */
export type IssueTime = 'reported_at' | 'deadline' | 'closed_at' | 'dispatched_at';

/** The times a condition may compare with the period; a counter's is where a time series puts it. */
export type PeriodTime = 'reported_at' | 'deadline';

/** The times a condition may compare with the as-of instant: when something had happened by then. */
export type EventTime = 'closed_at';

/**
 * A fact of one issue that no period changes. The KPI engine keeps each as one bit per issue,
 * computed by DuckDB when it loads them (so sub-millisecond times compare exactly).
 */
export type Fact =
  | { test: 'true'; field: 'immediate' }
  | { test: 'positive'; field: 'rework_count' }
  | { test: 'notAfter'; field: IssueTime; other: IssueTime }
  /** Both times known and the first later than the other. */
  | { test: 'after'; field: IssueTime; other: IssueTime };

/** The facts the conditions name; their order is the engine's bit order. */
export const FACTS = {
  /** 立行立改: fixed on the spot. */
  immediate: { test: 'true', field: 'immediate' },
  /** 返工 at least once. */
  reworked: { test: 'positive', field: 'rework_count' },
  /** Closed by its deadline. */
  closedOnTime: { test: 'notAfter', field: 'closed_at', other: 'deadline' },
  /** Closed after its deadline (超期结案): what a department is held to account for besides its backlog. */
  closedLate: { test: 'after', field: 'closed_at', other: 'deadline' },
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
  /**
   * `time <= asOf`: it had happened by the as-of instant (a NULL time never happened). Without
   * `asOf` (the present) no time is compared: whatever is recorded has happened.
   */
  | { happened: EventTime }
  /** The exact complement of `happened`: NULL, or after the as-of instant; never, in the present. */
  | { notHappened: EventTime }
  /** Another named condition of {@link CONDITIONS}. */
  | { rule: string }
  | { all: readonly Condition[] }
  /** At least one of them (only to say "not closed by t", the complement of an `all`). */
  | { any: readonly Condition[] };

/** The named conditions: what the counters, the map markers and the issue list test. */
export const CONDITIONS = {
  /** 上报: reported in the period. */
  reported: { time: 'reported_at', from: 'start', before: 'end' },
  /** 应结案: not cancelled or deferred, deadline in [start, dueEnd). */
  due: { all: [{ statusNot: ['cancelled', 'deferred'] }, { time: 'deadline', from: 'start', before: 'dueEnd' }] },
  /** 结案 of the due: closed by the as-of instant (in the present: closed). */
  closedDue: { all: [{ rule: 'due' }, { status: ['closed'] }, { happened: 'closed_at' }] },
  /** Not 结案 by the as-of instant: still open then, or closed since (the exact complement of closedDue's closure). */
  notClosed: { any: [{ statusNot: ['closed'] }, { notHappened: 'closed_at' }] },
  /**
   * 超期未结: of the due, not closed. With dueEnd = now and no start, "overdue now" per issue; with
   * dueEnd = asOf = t, the backlog at t.
   */
  overdue: { all: [{ rule: 'due' }, { rule: 'notClosed' }] },
  /** 未结, of the reported: neither closed nor cancelled (a deferred issue is still on the books). */
  openReported: { all: [{ rule: 'reported' }, { statusNot: ['cancelled'] }, { rule: 'notClosed' }] },
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
  // A closed issue has both times, so closed = on time + late.
  { name: 'closed_late', count: { all: [{ rule: 'closedDue' }, { fact: 'closedLate' }] }, difference: ['closed', 'closed_on_time'] },
  { name: 'median_hours', median: 'hours', of: { rule: 'closedDue' } },
  { name: 'mean_hours', mean: 'hours', of: { rule: 'closedDue' } },
] as const satisfies readonly Counter[];

type CounterOf<K> = Extract<(typeof KPI_COUNTERS)[number], K>;
/** The counts of one group: a number per counted condition, a number or null (nothing to summarise) per median and mean. */
export type KpiCounts =
  & { [C in CounterOf<{ count: unknown }> as C['name']]: number }
  & { [C in CounterOf<{ of: unknown }> as C['name']]: number | null };

/**
 * Where the names of a grouping's keys come from when it is offered as a breakdown (`by=`):
 * - `table`: a reference table (`key` is its key column, `name` its name);
 * - `units`: the regions or grids of that level inside the scope (with area and grid count);
 * - `vocabulary`: a closed vocabulary of docs/domain.md (the first Chinese label);
 * - `clock`: every hour 0–23 or weekday 1–7, in order.
 */
export type KeyNames =
  | { table: 'categories' | 'site_types' | 'departments'; key: 'code' }
  | { table: 'sites'; key: 'id' }
  | { units: 'district' | 'street' | 'community' | 'grid' }
  | { vocabulary: 'sources' | 'statuses' }
  | { clock: true };

/**
 * The groupings of a KPI answer (a breakdown's `by`, a ranking's level, a map layer's units),
 * each by what the key is made of:
 * - `column`: an issue field (NULL: the issue has none, e.g. outside every grid);
 * - `parentOf`: the parent of the field's value in its reference table, or itself when it has none
 *   (`orSelf`) or NULL;
 * - `clock`: the Asia/Shanghai hour (0–23) or ISO weekday (1 = Monday) of the report;
 * - `each`: every key site whose zone holds the issue (an issue may count in several rows, or in the NULL one);
 * - `eachTypeOf`: every distinct type of those sites.
 * A grouping with `names` is offered as a breakdown, in this order; the names say where its rows'
 * names come from. Adding a breakdown is adding an entry here.
 */
export type Grouping = (
  | { column: 'category' | 'street' | 'community' | 'grid_code' | 'source' | 'status' | 'department' }
  | { parentOf: 'category' | 'street'; orSelf: boolean }
  | { clock: 'hour' | 'weekday' }
  | { each: 'site' }
  | { eachTypeOf: 'site' }
) & { names?: KeyNames };

export const GROUPINGS = {
  /** 小类. */
  category: { column: 'category', names: { table: 'categories', key: 'code' } },
  /** 大类: a category's parent, or itself when it has none. */
  categoryParent: { parentOf: 'category', orSelf: true },
  /** A street's district (issues carry their street, not their district). */
  district: { parentOf: 'street', orSelf: false, names: { units: 'district' } },
  street: { column: 'street', names: { units: 'street' } },
  community: { column: 'community', names: { units: 'community' } },
  grid: { column: 'grid_code', names: { units: 'grid' } },
  site: { each: 'site', names: { table: 'sites', key: 'id' } },
  siteType: { eachTypeOf: 'site', names: { table: 'site_types', key: 'code' } },
  /** 责任单位: the department the issue is dispatched to (NULL: none), as of the instant ({@link departmentAt}). */
  department: { column: 'department', names: { table: 'departments', key: 'code' } },
  source: { column: 'source', names: { vocabulary: 'sources' } },
  status: { column: 'status', names: { vocabulary: 'statuses' } },
  hour: { clock: 'hour', names: { clock: true } },
  weekday: { clock: 'weekday', names: { clock: true } },
} as const satisfies Record<string, Grouping>;
export type GroupingName = keyof typeof GROUPINGS;

/** The groupings offered as breakdowns: those that say where their names come from. */
export type BreakdownName = { [K in GroupingName]: (typeof GROUPINGS)[K] extends { names: KeyNames } ? K : never }[GroupingName];

/** The breakdowns in the table's order (the API lists them so). */
export const BREAKDOWN_NAMES = (Object.keys(GROUPINGS) as GroupingName[]).filter(
  (name): name is BreakdownName => 'names' in GROUPINGS[name],
) as [BreakdownName, ...BreakdownName[]];

/** The groupings where one issue may fall in several rows, or in none (the site groupings). */
export type FanOutName = { [K in GroupingName]: (typeof GROUPINGS)[K] extends { each: unknown } | { eachTypeOf: unknown } ? K : never }[GroupingName];

/** True when one issue may fall in several rows of the grouping, or in none. */
export function fansOut(name: GroupingName): name is FanOutName {
  const g: Grouping = GROUPINGS[name];
  return 'each' in g || 'eachTypeOf' in g;
}

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
  if ('any' in c) return new Set(c.any.flatMap((p) => [...anchorsOf(p)]));
  return new Set();
}

/** The condition a counter tests (its count's, or the issues its median or mean summarises). */
export const conditionOf = (c: Counter): Condition => ('count' in c ? c.count : c.of);

/** An issue's event naming a department (its report, a dispatch or re-dispatch): from `at` (epoch ms) on, the case is that department's. */
export type DepartmentChange<D> = { at: number; department: D };

/**
 * The department a case had at instant t: the one named by its latest event naming a department at
 * or before t (the import or ingest names the report's; each dispatch may name another), ties
 * going to the later event. Before the first such event — t before the report, which no rule
 * counts, or data from before reports named one — the first event's. `changes` is in event order
 * (time, then sequence); with none, or in the present (t null), the issue's own department.
 */
export function departmentAt<D>(changes: readonly DepartmentChange<D>[], current: D, t: number | null): D {
  if (t === null || changes.length === 0) return current;
  let found = changes[0].department;
  for (const c of changes) {
    if (c.at > t) break;
    found = c.department;
  }
  return found;
}
