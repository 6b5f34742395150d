/**
 * The playback loops against the engine's own as-of count, frame by frame: rows whose times sit
 * exactly on frame ends, a millisecond either side, before and after the playback, or are missing,
 * with every status — so the difference array's frame boundaries are the rule's `<` and `<=`.
 */
import { describe, expect, it } from 'vitest';
import { ISSUE_SOURCES, ISSUE_STATUSES } from '../../../server/domain/vocabulary.ts';
import { DAY, HOUR, type CodeFilter } from '../../../server/kpi/fast/codes.ts';
import { BLOCK, Dictionary, emptyRowBatch, IssueColumns, LATE_MS } from '../../../server/kpi/fast/columns.ts';
import { countKpis } from '../../../server/kpi/fast/count.ts';
import { FRAME_KERNELS } from '../../../server/kpi/fast/frame-kernels.ts';
import { backlogRows } from '../../../server/kpi/fast/frame-part.ts';
import { Rng } from '../../../server/demo/rng.ts';

const GRIDS = ['g0', 'g1', 'g2'];
const STATUSES = Object.keys(ISSUE_STATUSES);

/** Rows with times picked among the frame ends (±1 ms), far before and after, and NaN. */
function rowsAround(ends: Float64Array, n: number, seed: number): IssueColumns {
  const rng = new Rng(seed, 'frame-kernels');
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.next() * xs.length)];
  const times = [NaN, ends[0] - 30 * DAY, ends.at(-1)! + 30 * DAY, ...[...ends].flatMap((e) => [e - 1, e, e + 1, e - HOUR / 2])];
  const cols = new IssueColumns({
    status: new Dictionary(STATUSES), source: new Dictionary(Object.keys(ISSUE_SOURCES)), category: new Dictionary(['c']),
    grid: new Dictionary(GRIDS), community: new Dictionary(['m']), street: new Dictionary(['s']), site: new Dictionary(), department: new Dictionary(),
  });
  const batch = emptyRowBatch(n);
  for (let i = 0; i < n; i++) {
    batch.rowid[i] = i;
    batch.idHash[i] = i;
    batch.reported[i] = ends[0] - 60 * DAY;
    batch.deadline[i] = pick(times);
    batch.closed[i] = pick(times);
    batch.hours[i] = NaN;
    batch.status[i] = Math.floor(rng.next() * STATUSES.length);
    // Some rows outside every grid: the last row of the answer.
    batch.grid[i] = Math.floor(rng.next() * (GRIDS.length + 1)) - 1;
    batch.department[i] = -1;
  }
  cols.apply(batch);
  return cols;
}

/** The backlog per grid at each end, by the engine's count as of that instant (row-major like the loop's answer). */
function asOfEachEnd(cols: IssueColumns, ends: Float64Array): Int32Array {
  const codes = Object.fromEntries(['closed', 'cancelled', 'deferred'].map((s) => [s, cols.dict.status.code(s)!]));
  const out = new Int32Array((GRIDS.length + 1) * ends.length);
  ends.forEach((t, k) => {
    const f: CodeFilter = { start: 0, end: t, dueEnd: t, asOf: t, scope: { kind: 'all' }, categories: null, sources: null, statuses: null, sitesAny: null };
    const { groups } = countKpis(cols, f, { kind: 'column', column: 'grid', names: GRIDS }, codes, false);
    GRIDS.forEach((g, u) => (out[u * ends.length + k] = groups.get(g)?.overdue ?? 0));
    out[GRIDS.length * ends.length + k] = groups.get(null)?.overdue ?? 0;
  });
  return out;
}

function backlog(cols: IssueColumns, ends: Float64Array): Int32Array {
  const codes = Object.fromEntries(['closed', 'cancelled', 'deferred'].map((s) => [s, cols.dict.status.code(s)!]));
  const out = new Int32Array((GRIDS.length + 1) * ends.length);
  const rows = Int32Array.from({ length: cols.length }, (_, r) => r);
  const unit = { column: cols.grid, map: Int32Array.from(GRIDS, (_, i) => i), nullGroup: GRIDS.length };
  FRAME_KERNELS.overdue(cols, rows, rows.length, unit, 0, ends, codes, out);
  return out;
}

const day0 = Date.parse('2026-10-01T00:00:00+08:00');

describe('playback backlog loop', () => {
  it('equals the as-of count at every frame end: days, a last frame clipped at now, hours, weeks, one frame', () => {
    const shapes: Record<string, Float64Array> = {
      days: Float64Array.from({ length: 31 }, (_, k) => day0 + (k + 1) * DAY),
      clipped: Float64Array.from({ length: 10 }, (_, k) => Math.min(day0 + (k + 1) * DAY, day0 + 9 * DAY + 5 * HOUR)),
      hours: Float64Array.from({ length: 72 }, (_, k) => day0 + (k + 1) * HOUR),
      weeks: Float64Array.from({ length: 9 }, (_, k) => day0 + 4 * DAY + k * 7 * DAY),
      one: Float64Array.of(day0 + DAY),
    };
    for (const [name, ends] of Object.entries(shapes)) {
      const cols = rowsAround(ends, 3000, ends.length);
      expect(Array.from(backlog(cols, ends)), name).toEqual(Array.from(asOfEachEnd(cols, ends)));
    }
  });
});

/**
 * The backlog at each end by brute force over every row, written from docs/domain.md (not the
 * rules' code): not cancelled or deferred, deadline before t, not closed by t; per grid, of the
 * rows `keep` keeps.
 */
function bruteBacklog(cols: IssueColumns, ends: Float64Array, keep: (r: number) => boolean): Int32Array {
  const code = (s: string) => cols.dict.status.code(s)!;
  const out = new Int32Array((GRIDS.length + 1) * ends.length);
  for (let r = 0; r < cols.length; r++) {
    const st = cols.status[r];
    if (!keep(r) || st === code('cancelled') || st === code('deferred')) continue;
    const g = cols.grid[r] < 0 ? GRIDS.length : cols.grid[r];
    ends.forEach((t, k) => {
      if (cols.deadline[r] < t && !(st === code('closed') && cols.closed[r] <= t)) out[g * ends.length + k]++;
    });
  }
  return out;
}

describe('playback backlog rows by block bounds', () => {
  const ends = Float64Array.from({ length: 31 }, (_, k) => day0 + (k + 1) * DAY);
  const STATUS = (s: string) => STATUSES.indexOf(s);

  /**
   * Blocks of rows: 0 and 2 closed long before the playback (0 with its exceptions: open, cancelled,
   * deferred, handled with an old close time, closed exactly at the first and a later frame end, a
   * deadline exactly at a frame end), 1 reported just before it and closed exactly at frame ends,
   * 3 a mix of every status and times around the ends, 4 appended later; then rows updated in place.
   */
  function blockRows(): IssueColumns {
    const rng = new Rng(7, 'backlog-blocks');
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.next() * xs.length)];
    const cols = new IssueColumns({
      status: new Dictionary(STATUSES), source: new Dictionary(Object.keys(ISSUE_SOURCES)), category: new Dictionary(['a', 'b']),
      grid: new Dictionary(GRIDS), community: new Dictionary(['m']), street: new Dictionary(['s']), site: new Dictionary(), department: new Dictionary(),
    });
    const around = [...ends].flatMap((e) => [e - 1, e, e + 1]);
    const batchOf = (from: number, n: number, row: (r: number, b: ReturnType<typeof emptyRowBatch>, i: number) => void) => {
      const b = emptyRowBatch(n);
      for (let i = 0; i < n; i++) {
        const r = from + i;
        b.rowid[i] = r;
        b.idHash[i] = r;
        b.hours[i] = NaN;
        b.department[i] = -1;
        b.category[i] = r % 2;
        b.grid[i] = (r % (GRIDS.length + 1)) - 1;
        // Closed on time long before the playback.
        b.reported[i] = ends[0] - 200 * DAY + r * 1000;
        b.deadline[i] = b.reported[i] + 3 * DAY;
        b.closed[i] = b.reported[i] + DAY;
        b.status[i] = STATUS('closed');
        row(r, b, i);
      }
      return b;
    };
    cols.apply(batchOf(0, 4 * BLOCK, (r, b, i) => {
      const block = Math.floor(r / BLOCK);
      const k = r % BLOCK;
      if (block === 0 && k < 8) {
        const odd: [string, number, number][] = [
          ['dispatched', b.deadline[i], NaN], ['cancelled', b.deadline[i], NaN], ['deferred', b.deadline[i], NaN],
          ['handled', b.deadline[i], b.closed[i]], ['closed', b.deadline[i], ends[0]], ['closed', ends[1], ends[3]],
          ['dispatched', ends[2], NaN], ['closed', b.deadline[i], NaN],
        ];
        const [status, deadline, closed] = odd[k];
        Object.assign(b.status, { [i]: STATUS(status) });
        b.deadline[i] = deadline;
        b.closed[i] = closed;
      } else if (block === 1) {
        b.reported[i] = ends[0] - 5 * DAY;
        b.deadline[i] = pick([ends[0] - 2 * DAY, ...around]);
        b.closed[i] = pick(around);
      } else if (block === 3) {
        b.reported[i] = ends[0] - pick([60, 20]) * DAY;
        b.deadline[i] = pick([NaN, ...around]);
        b.closed[i] = pick([NaN, ...around]);
        b.status[i] = Math.floor(rng.next() * STATUSES.length);
      }
    }));
    // Appended after the load: open ones and ones closed at frame ends.
    cols.apply(batchOf(4 * BLOCK, 1000, (_, b, i) => {
      b.reported[i] = ends[0] - 40 * DAY;
      b.deadline[i] = pick(around);
      b.closed[i] = pick([NaN, ...around]);
      b.status[i] = pick([STATUS('closed'), STATUS('dispatched'), STATUS('deferred')]);
    }));
    // Updated in place: the open issue of block 0 closed at a frame end, the one closed at the first end reopened, one of block 2 reopened.
    cols.apply(batchOf(0, 1, (_, b, i) => { b.closed[i] = ends[2]; }));
    cols.apply(batchOf(4, 1, (_, b, i) => { b.status[i] = STATUS('verified'); b.closed[i] = NaN; }));
    cols.apply(batchOf(2 * BLOCK + 9, 1, (_, b, i) => { b.status[i] = STATUS('handled'); b.closed[i] = NaN; }));
    return cols;
  }

  it('counts the backlog of every row while reading whole only the blocks closed since the first frame end', () => {
    const cols = blockRows();
    const codes = Object.fromEntries(['closed', 'cancelled', 'deferred'].map((s) => [s, cols.dict.status.code(s)!]));
    const unit = { column: cols.grid, map: Int32Array.from(GRIDS, (_, i) => i), nullGroup: GRIDS.length };
    const all: CodeFilter = { start: 0, end: ends.at(-1)!, dueEnd: ends.at(-1)!, asOf: ends.at(-1)!, scope: { kind: 'all' }, categories: null, sources: null, statuses: null, sitesAny: null };
    const cases: [string, CodeFilter, (r: number) => boolean][] = [
      ['all', all, () => true],
      ['category b', { ...all, categories: Uint8Array.of(0, 1) }, (r) => cols.category[r] === 1],
      ['grid g1', { ...all, scope: { kind: 'grid', code: 1 } }, (r) => cols.grid[r] === 1],
    ];
    for (const [name, f, keep] of cases) {
      const expected = bruteBacklog(cols, ends, keep);
      expect(expected.some((v) => v > 0), name).toBe(true);
      // Whole, and in parts cut inside blocks.
      const whole = new Int32Array(expected.length);
      const sel = backlogRows(cols, f, ends[0]);
      // Blocks 0 and 2 (closed before the playback but for their late rows) are not read whole.
      expect(sel.length, `${name}: rows read`).toBeLessThan(cols.length - 1.9 * BLOCK);
      FRAME_KERNELS.overdue(cols, sel.rows.slice(0, sel.length), sel.length, unit, 0, ends, codes, whole);
      expect(Array.from(whole), name).toEqual(Array.from(expected));
      const parts = new Int32Array(expected.length);
      for (const range of [{ from: 0, to: 6 }, { from: 6, to: BLOCK + 100 }, { from: BLOCK + 100, to: 3 * BLOCK + 7 }, { from: 3 * BLOCK + 7, to: cols.length }]) {
        const part = new Int32Array(expected.length);
        const s = backlogRows(cols, f, ends[0], range);
        FRAME_KERNELS.overdue(cols, s.rows.slice(0, s.length), s.length, unit, 0, ends, codes, part);
        part.forEach((v, k) => (parts[k] += v));
      }
      expect(Array.from(parts), `${name} in parts`).toEqual(Array.from(expected));
    }
  });

  it('marks a row late by its own bound, and keeps the others in their block\'s', () => {
    const cols = blockRows();
    const late = (r: number) => (cols.backlogLate[r >> 5] >>> (r & 31)) & 1;
    // Closed (by the update) or open long after the report, handled with an old close time: late; cancelled or deferred: never in the backlog.
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(late)).toEqual([1, 0, 0, 1, 1, 1, 1, 1]);
    expect(cols.backlogUntil[0]).toBeLessThan(ends[0]);
    expect(cols.backlogUntil[1]).toBeGreaterThanOrEqual(ends[0]);
    expect(cols.backlogUntil[2]).toBeLessThan(ends[0]);
    expect(late(2 * BLOCK + 9)).toBe(1);
    expect(LATE_MS).toBeGreaterThan(DAY);
  });
});
