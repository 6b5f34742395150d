/**
 * The KPI engine's counting loops, generated from the KPI rules (server/domain/kpi-rules.ts) once
 * at start-up. Each shape of question (one group, a column of the rows, groups given beside the
 * rows, time buckets) is a template; the rules fill in its per-row part as straight-line code:
 * branch-free 0/1 increments over typed arrays, the bounds and status codes in locals. Generated
 * source, not closures per condition: V8 cannot inline a call whose target changes from query to
 * query, and a row-at-a-time predicate built from closures ran 5× slower (rows.ts).
 */
import {
  anchorsOf, conditionNamed, conditionOf, FACTS, KPI_COUNTERS,
  type Condition, type Counter, type EventTime, type FactName, type PeriodTime,
} from '../../domain/kpi-rules.ts';
import type { IssueStatus } from '../../domain/vocabulary.ts';
import type { CodeColumn } from './columns.ts';
import { SHANGHAI, type CodeFilter, type CodeGrouping, type StatusCodes } from './codes.ts';
import type { Hours } from './median.ts';
import { Scratch } from './scratch.ts';

/**
 * The columns a kernel reads: the engine's IssueColumns, or the planner's issue points. `closed`
 * (close times, NaN: none) only as of an instant: the present's kernels never read it.
 */
export type KernelColumns = {
  reported: Float64Array; deadline: Float64Array; status: Uint8Array; flags: Uint8Array;
  /** Close times: epoch ms `closed[r] * closedScale + closedBase` (1 and 0 when absent), NaN or {@link NO_SECONDS} for none (columns.ts). */
  closed?: Float64Array | Int32Array; closedScale?: number; closedBase?: number;
  /** The measure of each row over `hoursDivisor` (1 when absent), NaN or {@link NO_SECONDS} for none (columns.ts). */
  hours?: Float64Array | Int32Array; hoursDivisor?: number;
};

/**
 * No value, in a column of whole seconds (Int32 has no NaN). Read as none in a column of doubles
 * too, where it would be −2³¹ hours or a close 2³¹ ms before 1970: no issue has either.
 */
export const NO_SECONDS = -0x80000000;

/** Generated source collecting row r's hours into the values (and `group` into the groups, when given). */
const collectHours = (group?: string) => `const h = hours[r];
    if (h === h && h !== ${NO_SECONDS}) { values[n] = h / hoursDivisor;${group ? ` groups[n] = ${group};` : ''} n++; }`;

/** Generated source of the column locals every counting loop reads. */
export const COLUMN_LOCALS = `const { reported, deadline, status, flags, hours, closed } = cols;
const hoursDivisor = cols.hoursDivisor ?? 1, closedScale = cols.closedScale ?? 1, closedBase = cols.closedBase ?? 0;`;

/** The engine's flag bit of a fact (bit k for the k-th fact of the rules; load.ts and the planner set them). */
export const factBit = (name: FactName) => 1 << (Object.keys(FACTS) as FactName[]).indexOf(name);

type CountCounter = Extract<Counter, { count: Condition }>;
const COUNTS = (KPI_COUNTERS as readonly Counter[]).filter((c): c is CountCounter => 'count' in c);
/** The counts the loops tally; the others follow from them (`difference`). */
const TALLIED = COUNTS.filter((c) => !c.difference);
/** The engine's flags are bytes. */
if (Object.keys(FACTS).length > 8) throw new Error('the KPI engine keeps at most 8 facts of an issue (one byte of flags)');

/** The condition of the issues whose hours are collected (every median and mean of the rules has the same). */
const HOURS_OF: Condition | null = (() => {
  const stats = (KPI_COUNTERS as readonly Counter[]).filter((c) => !('count' in c));
  if (stats.some((c) => ('median' in c ? c.median : 'mean' in c ? c.mean : null) !== 'hours')) throw new Error('the KPI engine holds one measure, hours: another needs its own column');
  const conditions = new Set(stats.map((c) => JSON.stringify(conditionOf(c))));
  if (conditions.size > 1) throw new Error('the KPI engine collects one set of hours: every median and mean must summarise the same issues');
  return stats.length ? conditionOf(stats[0]) : null;
})();

/** Counter slots of one group: present (any row of it passed the pruning), then the tallied counts. */
export const SLOTS = 1 + TALLIED.length;

/** The statuses the rules name, whose dictionary codes a kernel takes (`codes`). */
export const RULE_STATUSES: readonly IssueStatus[] = (() => {
  const found = new Set<IssueStatus>();
  const walk = (c: Condition): void => {
    if ('status' in c) c.status.forEach((s) => found.add(s));
    else if ('statusNot' in c) c.statusNot.forEach((s) => found.add(s));
    else if ('rule' in c) walk(conditionNamed(c.rule));
    else if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
  };
  KPI_COUNTERS.forEach((c) => walk(conditionOf(c)));
  return [...found];
})();

/** Per-row locals of the fields a condition reads. */
export const LOCAL: Record<PeriodTime | EventTime, string> = { reported_at: 'rep', deadline: 'dl', closed_at: 'cl' };
export const LOAD: Record<string, string> = {
  rep: 'reported[r]', dl: 'deadline[r]', cl: `(closed[r] === ${NO_SECONDS} ? NaN : closed[r] * closedScale + closedBase)`, st: 'status[r]', fl: 'flags[r]',
};
export const statusLocal = (s: IssueStatus) => `S_${s}`;

/**
 * The per-row code of some counters: locals of the fields they read, one 0/1 local per named
 * condition they use (computed once), and `sink(slot, expression)` per counter; `hours` is the
 * 0/1 expression of the issues whose hours count. Bounds are the locals `start`, `end`, `dueEnd`,
 * and `asOf` when the loop counts as of an instant (`asOf: true`); in the present, what happened
 * is no test at all (server/kpi/rules-sql.ts does the same), so its loops read no close times.
 */
export function rowCode(counters: readonly { slot: number; when: Condition }[], hoursOf: Condition | null, asOf: boolean, sink: (slot: number, expr: string) => string) {
  const loads = new Set<string>();
  const lines: string[] = [];
  const named = new Map<string, string>();
  const test = (c: Condition): string => {
    if ('status' in c) {
      loads.add('st');
      return c.status.map((s) => `st === ${statusLocal(s)}`).join(' || ');
    }
    if ('statusNot' in c) {
      loads.add('st');
      return c.statusNot.map((s) => `st !== ${statusLocal(s)}`).join(' && ');
    }
    if ('time' in c) {
      const v = LOCAL[c.time];
      loads.add(v);
      return c.from ? `${v} >= ${c.from} && ${v} < ${c.before}` : `${v} < ${c.before}`;
    }
    if ('happened' in c || 'notHappened' in c) {
      const happened = 'happened' in c;
      if (!asOf) return happened ? 'true' : 'false';
      const v = LOCAL[happened ? c.happened : c.notHappened];
      loads.add(v);
      // NaN (never happened) fails `<=`, so its negation is the exact complement, as in the SQL.
      return happened ? `${v} <= asOf` : `!(${v} <= asOf)`;
    }
    throw new Error(`not a plain test: ${JSON.stringify(c)}`);
  };
  const isTest = (c: Condition) => 'status' in c || 'statusNot' in c || 'time' in c || 'happened' in c || 'notHappened' in c;
  // A 0/1 integer: `a & b` of the integer parts, under a ternary of the plain tests.
  const int = (c: Condition): string => {
    if ('fact' in c) {
      loads.add('fl');
      return `+((fl & ${factBit(c.fact)}) !== 0)`;
    }
    if ('rule' in c) {
      let local = named.get(c.rule);
      if (!local) {
        const expr = int(conditionNamed(c.rule));
        local = `c_${c.rule}`;
        lines.push(`const ${local} = ${expr};`);
        named.set(c.rule, local);
      }
      return local;
    }
    if ('any' in c) {
      // Rare (only "not closed by t"): each part as 0/1, or'ed; parts that are always false drop out.
      const ors = c.any.map((p) => (isTest(p) ? `(${test(p)} ? 1 : 0)` : int(p))).filter((e) => e !== '(false ? 1 : 0)');
      return ors.length ? `(${ors.join(' | ')})` : '0';
    }
    const parts = 'all' in c ? c.all : [c];
    const tests = parts.filter(isTest).map((p) => (('status' in p && p.status.length > 1) ? `(${test(p)})` : test(p))).filter((t) => t !== 'true');
    const ints = parts.filter((p) => !isTest(p)).map(int);
    const value = ints.length ? ints.join(' & ') : '1';
    return tests.length ? `(${tests.join(' && ')} ? ${value} : 0)` : value;
  };
  for (const { slot, when } of counters) lines.push(sink(slot, int(when)));
  const hours = hoursOf && int(hoursOf);
  return { loads: [...loads].map((v) => `const ${v} = ${LOAD[v]};`).join('\n'), body: lines.join('\n'), hours };
}

const ALL = TALLIED.map((c, k) => ({ slot: k + 1, when: c.count }));
/** The status codes the rules name, as locals of a generated loop (from its `codes` argument). */
export const statusLocals = RULE_STATUSES.map((s) => `const ${statusLocal(s)} = codes.${s};`).join('\n');
const HOURS_BUFFER = `const out = hoursBuffer(length); const values = out.values, groups = out.groups; let n = 0;`;
const grouped = (slot: number, expr: string) => `counters[o + ${slot}] += ${expr};`;

/** Hours buffers reused by every count of this thread, like the selection's (scratch.ts). */
const hoursValues = new Scratch((n) => new Float64Array(n));
const hoursGroups = new Scratch((n) => new Int32Array(n));
function hoursBuffer(capacity: number): { values: Float64Array; groups: Int32Array } {
  return { values: hoursValues.get(capacity), groups: hoursGroups.get(capacity) };
}

/** A kernel from its generated body: the source comes from the rules alone, never from a request. */
export const compile = <T>(name: string, params: string, body: string): T =>
  new Function('hoursBuffer', `"use strict"; return function ${name}(${params}) {\n${body}\n};`)(hoursBuffer) as T;

/**
 * One group and one period, in local variables: the counters of a single group would chain every
 * increment through memory (the district summary took 120 ms instead of 89 at 10 M issues when it
 * went through the grouped loop).
 */
function oneKernel(asOf: boolean) {
  const accs = ALL.map(({ slot }) => `n${slot}`);
  const row = rowCode(ALL, HOURS_OF, asOf, (slot, expr) => `n${slot} += ${expr};`);
  return compile<(cols: KernelColumns, rows: Int32Array, length: number, f: Period, codes: StatusCodes, counters: Int32Array, withHours: boolean) => Hours>(
    'countOne', 'cols, rows, length, f, codes, counters, withHours', `
${COLUMN_LOCALS}
${statusLocals}
const { start, end, dueEnd, asOf } = f;
// A local, not out.values: the property load on every collected row cost a quarter of the loop.
const values = hoursBuffer(length).values;
let n = 0, ${accs.map((a) => `${a} = 0`).join(', ')};
for (let i = 0; i < length; i++) {
  const r = rows[i];
  ${row.loads}
  ${row.body}
  if (withHours && ${row.hours ?? 0} === 1) {
    ${collectHours()}
  }
}
counters.set([length > 0 ? 1 : 0, ${accs.join(', ')}]);
return { values, groups: null, length: n };`);
}

/**
 * The body of a kernel with many groups, one period: `rowAndGroup` sets the row `r` and its group
 * `g` for the i-th of `length` rows; the rest (counters, hours with their group) is the same for
 * every way of finding the group.
 */
function groupedLoop(rowAndGroup: string, asOf: boolean): string {
  const row = rowCode(ALL, HOURS_OF, asOf, grouped);
  return `
${COLUMN_LOCALS}
${statusLocals}
const { start, end, dueEnd, asOf } = f;
${HOURS_BUFFER}
for (let i = 0; i < length; i++) {
  ${rowAndGroup}
  ${row.loads}
  const o = g * ${SLOTS};
  counters[o] = 1;
  ${row.body}
  if (withHours && ${row.hours ?? 0} === 1) {
    ${collectHours('g')}
  }
}
return { values, groups, length: n };`;
}

/**
 * Groups read from an integer column of the row (`map` may merge codes; -1 is the NULL group): the
 * choropleth and the rankings need no (row, group) pairs. `allRows`: every row in table order
 * (the planner's grid slots), else the rows of a selection. Branch-free increments: a dashboard's
 * rows are a coin toss between in and out of the period, so branches would be mispredicted half the time.
 */
function columnKernel(allRows: boolean, asOf: boolean) {
  return compile<(cols: KernelColumns, rows: Int32Array | null, length: number, column: CodeColumn, map: Int32Array | undefined, nullGroup: number, f: Period, codes: StatusCodes, counters: Int32Array, withHours: boolean) => Hours>(
    allRows ? 'countColumnAll' : 'countColumn', 'cols, rows, length, column, map, nullGroup, f, codes, counters, withHours',
    groupedLoop(`const r = ${allRows ? 'i' : 'rows[i]'};
  let g = column[r];
  if (map !== undefined && g >= 0) g = map[g];
  if (g < 0) g = nullGroup;`, asOf));
}

/** Groups given beside the rows, as (row, group) pairs (sites, site types, clock, byte columns). */
function givenKernel(asOf: boolean) {
  return compile<(cols: KernelColumns, rows: Int32Array, given: Int32Array, length: number, f: Period, codes: StatusCodes, counters: Int32Array, withHours: boolean) => Hours>(
    'countGiven', 'cols, rows, given, length, f, codes, counters, withHours',
    groupedLoop(`const r = rows[i];
  const g = given[i];`, asOf));
}

/**
 * Time buckets, each its own period: a counter counts in the bucket of the slot (day or hour) of the time it
 * compares with the period (its anchor: the report for reported, the deadline for due), by that
 * bucket's bounds. (A report cannot fall inside another bucket's bounds, nor a deadline, so these
 * are the only tests that can pass; one pass, without building (row, bucket) pairs, was 3× faster
 * for a street's 90 days.) One block per anchor, each with the counters anchored there.
 */
function bucketKernel(asOf: boolean) {
  const anchorOf = (c: Condition): PeriodTime => {
    const anchors = [...anchorsOf(c)];
    if (anchors.length !== 1) throw new Error(`a KPI counter must compare exactly one time with the period (${JSON.stringify(c)} compares ${anchors.length})`);
    return anchors[0];
  };
  const anchors = [...new Set(ALL.map((c) => anchorOf(c.when)))];
  const blocks = anchors.map((anchor) => {
    const v = LOCAL[anchor];
    const row = rowCode(ALL.filter((c) => anchorOf(c.when) === anchor), HOURS_OF && anchorOf(HOURS_OF) === anchor ? HOURS_OF : null, asOf, grouped);
    const loads = row.loads.split('\n').filter((l) => !l.startsWith(`const ${v} `)).join('\n');
    return `{
  const ${v} = ${LOAD[v]};
  const slot = Math.floor((${v} + shift) / slotMs) - firstSlot;
  const b = slot >= 0 && slot < slots ? slotToBucket[slot] : -1;
  if (b >= 0) {
    const start = starts[b], end = ends[b], dueEnd = dueEnds[b];
    ${loads}
    const o = b * ${SLOTS};
    counters[o] = 1;
    ${row.body}
    ${row.hours ? `if (withHours && ${row.hours} === 1) {
      ${collectHours('b')}
    }` : ''}
  }
}`;
  });
  return compile<(cols: KernelColumns, rows: Int32Array, length: number, g: Extract<CodeGrouping, { kind: 'bucket' }>, codes: StatusCodes, counters: Int32Array, withHours: boolean) => Hours>(
    'countBuckets', 'cols, rows, length, bk, codes, counters, withHours', `
${COLUMN_LOCALS}
${statusLocals}
const { slotMs, firstSlot, slotToBucket, starts, ends, dueEnds, asOf } = bk;
const slots = slotToBucket.length, shift = ${SHANGHAI};
${HOURS_BUFFER}
for (let i = 0; i < length; i++) {
  const r = rows[i];
  ${blocks.join('\n')}
}
return { values, groups, length: n };`);
}

/**
 * A period as epoch ms: reports in [start, end), deadlines in [start, dueEnd); `asOf`: the
 * instant counted as of (read only by the as-of loops).
 */
export type Period = Pick<CodeFilter, 'start' | 'end' | 'dueEnd'> & { asOf?: number | null };

/** The loops of one evaluation: the present, or as of an instant (`asOf`, which then reads `closed`). */
const kernels = (asOf: boolean) => ({
  one: oneKernel(asOf),
  column: columnKernel(false, asOf),
  columnAll: columnKernel(true, asOf),
  given: givenKernel(asOf),
  bucket: bucketKernel(asOf),
});

/** The loops, compiled once when the engine is first imported: in the present, and as of an instant. */
export const KERNELS = kernels(false);
export const AS_OF_KERNELS = kernels(true);

/** The loops for a period: as of its instant when it has one. */
export const kernelsFor = (p: { asOf?: number | null }) => (p.asOf === null || p.asOf === undefined ? KERNELS : AS_OF_KERNELS);

/** Where each count of the rules is read from the counters: a slot, or a slot minus another (`difference`). */
const READS = KPI_COUNTERS.map((c) => {
  if (!('count' in c)) return { name: c.name, stat: 'median' in c ? ('median' as const) : ('mean' as const), plus: 0, minus: 0 };
  const slot = (name: string) => {
    const k = TALLIED.findIndex((t) => t.name === name);
    if (k < 0) throw new Error(`a KPI difference must name tallied counts: "${name}" is not one`);
    return k + 1;
  };
  const [plus, minus] = (c as CountCounter).difference ?? [c.name, null];
  return { name: c.name, stat: null, plus: slot(plus), minus: minus === null ? 0 : slot(minus) };
});

/**
 * The counts of the rules from the counters of group g, in the rules' order (NaN hours: none). One
 * object literal, generated from the rules like the loops: a ranking reads 10 k of them per period,
 * and setting the fields one by one in a loop took several times longer and left more garbage.
 */
export const countsAt = compile<(counters: Int32Array, g: number, median: number, mean: number) => Record<string, number | null>>(
  'countsAt', 'counters, g, median, mean', `
const o = g * ${SLOTS};
return {
${READS.map(({ name, stat, plus, minus }) => {
  const value = stat !== null ? `${stat} === ${stat} ? ${stat} : null` : `counters[o + ${plus}]${minus ? ` - counters[o + ${minus}]` : ''}`;
  return `  ${JSON.stringify(name)}: ${value},`;
}).join('\n')}
};`);
