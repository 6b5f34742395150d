/**
 * The playback loops against the engine's own as-of count, frame by frame: rows whose times sit
 * exactly on frame ends, a millisecond either side, before and after the playback, or are missing,
 * with every status — so the difference array's frame boundaries are the rule's `<` and `<=`.
 */
import { describe, expect, it } from 'vitest';
import { ISSUE_SOURCES, ISSUE_STATUSES } from '../../../server/domain/vocabulary.ts';
import { DAY, HOUR, type CodeFilter } from '../../../server/kpi/fast/codes.ts';
import { Dictionary, emptyRowBatch, IssueColumns } from '../../../server/kpi/fast/columns.ts';
import { countKpis } from '../../../server/kpi/fast/count.ts';
import { FRAME_KERNELS } from '../../../server/kpi/fast/frame-kernels.ts';
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
