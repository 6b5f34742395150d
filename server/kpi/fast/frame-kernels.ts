/**
 * The KPI engine's playback loops, generated from the KPI rules (server/domain/kpi-rules.ts) like
 * kernels.ts's, each filling a units × frames table in one pass over the rows:
 * - a window loop: a condition anchored at one time (reported), counted in the frame of that time
 *   by the frame's bounds, as the time series' bucket loop does;
 * - a backlog loop: a condition evaluated as of each frame's end t (no period start, end = dueEnd =
 *   asOf = t), e.g. 超期未结. Evaluating it for every row at every frame end would cost rows × frames;
 *   but each of its time tests (`x < t`, `x <= t` for an event by t) flips once as t grows, at the
 *   row's own time. So the rule is evaluated only at the first frame, and at the first frame past
 *   each of the row's times; between two of these its value cannot change. Each change is noted
 *   (+1 / −1 at that frame) and running sums give the backlog at every frame.
 */
import { conditionNamed, type Condition, type ConditionName, type EventTime, type PeriodTime } from '../../domain/kpi-rules.ts';
import { SHANGHAI, type CodeGrouping, type StatusCodes } from './codes.ts';
import { compile, LOAD, LOCAL, rowCode, statusLocals, type KernelColumns } from './kernels.ts';

/** Where a row's unit is: `column[r]` → `map[code]` → a unit row, else (-1, NULL) the `nullGroup` row. */
export type UnitColumn = { column: Int32Array; map: Int32Array; nullGroup: number };

type Buckets = Extract<CodeGrouping, { kind: 'bucket' }>;

/** The unit row of row r, in generated source. */
const UNIT_ROW = `let g = column[r];
  if (g >= 0) g = map[g];
  if (g < 0) g = nullGroup;`;

/** The one time a window condition compares with the period: the frame is that time's. */
function anchorOf(c: Condition): PeriodTime {
  const walk = (x: Condition): PeriodTime[] =>
    'time' in x ? [x.time] : 'rule' in x ? walk(conditionNamed(x.rule)) : 'all' in x ? x.all.flatMap(walk) : 'any' in x ? x.any.flatMap(walk) : [];
  const anchors = [...new Set(walk(c))];
  if (anchors.length !== 1) throw new Error(`a window count needs a condition on exactly one period time (${JSON.stringify(c)})`);
  return anchors[0];
}

function windowKernel(name: ConditionName) {
  const when = conditionNamed(name);
  const anchor = LOCAL[anchorOf(when)];
  const row = rowCode([{ slot: 0, when }], null, false, (_, expr) => `out[g * frames + b] += ${expr};`);
  const loads = row.loads.split('\n').filter((l) => !l.startsWith(`const ${anchor} `)).join('\n');
  return compile<(cols: KernelColumns, rows: Int32Array, length: number, unit: UnitColumn, bk: Buckets, codes: StatusCodes, out: Int32Array) => void>(
    `window_${name}`, 'cols, rows, length, unit, bk, codes, out', `
const { reported, deadline, status, flags } = cols;
${statusLocals}
const { column, map, nullGroup } = unit;
const { slotMs, firstSlot, slotToBucket, starts, ends, dueEnds } = bk;
const frames = starts.length, slots = slotToBucket.length, shift = ${SHANGHAI};
for (let i = 0; i < length; i++) {
  const r = rows[i];
  const ${anchor} = ${LOAD[anchor]};
  const slot = Math.floor((${anchor} + shift) / slotMs) - firstSlot;
  const b = slot >= 0 && slot < slots ? slotToBucket[slot] : -1;
  if (b >= 0) {
    const start = starts[b], end = ends[b], dueEnd = dueEnds[b];
    ${loads}
    ${UNIT_ROW}
    ${row.body}
  }
}`);
}

/**
 * The row times where a condition as of t can change, with how: `strict` for `x < t` (it holds
 * from the first frame end past x), else `x <= t` (from the first frame end at or past x). The
 * period start is fixed (a backlog has none), so a test against it never changes.
 */
function flipsOf(c: Condition): { time: PeriodTime | EventTime; strict: boolean }[] {
  const found = new Map<string, { time: PeriodTime | EventTime; strict: boolean }>();
  const walk = (x: Condition): void => {
    if ('time' in x) {
      if (x.before !== 'start' || (x.from && x.from !== 'start')) found.set(`${x.time}<`, { time: x.time, strict: true });
    } else if ('happened' in x) found.set(`${x.happened}<=`, { time: x.happened, strict: false });
    else if ('notHappened' in x) found.set(`${x.notHappened}<=`, { time: x.notHappened, strict: false });
    else if ('rule' in x) walk(conditionNamed(x.rule));
    else if ('all' in x) x.all.forEach(walk);
    else if ('any' in x) x.any.forEach(walk);
  };
  walk(c);
  return [...found.values()];
}

function backlogKernel(name: ConditionName) {
  const when = conditionNamed(name);
  const flips = flipsOf(when);
  const row = rowCode([{ slot: 0, when }], null, true, (_, expr) => `const v = ${expr};`);
  const size = flips.length + 1;
  return compile<(cols: KernelColumns, rows: Int32Array, length: number, unit: UnitColumn, start: number, ends: Float64Array, codes: StatusCodes, out: Int32Array) => void>(
    `backlog_${name}`, 'cols, rows, length, unit, start, ends, codes, out', `
const { reported, deadline, status, flags, closed } = cols;
${statusLocals}
const { column, map, nullGroup } = unit;
const frames = ends.length, first = ends[0], last = ends[frames - 1];
// The first frame whose end is past x (strict) or at or past x, for an x between the first and
// the last frame end (the callers take the ends, and NaN, which never happens, first).
const search = (x, strict) => {
  let lo = 0, hi = frames - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (strict ? ends[mid] > x : ends[mid] >= x) hi = mid; else lo = mid;
  }
  return hi;
};
const at = new Int32Array(${size});
// The rows whose value holds over the whole playback, per unit: a small table, where adding into
// the units × frames one (megabytes for 10 k grids) cost a cache miss per row.
const steady = new Int32Array(nullGroup + 1);
for (let i = 0; i < length; i++) {
  const r = rows[i];
  ${row.loads}
  ${UNIT_ROW}
  const o = g * frames;
  ${flips.map((f, j) => {
    const x = LOCAL[f.time];
    return f.strict
      ? `const k${j} = ${x} < first ? 0 : !(${x} < last) ? frames : search(${x}, true);`
      : `const k${j} = ${x} <= first ? 0 : !(${x} <= last) ? frames : search(${x}, false);`;
  }).join('\n  ')}
  if (${flips.map((_, j) => `(k${j} === 0 || k${j} === frames)`).join(' && ') || 'true'}) {
    // Most rows: their times are all before the first frame end or after the last, so the rule
    // has one value over the whole playback.
    const end = first, dueEnd = end, asOf = end;
    ${row.body}
    steady[g] += v;
    continue;
  }
  at[0] = 0;
  ${flips.map((_, j) => `at[${j + 1}] = k${j};`).join(' ')}
  for (let j = 1; j < ${size}; j++) {
    const k = at[j];
    let m = j - 1;
    while (m >= 0 && at[m] > k) { at[m + 1] = at[m]; m--; }
    at[m + 1] = k;
  }
  let was = 0;
  for (let j = 0; j < ${size}; j++) {
    const k = at[j];
    if (k >= frames) break;
    if (j > 0 && k === at[j - 1]) continue;
    const end = ends[k], dueEnd = end, asOf = end;
    ${row.body}
    if (v !== was) { out[o + k] += v - was; was = v; }
  }
}
for (let g = 0; g <= nullGroup; g++) out[g * frames] += steady[g];
for (let o = 0; o < out.length; o += frames) for (let k = 1; k < frames; k++) out[o + k] += out[o + k - 1];`);
}

/** The loops of the playback counts: reports per frame, and the 超期未结 backlog at each frame's end. */
export const FRAME_KERNELS = { reported: windowKernel('reported'), overdue: backlogKernel('overdue') };
