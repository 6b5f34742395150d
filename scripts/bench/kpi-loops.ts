/**
 * `npx tsx scripts/bench/kpi-loops.ts [--issues N]` — times the KPI engine's counting loops
 * (server/kpi/fast/count.ts) on a synthetic city held in memory, without DuckDB: the summary
 * (one group), a column grouping (street, and category with its total), given groups (hour of
 * the day), time buckets (days), the summary as of a year earlier (同比), and playback's loops (reports
 * per grid and day, the backlog per grid at each day's end, 90 days). Prints the median of 15 runs per shape, in milliseconds.
 * Figures only compare on an otherwise idle machine: it is meant for before/after runs in one sitting.
 */
import { ISSUE_SOURCES, ISSUE_STATUSES } from '../../server/domain/vocabulary.ts';
import { DAY, localDay, SHANGHAI, type CodeFilter, type CodeGrouping } from '../../server/kpi/fast/codes.ts';
import { Dictionary, emptyRowBatch, IssueColumns } from '../../server/kpi/fast/columns.ts';
import { countKpis } from '../../server/kpi/fast/count.ts';
import { FRAME_KERNELS } from '../../server/kpi/fast/frame-kernels.ts';
import { filtered } from '../../server/kpi/fast/rows.ts';
import { Rng } from '../../server/demo/rng.ts';

const arg = process.argv.indexOf('--issues');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 1_500_000;
const NOW = Date.parse('2026-11-25T04:00:00Z');

function city(n: number): IssueColumns {
  const rng = new Rng(7, 'kpi-loops');
  const rnd = () => rng.next();
  const names = (prefix: string, k: number) => Array.from({ length: k }, (_, i) => `${prefix}${i}`);
  const statuses = Object.keys(ISSUE_STATUSES);
  const cols = new IssueColumns({
    status: new Dictionary(statuses), source: new Dictionary(Object.keys(ISSUE_SOURCES)), category: new Dictionary(names('c', 80)),
    grid: new Dictionary(names('g', 2000)), community: new Dictionary(names('m', 150)), street: new Dictionary(names('s', 12)), site: new Dictionary(),
    department: new Dictionary(names('d', 15)),
  });
  cols.reserve(n);
  const batch = emptyRowBatch(n);
  const first = NOW - 730 * DAY;
  for (let i = 0; i < n; i++) {
    const reported = first + (730 * DAY * i) / n + rnd() * 3_600_000;
    const closed = rnd() < 0.6;
    batch.rowid[i] = i;
    batch.idHash[i] = i;
    batch.reported[i] = reported;
    batch.deadline[i] = rnd() < 0.1 ? NaN : reported + (1 + rnd() * 9) * DAY;
    batch.hours[i] = closed && rnd() < 0.9 ? rnd() * 200 : NaN;
    batch.closed[i] = closed ? reported + rnd() * 12 * DAY : NaN;
    batch.status[i] = closed ? statuses.indexOf('closed') : Math.floor(rnd() * statuses.length);
    batch.source[i] = Math.floor(rnd() * 5);
    batch.category[i] = Math.floor(rnd() * 80);
    batch.grid[i] = Math.floor(rnd() * 2000);
    batch.community[i] = Math.floor(batch.grid[i] / 14);
    batch.street[i] = Math.floor(batch.community[i] / 13);
    batch.department[i] = rnd() < 0.1 ? -1 : Math.floor(rnd() * 15);
    batch.flags[i] = Math.floor(rnd() * 8);
  }
  cols.apply(batch);
  return cols;
}

const cols = city(N);
const codes = { closed: 5, cancelled: 6, deferred: 7 };
const start = NOW - 365 * DAY;
const filter: CodeFilter = { start, end: NOW + DAY, dueEnd: NOW, asOf: null, scope: { kind: 'all' }, categories: null, sources: null, statuses: null, sitesAny: null };
const yearAgo = NOW - 365 * DAY;
const lastYear: CodeFilter = { ...filter, start: start - 365 * DAY, end: yearAgo, dueEnd: yearAgo, asOf: yearAgo };
const firstDay = localDay(start);
const days = Array.from({ length: 366 }, (_, d) => firstDay + d);
const bucket: CodeGrouping = {
  kind: 'bucket', slotMs: DAY, firstSlot: firstDay, slotToBucket: Int32Array.from({ length: 400 }, (_, d) => (d < days.length ? d : -1)), names: days.map(String),
  starts: Float64Array.from(days, (d) => d * DAY - SHANGHAI),
  ends: Float64Array.from(days, (d) => (d + 1) * DAY - SHANGHAI),
  dueEnds: Float64Array.from(days, (d) => Math.min((d + 1) * DAY - SHANGHAI, NOW)),
  asOf: null,
};

const frameDays = days.slice(-90);
const frames: Extract<CodeGrouping, { kind: 'bucket' }> = {
  ...bucket, firstSlot: frameDays[0], starts: bucket.starts.slice(-90), ends: bucket.ends.slice(-90), dueEnds: bucket.dueEnds.slice(-90),
  slotToBucket: Int32Array.from({ length: 124 }, (_, d) => (d < 90 ? d : -1)), names: frameDays.map(String),
};
const gridUnits = { column: cols.grid, map: Int32Array.from(cols.dict.grid.values, (_, k) => k), nullGroup: cols.dict.grid.size };
const frameReports = () => {
  const sel = filtered(cols, { ...filter, start: frames.starts[0], end: frames.ends[89] });
  FRAME_KERNELS.reported(cols, sel.rows, sel.length, gridUnits, frames, codes, new Int32Array((gridUnits.nullGroup + 1) * 90));
};
const frameBacklog = () => {
  const asOf = frames.dueEnds;
  const sel = filtered(cols, { ...filter, start: 0, end: asOf[89], dueEnd: asOf[89], asOf: asOf[89] });
  FRAME_KERNELS.overdue(cols, sel.rows, sel.length, gridUnits, 0, asOf, codes, new Int32Array((gridUnits.nullGroup + 1) * 90));
};

const shapes: [string, () => unknown][] = [
  ['summary (one group)', () => countKpis(cols, filter, { kind: 'one', name: 'all' }, codes)],
  ['summary, no hours', () => countKpis(cols, filter, { kind: 'one', name: 'all' }, codes, false)],
  ['column: grid', () => countKpis(cols, filter, { kind: 'column', column: 'grid', names: cols.dict.grid.values }, codes)],
  ['column: category + total', () => countKpis(cols, filter, { kind: 'column', column: 'category', names: cols.dict.category.values }, codes, true, true)],
  ['given groups: hour', () => countKpis(cols, filter, { kind: 'clock', unit: 'hour' }, codes)],
  ['given groups: status', () => countKpis(cols, filter, { kind: 'column', column: 'status', names: cols.dict.status.values }, codes)],
  ['buckets: 366 days', () => countKpis(cols, filter, bucket, codes)],
  ['summary as of a year ago', () => countKpis(cols, lastYear, { kind: 'one', name: 'all' }, codes)],
  ['frames: reports, grid × 90 days', frameReports],
  ['frames: backlog, grid × 90 days', frameBacklog],
];

console.log(`${N.toLocaleString('en-US')} issues; a 365-day period (${countKpis(cols, filter, { kind: 'one', name: 'all' }, codes).groups.get('all')?.reported} reported)`);
for (const [name, run] of shapes) {
  for (let i = 0; i < 3; i++) run();
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(28)} ${times[7].toFixed(1).padStart(7)} ms   (min ${times[0].toFixed(1)})`);
}
