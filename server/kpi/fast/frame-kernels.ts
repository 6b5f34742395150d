/**
 * The KPI engine's playback loops, generated from the KPI rules (server/domain/kpi-rules.ts) like
 * kernels.ts's, each filling a units × frames table in one pass over the rows:
 * - a window loop: a condition anchored at one time (reported), counted in the frame of that time
 *   by the frame's bounds, as the time series' bucket loop does;
 * - a backlog loop: a condition evaluated as of each frame's end t (no period start, end = dueEnd =
 *   asOf = t), e.g. 超期未结. Evaluating it for every row at every frame end would cost rows × frames;
 *   but each of its time tests (`x < t`, `x <= t` for an event by t) flips once as t grows, at the
 *   row's own time, so a row counts in one run of frames [lo, hi): from its deadline's frame to
 *   its closure's. The loop notes +1 at lo and −1 at hi (a difference array) and running sums give
 *   the backlog at every frame. A row closed before the first frame ends — most of a city's
 *   history — is dropped after a few comparisons, before its unit is even looked up.
 */
import { conditionNamed, type Condition, type ConditionName, type PeriodTime } from '../../domain/kpi-rules.ts';
import { SHANGHAI, type CodeGrouping, type StatusCodes } from './codes.ts';
import type { CodeColumn } from './columns.ts';
import { COLUMN_LOCALS, compile, factBit, LOAD, LOCAL, rowCode, statusLocal, statusLocals, type KernelColumns } from './kernels.ts';
import { Scratch } from './scratch.ts';

/** Where a row's unit is: `column[r]` → `map[code]` → a unit row, else (-1, NULL) the `nullGroup` row. */
export type UnitColumn = { column: CodeColumn; map: Int32Array; nullGroup: number };

type Buckets = Extract<CodeGrouping, { kind: 'bucket' }>;

/** The unit row of row r, in generated source. */
const UNIT_ROW = `let g = column[r];
  if (g >= 0) g = map[g];
  if (g < 0) g = nullGroup;`;

/**
 * The frames × units scratch table, reused by every call (counting is synchronous), zeroed by its
 * user. Frame-major: the many rows that count from the first frame on add into one row of it,
 * which stays in cache, where the unit-major answer (megabytes for 10 k grids) missed per row.
 */
const frameTable = new Scratch((n) => new Int32Array(n));
const frameMajor = (size: number): Int32Array => frameTable.get(size);

/** Generated source adding the running sums over the frames of the frame-major `acc` (width units) into the unit-major `out`. */
const RUNNING_SUMS = `
for (let g = 0; g < width; g++) {
  const o = g * frames;
  let sum = 0;
  for (let k = 0, a = g; k < frames; k++, a += width) {
    sum += acc[a];
    out[o + k] += sum;
  }
}`;

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
  // Counted frame-major: rows come in report order, so a run of them adds into one frame's row of the table.
  const row = rowCode([{ slot: 0, when }], null, false, (_, expr) => `acc[b * width + g] += ${expr};`);
  const loads = row.loads.split('\n').filter((l) => !l.startsWith(`const ${anchor} `)).join('\n');
  const kernel = compile<(cols: KernelColumns, rows: Int32Array, length: number, unit: UnitColumn, bk: Buckets, codes: StatusCodes, out: Int32Array, acc: Int32Array) => void>(
    `window_${name}`, 'cols, rows, length, unit, bk, codes, out, acc', `
const { reported, deadline, status, flags } = cols;
${statusLocals}
const { column, map, nullGroup } = unit;
const { slotMs, firstSlot, slotToBucket, starts, ends, dueEnds } = bk;
const frames = starts.length, slots = slotToBucket.length, shift = ${SHANGHAI}, width = nullGroup + 1;
acc.fill(0, 0, frames * width);
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
}
for (let g = 0; g < width; g++) {
  for (let k = 0, o = g * frames, a = g; k < frames; k++, a += width) out[o + k] += acc[a];
}`);
  return (cols: KernelColumns, rows: Int32Array, length: number, unit: UnitColumn, bk: Buckets, codes: StatusCodes, out: Int32Array): void =>
    kernel(cols, rows, length, unit, bk, codes, out, frameMajor(bk.starts.length * (unit.nullGroup + 1)));
}

/**
 * A condition as of frame k (t = the frame's end) as generated source: `guard`, a test of the row
 * alone, and while it holds, the frames [lo, hi) where the condition does. Each time test holds on
 * a suffix or a prefix of the frames (a time passed by t stays passed), so an `all` is the
 * intersection of its parts; an `any` is a union, an interval only when at most one part depends
 * on t — else generating the loop fails at start-up, which the rules' tests then show.
 * For the bounds the columns keep (`backlogUntil`), the same without the query: `rowGuard`, a test
 * of the row implied by `guard` whatever the period, and `until`, an instant such that a row whose
 * `until` is before the first frame's end has hi = 0 (Infinity: no such instant known).
 */
type Span = { guard: string; lo: string; hi: string; rowGuard: string; until: string };
const ALWAYS: Span = { guard: 'true', lo: '0', hi: 'frames', rowGuard: 'true', until: 'Infinity' };

function spanOf(c: Condition, loads: Set<string>): Span {
  // A test of the row alone; `fixed`: it reads no bound of the query.
  const constant = (test: string, fixed = true): Span => ({ ...ALWAYS, guard: test, rowGuard: fixed ? test : 'true' });
  if ('status' in c || 'statusNot' in c) {
    loads.add('st');
    return constant('status' in c ? `(${c.status.map((s) => `st === ${statusLocal(s)}`).join(' || ')})` : c.statusNot.map((s) => `st !== ${statusLocal(s)}`).join(' && '));
  }
  if ('fact' in c) {
    loads.add('fl');
    return constant(`(fl & ${factBit(c.fact)}) !== 0`);
  }
  if ('time' in c) {
    const x = LOCAL[c.time];
    loads.add(x);
    // A bound at the period start is fixed; one at the frame's end (end, dueEnd) is t.
    const parts: Span[] = [];
    if (c.from === 'start') parts.push(constant(`${x} >= start`, false));
    // x >= t: until the first frame past x (none when x is before the first end), and never for a NaN x.
    else if (c.from) parts.push({ ...ALWAYS, guard: `${x} === ${x}`, hi: `after(${x})`, rowGuard: `${x} === ${x}`, until: x });
    parts.push(c.before === 'start' ? constant(`${x} < start`, false) : { ...ALWAYS, lo: `after(${x})` });
    return intersection(parts);
  }
  if ('happened' in c) {
    loads.add(LOCAL[c.happened]);
    return { ...ALWAYS, lo: `at(${LOCAL[c.happened]})` };
  }
  if ('notHappened' in c) {
    const x = LOCAL[c.notHappened];
    loads.add(x);
    // Until x (in no frame when x is at or before the first end); a NaN x never happens.
    return { ...ALWAYS, hi: `at(${x})`, until: `(${x} === ${x} ? ${x} : Infinity)` };
  }
  if ('rule' in c) return spanOf(conditionNamed(c.rule), loads);
  if ('all' in c) return intersection(c.all.map((p) => spanOf(p, loads)));
  const parts = c.any.map((p) => spanOf(p, loads));
  const varying = parts.filter((p) => p.lo !== '0' || p.hi !== 'frames');
  if (varying.length > 1) throw new Error(`a backlog count needs an "any" with at most one part that changes over time (${JSON.stringify(c)})`);
  const fixed = parts.filter((p) => !varying.includes(p));
  const anyOf = (xs: string[]) => (xs.includes('true') ? 'true' : `(${xs.join(' || ')})`);
  if (!varying.length) return { ...ALWAYS, guard: anyOf(fixed.map((p) => p.guard)), rowGuard: anyOf(fixed.map((p) => p.rowGuard)) };
  const v = varying[0];
  if (!fixed.length) return v;
  // Any fixed part true: every frame; else the varying part's frames.
  const either = anyOf(fixed.map((p) => p.guard));
  const eitherRow = anyOf(fixed.map((p) => p.rowGuard));
  return {
    guard: v.guard === 'true' ? 'true' : `(${either} || ${v.guard})`,
    lo: v.lo === '0' ? '0' : `(${either} ? 0 : ${v.lo})`,
    hi: v.hi === 'frames' ? 'frames' : `(${either} ? frames : ${v.hi})`,
    rowGuard: v.rowGuard === 'true' || eitherRow === 'true' ? 'true' : `(${eitherRow} || ${v.rowGuard})`,
    // The fixed parts' row tests hold whenever they do: their Infinity is then no smaller than the truth.
    until: v.until === 'Infinity' || eitherRow === 'true' ? 'Infinity' : `(${eitherRow} ? Infinity : ${v.until})`,
  };
}

function intersection(parts: Span[]): Span {
  const all = (xs: string[], none: string) => xs.filter((x) => x !== none);
  const fold = (xs: string[], fn: string, none: string) => (xs.length === 0 ? none : xs.length === 1 ? xs[0] : `Math.${fn}(${xs.join(', ')})`);
  return {
    guard: all(parts.map((p) => p.guard), 'true').join(' && ') || 'true',
    lo: fold(all(parts.map((p) => p.lo), '0'), 'max', '0'),
    hi: fold(all(parts.map((p) => p.hi), 'frames'), 'min', 'frames'),
    rowGuard: all(parts.map((p) => p.rowGuard), 'true').join(' && ') || 'true',
    until: fold(all(parts.map((p) => p.until), 'Infinity'), 'min', 'Infinity'),
  };
}

function backlogKernel(name: ConditionName) {
  const loads = new Set<string>();
  const span = spanOf(conditionNamed(name), loads);
  const kernel = compile<(cols: KernelColumns, rows: Int32Array, length: number, unit: UnitColumn, start: number, ends: Float64Array, codes: StatusCodes, out: Int32Array, acc: Int32Array) => void>(
    `backlog_${name}`, 'cols, rows, length, unit, start, ends, codes, out, acc', `
${COLUMN_LOCALS}
${statusLocals}
const { column, map, nullGroup } = unit;
const frames = ends.length, first = ends[0], last = ends[frames - 1], width = nullGroup + 1;
// Frames are of one length but for a clipped last one, so a guess by the mean length is right or
// close, and a few steps settle it.
const span = frames > 1 ? (last - first) / (frames - 1) : 1;
const guess = (x) => Math.min(frames - 1, Math.max(1, Math.ceil((x - first) / span)));
// The first frame whose end is past x (x < t from there on), frames when none (NaN included).
const after = (x) => {
  if (x < first) return 0;
  if (!(x < last)) return frames;
  let k = guess(x);
  while (k > 1 && ends[k - 1] > x) k--;
  while (!(ends[k] > x)) k++;
  return k;
};
// The first frame whose end is at or past x (x <= t from there on), frames when none (NaN included).
const at = (x) => {
  if (x <= first) return 0;
  if (!(x <= last)) return frames;
  let k = guess(x);
  while (k > 1 && ends[k - 1] >= x) k--;
  while (!(ends[k] >= x)) k++;
  return k;
};
// A difference array per frame and unit: +1 at the first frame the row counts in, -1 at the first it no longer does.
acc.fill(0, 0, frames * width);
for (let i = 0; i < length; i++) {
  const r = rows[i];
  ${[...loads].map((v) => `const ${v} = ${LOAD[v]};`).join('\n  ')}
  if (!(${span.guard})) continue;
  const lo = ${span.lo}, hi = ${span.hi};
  // Most rows were closed before the first frame ends: they count in no frame, and their unit is not even looked up.
  if (lo >= hi) continue;
  ${UNIT_ROW}
  acc[lo * width + g]++;
  if (hi < frames) acc[hi * width + g]--;
}
${RUNNING_SUMS}`);
  return (cols: KernelColumns, rows: Int32Array, length: number, unit: UnitColumn, start: number, ends: Float64Array, codes: StatusCodes, out: Int32Array): void =>
    kernel(cols, rows, length, unit, start, ends, codes, out, frameMajor(ends.length * (unit.nullGroup + 1)));
}

/**
 * Of row r, an instant such that if it is before a playback's first frame end, the row is in the
 * 超期未结 backlog at none of its frames' ends (the backlog loop's own span, whatever the period):
 * -Infinity when it never is, Infinity when it may be at any instant to come (an open issue). The
 * columns keep these by block as rows are written (columns.ts), so a playback skips the rows of
 * its blocks closed before it (frame-part.ts).
 */
export const backlogUntil = ((): ((cols: KernelColumns, r: number, codes: StatusCodes) => number) => {
  const loads = new Set<string>();
  const span = spanOf(conditionNamed('overdue'), loads);
  return compile('backlog_until', 'cols, r, codes', `
${COLUMN_LOCALS}
${statusLocals}
${[...loads].map((v) => `const ${v} = ${LOAD[v]};`).join('\n')}
return ${span.rowGuard} ? ${span.until} : -Infinity;`);
})();

/** The loops of the playback counts: reports per frame, and the 超期未结 backlog at each frame's end. */
export const FRAME_KERNELS = { reported: windowKernel('reported'), overdue: backlogKernel('overdue') };
