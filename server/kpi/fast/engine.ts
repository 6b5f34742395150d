/**
 * The KPI engine: answers `groupedCounts` from the issues held in memory as typed columns
 * (columns.ts, count.ts) instead of scanning them in DuckDB. It never answers from a stale copy:
 * before counting it catches up with every write that finished before the request arrived (appended
 * and updated rows, load.ts); after a bulk rewrite (import, re-assignment on publish) it loads
 * everything again in the background and, until then, says "not me" so the SQL path answers.
 */
import type { Database } from '../../db/database.ts';
import { GROUPINGS, type Grouping, type GroupingName } from '../../domain/kpi-rules.ts';
import type { Bbox } from '../../domain/geometry.ts';
import { bucketStart, HOUR, type CalendarUnit } from '../../domain/time.ts';
import type { KpiCounts } from '../definitions.ts';
import type { Frame, FrameCounts } from '../frames.ts';
import { departmentInstant, periodBounds, type Filters } from '../filters.ts';
import type { BinGrid, HeatColumns } from '../heat.ts';
import { categoryRows, siteTypeRows } from '../resolve.ts';
import { bucketKey, type Bucket } from '../timeseries.ts';
import { DAY, SHANGHAI, type CodeFilter, type CodeGrouping } from './codes.ts';
import { BLOCK, OutOfStep, type CodeColumn, type IssueColumns, type UnitKind } from './columns.ts';
import { answerOf, assertTotal, countKpis, finishCount, groupCountOf, mergeParts } from './count.ts';
import { addFrameParts, frameCosts, framePart, type FrameQuery } from './frame-part.ts';
import { heatCounts } from './heat-kernels.ts';
import { addHeatFrameParts, heatFramePart, type HeatFrameCounts, type HeatFrameQuery } from './heat-frames.ts';
import { loadAll, syncChanges, type SyncMark } from './load.ts';
import { kthNewestReported } from './newest.ts';
import { CountPool } from './pool.ts';
import { candidateBlocks, filtered, indexKindOf, rowsToRead, type RowRange } from './rows.ts';
import { loanOf, type ColumnsLoan } from './shared-view.ts';
import { SnapshotGate } from './snapshot-gate.ts';

/** Groupings of the rules whose rows a ranking can limit to some units. */
export type UnitGrouping = 'street' | 'community' | 'grid' | 'department';

/** What a KPI answer is grouped by: a grouping of the KPI rules (GROUPINGS) with the engine's options, one group, or time buckets. */
export type FastGrouping =
  | { by: 'all' }
  | { by: Exclude<GroupingName, UnitGrouping | 'site' | 'siteType'> }
  /** `only`: just the rows of these units (a ranking counts the medians of the units it lists). */
  | { by: UnitGrouping; only?: readonly string[] }
  /** Each site of the issue; `onlyFiltered`: just the sites of the siteType filter; `dropEmpty`: no row for issues at no site. */
  | { by: 'site'; onlyFiltered?: boolean; dropEmpty?: boolean }
  /** Each distinct type of the issue's sites; `onlyFiltered`: just the types of the siteType filter. */
  | { by: 'siteType'; onlyFiltered?: boolean }
  | { by: 'bucket'; interval: CalendarUnit; buckets: Bucket[] };

/** The engine's column of an issue field a grouping names. */
const COLUMN: Record<Extract<Grouping, { column: unknown }>['column'], Extract<CodeGrouping, { kind: 'column' }>['column']> = {
  category: 'category', street: 'street', community: 'community', grid_code: 'grid', source: 'source', status: 'status', department: 'department',
};

export type EngineState = {
  state: 'off' | 'loading' | 'ready' | 'failed'; issues: number; loadMs: number | null; error: string | null;
  /** Rows read by the last catch-up (appended and updated ones): a few after a report. */
  lastCatchUpRows: number | null;
};

/** After a failed load, wait this long before trying again (the SQL path answers meanwhile). */
const RETRY_MS = 60_000;

/**
 * A count that reads fewer rows than this is counted on the main thread: under ~1 ms of work,
 * less than handing it to a worker and back.
 */
const INLINE_MAX_ROWS = 65_536;
/** Each part of a split count spans at least this many rows; a smaller count goes to one worker. */
const PART_MIN_ROWS = 262_144;
/** A split count with fewer hours than this is finished (merged, medians taken) on the main thread: well under a millisecond. */
const FINISH_INLINE_MAX_HOURS = 32_768;

export type EngineOptions = {
  /** Counting worker threads (pool.ts); 0: every count runs on the main thread. */
  workers?: number;
  /**
   * Tests: how every count is cut into row ranges for the workers (consecutive, covering
   * [0, length)), instead of `rangesOf`; a fixture of a few rows is then split too.
   */
  cut?: (length: number) => RowRange[];
};

type Reference = {
  /** Parents by code, of the fields a `parentOf` grouping names and of districts (none: no parent). */
  parent: Record<'street' | 'category' | 'district', Map<string, string | null>>;
  siteType: Map<string, string>;
};

export class KpiEngine {
  private cols: IssueColumns | null = null;
  private mark: SyncMark | null = null;
  private seenWrites = -1;
  private seenRewrites = -1;
  private loading: Promise<void> | null = null;
  private syncing: Promise<boolean> | null = null;
  private failedAt = 0;
  private closed = false;
  private status: EngineState = { state: 'off', issues: 0, loadMs: null, error: null, lastCatchUpRows: null };
  private readonly pool: CountPool | null;
  private readonly gate = new SnapshotGate();
  private readonly cut: (cols: IssueColumns, f: CodeFilter) => RowRange[] | null;
  /** A playback's cut: by the work of its blocks when it scans them (frame-part.ts `frameCosts`), else as its backlog's count. */
  private readonly cutFrames: (cols: IssueColumns, q: FrameQuery) => RowRange[] | null;

  constructor(
    private readonly db: Database,
    private readonly log: (message: string) => void = (m) => console.warn(m),
    opts: EngineOptions = {},
  ) {
    this.pool = opts.workers ? new CountPool(opts.workers, log) : null;
    const { cut } = opts;
    this.cut = cut ? (cols) => cut(cols.length) : (cols, f) => rangesOf(cols, f, opts.workers ?? 0);
    this.cutFrames = (cols, q) => (cut || indexKindOf(q.backlog) ? this.cut(cols, q.backlog) : rangesByCost(frameCosts(cols, q), cols.length, opts.workers ?? 0));
  }

  /** Starts loading in the background. */
  start(): void {
    this.reload();
  }

  /** Stops loading and catching up, and waits for reads in flight (before the database closes). */
  async close(): Promise<void> {
    this.closed = true;
    this.cols = null;
    await Promise.allSettled([this.loading, this.syncing, this.pool?.close()]);
  }

  /** Resolves when the engine holds a current copy (or its load failed); for tests and the benchmark. */
  async ready(): Promise<EngineState> {
    while (this.loading) await this.loading;
    return this.state;
  }

  /** The number of issues held when the copy is caught up with every write so far (health counts them so), else null. */
  get heldIssues(): number | null {
    const current = this.cols && this.seenRewrites === this.db.version.of('issuesRewritten') && this.seenWrites === this.db.version.of('issues');
    return current ? this.cols!.length : null;
  }

  get state(): EngineState {
    return { ...this.status, issues: this.cols?.length ?? 0 };
  }

  /** KPI counts like `groupedCounts`, or undefined when the engine cannot answer now (loading, failed). */
  async counts(f: Filters, grouping: FastGrouping, now: Date, opts: { hours?: boolean } = {}): Promise<Map<string | null, KpiCounts> | undefined> {
    return (await this.answer(f, grouping, now, opts.hours !== false, false))?.groups;
  }

  /** The same and the total of all rows, counted in the same pass; for groupings that put each row in one group. */
  async countsWithTotal(f: Filters, grouping: FastGrouping, now: Date): Promise<{ groups: Map<string | null, KpiCounts>; total: KpiCounts } | undefined> {
    const answer = await this.answer(f, grouping, now, true, true);
    return answer && { groups: answer.groups, total: answer.total! };
  }

  /**
   * A time at or before the report of the `k`-th newest issue of the filter reported in its period
   * and, with a cursor, at or before `through` (epoch ms); null when fewer issues qualify, undefined
   * when the engine cannot answer now. The issue list adds it as a bound its SQL can prune with.
   */
  async newestReportedBound(f: Filters, now: Date, k: number, through: number | null): Promise<number | null | undefined> {
    const asked = await this.ask(f, now);
    if (!asked) return undefined;
    const { cols, filter } = asked;
    // With no end the period ends now: later reports (clock skew) are left out, which can only lower the bound.
    const end = through === null ? filter.end : Math.min(filter.end, through + 1);
    // The newest day first, then a window 8× longer, until k rows are found or the period is spent:
    // a list's first page reads a day of rows instead of the whole period.
    for (let span = DAY; ; span *= 8) {
      const start = Math.max(filter.start, end - span);
      const bound = kthNewestReported(cols, filtered(cols, { ...filter, start, end }), start, end, through, k);
      if (bound !== null || start === filter.start) return bound;
    }
  }

  /**
   * Playback counts (server/kpi/frames.ts): reports per unit of `level` and frame, and the backlog
   * as of each frame's `asOf`; undefined when the engine cannot answer now.
   */
  async frames(f: Filters, level: UnitGrouping, units: readonly string[], step: CalendarUnit, frames: readonly Frame[], now: Date): Promise<FrameCounts | undefined> {
    const ref = await this.reference();
    const cols = await this.current();
    if (!cols) return undefined;
    const n = frames.length;
    // A case re-dispatched after a frame belongs to another department in it: the frame kernels read
    // one department column for every frame, so the SQL path counts those (re-dispatches are rare).
    const byDepartment = level === 'department' || f.scope.level === 'department' || !!f.departments?.length;
    if (byDepartment && n && cols.moves.movedAfter(Math.min(frames[0].end.getTime(), frames[0].asOf.getTime()))) return undefined;
    if (!n) return { reported: new Int32Array(0), overdue: new Int32Array(0) };
    // Built where it is counted, synchronously with the columns it is in the codes of.
    const queryOf = (): FrameQuery => {
      const dict = cols.dict[level];
      const map = new Int32Array(dict.size).fill(-1);
      units.forEach((u, i) => {
        const code = dict.code(u);
        if (code !== undefined) map[code] = i;
      });
      const window = { ...f, start: frames[0].start, end: frames[n - 1].end, asOf: null };
      return {
        reports: this.codeFilter(cols, window, now, ref),
        buckets: bucketGrouping(step, [...frames], periodBounds(window, now)),
        backlog: this.codeFilter(cols, { ...f, start: null, end: null, asOf: frames[n - 1].asOf }, now, ref),
        ends: Float64Array.from(frames, (fr) => fr.asOf.getTime()),
        unit: { column: cols[level], map, nullGroup: units.length },
        codes: cols.statusCodes(),
      };
    };
    const pool = this.pool;
    if (!pool) return framePart(cols, queryOf());
    // The backlog reads every row of the scope (the reports only the period's): it decides where the count runs and how it is cut.
    return this.playbackOnWorkers(pool, cols, indexKindOf(queryOf().backlog), {
      query: queryOf,
      ranges: (query) => this.cutFrames(cols, query),
      inline: (query) => framePart(cols, query),
      part: (task) => pool.frames(task),
      add: (parts) => addFrameParts(parts),
    });
  }

  /** Heat bins of the filter's issues reported in its period (server/queries/geo-heat.ts); undefined when the engine cannot answer now. */
  async heat(f: Filters, bbox: Bbox, grid: BinGrid, now: Date): Promise<HeatColumns | undefined> {
    const asked = await this.ask(f, now);
    if (!asked) return undefined;
    const { cols, filter } = asked;
    // Synchronous from here: no catch-up changes the columns under the count.
    return heatCounts(cols, filtered(cols, filter), filter.start, filter.end, bbox, grid);
  }

  /**
   * A playback's heat (heat-frames.ts): the filter's issues reported in its period per bin of
   * `grid` and frame, counted by the workers like the playback counts; undefined when the engine
   * cannot answer now.
   */
  async heatFrames(f: Filters, frames: Omit<HeatFrameQuery, 'filter'>, now: Date): Promise<HeatFrameCounts | undefined> {
    const asked = await this.ask(f, now);
    if (!asked) return undefined;
    const { cols, filter } = asked;
    const query: HeatFrameQuery = { ...frames, filter };
    const pool = this.pool;
    if (!pool) return heatFramePart(cols, query);
    return this.playbackOnWorkers(pool, cols, indexKindOf(filter), {
      query: () => query,
      ranges: () => this.cut(cols, filter),
      inline: (q) => heatFramePart(cols, q),
      part: (task) => pool.heatFrames(task),
      add: (parts, q) => addHeatFrameParts(parts, q.frames, q.maxCounts),
    });
  }

  /**
   * A playback's part (counts or heat) counted by the workers over row ranges and added up, or on
   * this thread when it is small or a worker failed, while the gate keeps syncs out; undefined
   * when the columns changed meanwhile (the SQL path answers). The query is built under the gate:
   * a sync that ran while this waited may have appended rows.
   */
  private async playbackOnWorkers<Q, R>(
    pool: CountPool,
    cols: IssueColumns,
    kind: UnitKind | null,
    count: {
      query: () => Q;
      ranges: (query: Q) => RowRange[] | null;
      inline: (query: Q) => R;
      part: (task: { loan: ColumnsLoan; query: Q; range: RowRange }) => Promise<R>;
      add: (parts: R[], query: Q) => R;
    },
  ): Promise<R | undefined> {
    if (kind && !(await this.indexOnWorker(pool, cols, kind))) return undefined;
    return this.gate.read(async () => {
      if (this.cols !== cols) return undefined;
      const query = count.query();
      const ranges = count.ranges(query);
      if (!ranges) return count.inline(query);
      const loan = loanOf(cols, kind);
      try {
        return count.add(await Promise.all(ranges.map((range) => count.part({ loan, query, range }))), query);
      } catch (err) {
        if (this.closed) return undefined;
        this.log(`civgrid: KPI counting worker failed (${(err as Error).message}); counting on the main thread`);
        return count.inline(query);
      }
    });
  }

  /**
   * The columns caught up with every write that finished before this call, waiting for a load in
   * progress; null when they cannot be had (the load failed). The planner's issue points
   * (server/plan/store.ts) are these columns: read them synchronously, a catch-up may change them
   * between two awaits.
   */
  async columns(): Promise<IssueColumns | null> {
    for (let tries = 0; tries < 3; tries++) {
      await this.ready();
      const cols = await this.current();
      if (cols) return cols;
      if (this.status.state === 'failed' || this.closed) return null;
    }
    return null;
  }

  /** The current columns and the filter in their codes; undefined while loading. */
  private async ask(f: Filters, now: Date) {
    const ref = await this.reference();
    const cols = await this.current();
    return cols ? { cols, ref, filter: this.codeFilter(cols, f, now, ref) } : undefined;
  }

  private async answer(f: Filters, grouping: FastGrouping, now: Date, hours: boolean, total: boolean) {
    const asked = await this.ask(f, now);
    if (!asked) return undefined;
    const { cols, ref, filter } = asked;
    if ('only' in grouping && grouping.only && grouping.by === 'department' && this.departmentsAt(cols, f) !== cols.department) {
      // The index holds each case under its present department: a ranking's few departments then
      // are kept by the department filter, which reads the column as of the instant.
      filter.departmentColumn = this.departmentsAt(cols, f);
      const only = cols.dict.department.mask(grouping.only);
      if (filter.departments) for (let c = 0; c < only.length; c++) only[c] &= filter.departments[c];
      filter.departments = only;
    } else if ('only' in grouping && grouping.only) {
      const dict = cols.dict[grouping.by];
      filter.units = { kind: grouping.by, codes: grouping.only.map((u) => dict.code(u) ?? -1).filter((c) => c >= 0) };
    }
    const codeGrouping = this.codeGrouping(cols, f, grouping, now, ref);
    const pool = this.pool;
    // Counting on this thread is synchronous, and a sync applies its changes in one synchronous step: a count never sees half of one.
    if (!pool) return countKpis(cols, filter, codeGrouping, cols.statusCodes(), hours, total);
    assertTotal(codeGrouping, total);
    // A first build of the unit index the count reads (or a rebuild) is a pass over every row: a worker's.
    const kind = indexKindOf(filter);
    if (kind && !(await this.indexOnWorker(pool, cols, kind))) return undefined;
    const inline = () => countKpis(cols, filter, codeGrouping, cols.statusCodes(), hours, total);
    if (!this.cut(cols, filter)) return this.cols === cols ? inline() : undefined;
    // Counted by the workers: the gate keeps a sync from changing the columns until every part is counted.
    const counted = await this.gate.read(async () => {
      // A sync that failed half-way while this count waited for it leaves columns no count may read.
      if (this.cols !== cols) return undefined;
      // Cut now: a sync that ran while this count waited may have appended rows.
      const ranges = this.cut(cols, filter) ?? [{ from: 0, to: cols.length }];
      const task = { loan: loanOf(cols, kind), filter, grouping: codeGrouping, codes: cols.statusCodes(), withHours: hours };
      try {
        return { parts: await Promise.all(ranges.map((range) => pool.run({ ...task, range }))) };
      } catch (err) {
        if (this.closed) return undefined;
        // A worker that failed is replaced (pool.ts); this count is the main thread's, with the same functions.
        this.log(`civgrid: KPI counting worker failed (${(err as Error).message}); counting on the main thread`);
        return { answer: inline() };
      }
    });
    if (!counted || 'answer' in counted) return counted?.answer;
    const { parts } = counted;
    // Few hours: merging and taking their medians here costs less than handing them over.
    if (parts.reduce((n, p) => n + p.hours.length, 0) < FINISH_INLINE_MAX_HOURS) return finishCount(codeGrouping, mergeParts(parts), total);
    try {
      return answerOf(codeGrouping, await pool.finish({ parts, groupCount: groupCountOf(codeGrouping), withTotal: total }), total);
    } catch (err) {
      if (this.closed) return undefined;
      // The parts went to the worker that failed: count again here.
      this.log(`civgrid: KPI counting worker failed (${(err as Error).message}); counting on the main thread`);
      return this.gate.read(async () => (this.cols === cols ? inline() : undefined));
    }
  }

  /**
   * Makes the unit index of `kind` current, built on a worker when it is missing or stale (the
   * main thread then only adopts it); false when the columns changed meanwhile and the count must
   * give up (the SQL path answers).
   */
  private async indexOnWorker(pool: CountPool, cols: IssueColumns, kind: UnitKind): Promise<boolean> {
    for (let tries = 0; !cols.currentIndex(kind); tries++) {
      if (tries === 2 || this.cols !== cols) return this.cols === cols;
      // Columns and their length stay still while the worker reads them (the gate); built for the version of now.
      await this.gate.read(async () => {
        if (this.cols !== cols || cols.currentIndex(kind)) return;
        const index = await pool.index(cols.indexSource(kind)).catch((err: unknown) => {
          if (!this.closed) this.log(`civgrid: KPI counting worker failed (${(err as Error).message}); building the ${kind} index on the main thread`);
          return null;
        });
        if (index) cols.adoptIndex(kind, index);
      });
    }
    return true;
  }

  /** The columns, caught up with every write that finished before this call; null when loading. */
  private async current(): Promise<IssueColumns | null> {
    if (!this.cols || this.db.version.of('issuesRewritten') !== this.seenRewrites) {
      // The old copy is wrong now; dropping it before loading keeps one copy in memory, not two.
      this.cols = null;
      this.reload();
      return null;
    }
    const target = this.db.version.of('issues');
    while (this.cols && this.seenWrites < target) {
      this.syncing ??= this.sync().finally(() => (this.syncing = null));
      if (!(await this.syncing)) return null;
    }
    return this.cols;
  }

  private async sync(): Promise<boolean> {
    const writes = this.db.version.of('issues');
    const cols = this.cols!;
    try {
      const since = this.readStart();
      const { mark, rows } = await this.db.snapshot((conn) => syncChanges(conn, cols, this.mark!, since, (step) => this.gate.write(() => {
        try {
          step();
        } catch (err) {
          // Half-applied: counts waiting at the gate must not read it.
          if (this.cols === cols) this.cols = null;
          throw err;
        }
      })));
      // A reload may have replaced the copy meanwhile; its own mark then stands.
      if (this.cols !== cols) return false;
      this.mark = mark;
      this.status = { ...this.status, lastCatchUpRows: rows };
      this.seenWrites = writes;
      return true;
    } catch (err) {
      // Half-applied changes leave the copy unusable: drop it and load everything again.
      if (!(err instanceof OutOfStep)) this.log(`civgrid: KPI engine could not catch up (${(err as Error).message}); reloading`);
      if (this.cols === cols) this.cols = null;
      this.reload();
      return false;
    }
  }

  /** Before a read: now, or the start of the write running now (its rows commit later, stamped no earlier). */
  private readStart(): number {
    const now = Date.now();
    return Math.min(now, this.db.writeRunningSince ?? now);
  }

  private reload(): void {
    if (this.closed || this.loading || Date.now() - this.failedAt < RETRY_MS) return;
    this.status = { ...this.status, state: 'loading' };
    this.loading = this.load().finally(() => (this.loading = null));
  }

  private async load(): Promise<void> {
    const rewrites = this.db.version.of('issuesRewritten');
    const writes = this.db.version.of('issues');
    const started = performance.now();
    try {
      const since = this.readStart();
      const { cols, mark } = await this.db.snapshot((conn) => loadAll(conn, since, () => this.closed));
      if (this.closed) return;
      this.cols = cols;
      this.mark = mark;
      this.seenRewrites = rewrites;
      this.seenWrites = writes;
      this.status = { state: 'ready', issues: cols.length, loadMs: Math.round(performance.now() - started), error: null, lastCatchUpRows: null };
    } catch (err) {
      this.cols = null;
      if (this.closed) return;
      this.failedAt = Date.now();
      this.status = { state: 'failed', issues: 0, loadMs: null, error: (err as Error).message, lastCatchUpRows: null };
      this.log(`civgrid: KPI engine could not load the issues (${(err as Error).message}); SQL answers instead`);
    }
  }

  /** Reference lookups the groupings need, remembered by the database until reference data changes. */
  private async reference(): Promise<Reference> {
    return this.db.memo('kpiEngineReference', async () => {
      const regions = await this.db.all<{ code: string; level: string; parent: string | null }>(
        `SELECT code, level, parent FROM regions WHERE level IN ('street', 'district')`,
      );
      const parentsOf = (level: string) => new Map(regions.filter((r) => r.level === level).map((r) => [r.code, r.parent]));
      const [categories, sites] = await Promise.all([categoryRows(this.db), siteTypeRows(this.db)]);
      return {
        parent: { street: parentsOf('street'), district: parentsOf('district'), category: new Map(categories.map((c) => [c.code, c.parent])) },
        siteType: new Map(sites.map((s) => [s.id, s.type])),
      };
    });
  }

  private codeFilter(cols: IssueColumns, f: Filters, now: Date, ref: Reference): CodeFilter {
    const { start, end, dueEnd, asOf } = periodBounds(f, now);
    const { level, id } = f.scope;
    // The column as of the instant only where a count reads departments (it may be a copy, made per instant).
    const departmentColumn = f.departments?.length || level === 'department' ? this.departmentsAt(cols, f) : cols.department;
    let departments = f.departments ? cols.dict.department.mask(f.departments) : null;
    let scope: CodeFilter['scope'];
    if (level === 'city' || level === 'district') {
      const under = (street: string) => {
        const district = ref.parent.street.get(street) ?? null;
        return level === 'district' ? district === id : district !== null && ref.parent.district.get(district) === id;
      };
      const codes = [...ref.parent.street.keys()].filter(under).map((s) => cols.dict.street.code(s)).filter((c): c is number => c !== undefined);
      const mask = cols.dict.street.mask([]);
      for (const c of codes) mask[c] = 1;
      // The top region holds every street: then every issue with a street is in it, and no row needs the test.
      scope = mask.every((m) => m === 1) && cols.rowsWithoutStreet === 0 ? { kind: 'all' } : { kind: 'streets', mask, codes };
    } else if (level === 'department' && departmentColumn !== cols.department) {
      // The department's cases then, some of them elsewhere now: every row, kept by the column as of then.
      const mask = cols.dict.department.mask([id]);
      if (departments) for (let c = 0; c < mask.length; c++) mask[c] &= departments[c];
      departments = mask;
      scope = { kind: 'everything' };
    } else {
      const code = cols.dict[level].code(id);
      scope = code === undefined ? { kind: 'nothing' } : { kind: level, code };
    }
    return {
      start: start.getTime(), end: end.getTime(), dueEnd: dueEnd.getTime(), asOf: asOf && asOf.getTime(), scope,
      categories: f.categories && cols.dict.category.mask(f.categories),
      sources: f.sources && cols.dict.source.mask(f.sources),
      statuses: f.statuses && cols.dict.status.mask(f.statuses),
      sitesAny: f.siteIds && cols.dict.site.mask(f.siteIds),
      departments, departmentColumn,
    };
  }

  /** The department column at the filter's instant (`departmentInstant`): the held one, unless a case moved since. */
  private departmentsAt(cols: IssueColumns, f: Filters): CodeColumn {
    return cols.moves.columnAt(cols, departmentInstant(f)?.getTime() ?? null);
  }

  private codeGrouping(cols: IssueColumns, f: Filters, g: FastGrouping, now: Date, ref: Reference): CodeGrouping {
    const { dict } = cols;
    if (g.by === 'all') return { kind: 'one', name: 'all' };
    if (g.by === 'bucket') return bucketGrouping(g.interval, g.buckets, periodBounds(f, now));
    const rule: Grouping = GROUPINGS[g.by];
    if ('column' in rule) {
      const column = COLUMN[rule.column];
      const values = column === 'department' ? this.departmentsAt(cols, f) : undefined;
      return { kind: 'column', column, names: dict[column].values, ...(values !== undefined && values !== cols.department && { values }) };
    }
    if ('clock' in rule) return { kind: 'clock', unit: rule.clock };
    if ('parentOf' in rule) {
      const values = dict[rule.parentOf].values;
      const parents = ref.parent[rule.parentOf];
      if (rule.orSelf) {
        // The parent's own code (its row), or the value itself when it has none.
        const map = Int32Array.from(values, (code, self) => {
          const parent = parents.get(code);
          return parent ? (dict[rule.parentOf].code(parent) ?? self) : self;
        });
        return { kind: 'column', column: rule.parentOf, map, names: values };
      }
      const names = [...new Set([...parents.values()].filter((p): p is string => p !== null))];
      const index = new Map(names.map((d, i) => [d, i]));
      const map = Int32Array.from(values, (code) => index.get(parents.get(code) ?? '') ?? -1);
      return { kind: 'column', column: rule.parentOf, map, names };
    }
    const only = 'onlyFiltered' in g && g.onlyFiltered && f.siteIds;
    if ('each' in rule) {
      return { kind: 'site', only: only ? dict.site.mask(only) : null, dropEmpty: 'dropEmpty' in g && !!g.dropEmpty, names: dict.site.values };
    }
    const types = [...new Set(ref.siteType.values())];
    const index = new Map(types.map((t, i) => [t, i]));
    const typeOf = Int32Array.from(dict.site.values, (site) => index.get(ref.siteType.get(site) ?? '') ?? -1);
    let mask: Uint8Array | null = null;
    if (only) {
      mask = new Uint8Array(types.length);
      for (const site of only) {
        const t = index.get(ref.siteType.get(site) ?? '');
        if (t !== undefined) mask[t] = 1;
      }
    }
    return { kind: 'siteType', typeOf, only: mask, names: types };
  }
}

/**
 * The row ranges a count is split into for the workers, or null to count it on the main thread.
 * Table order is report order, so a period's rows gather at one end of the table: the ranges cut
 * the blocks the period can touch into runs of equal length, not the table into equal halves.
 * A count reading few rows (a street's, a site's) stays here: handing it over costs more.
 */
export function rangesOf(cols: IssueColumns, f: CodeFilter, workers: number): RowRange[] | null {
  const rows = rowsToRead(cols, f);
  if (rows < INLINE_MAX_ROWS) return null;
  const blocks = candidateBlocks(cols, f.start, f.end);
  const parts = Math.max(1, Math.min(workers, Math.floor(rows / PART_MIN_ROWS)));
  const cut = (k: number) => (k === 0 ? 0 : k === parts ? cols.length : blocks[Math.floor((k * blocks.length) / parts)] * BLOCK);
  return Array.from({ length: parts }, (_, k) => ({ from: cut(k), to: cut(k + 1) }));
}

/**
 * The row ranges of a count whose work per block is `cost` (in rows of a scan), cut at block edges
 * into parts of about equal work for the workers, or null to count it on the main thread.
 */
export function rangesByCost(cost: Float64Array, length: number, workers: number): RowRange[] | null {
  const total = cost.reduce((sum, c) => sum + c, 0);
  if (total < INLINE_MAX_ROWS) return null;
  const parts = Math.max(1, Math.min(workers, Math.floor(total / PART_MIN_ROWS)));
  const cuts = [0];
  for (let b = 0, sum = 0; b < cost.length && cuts.length < parts; b++) {
    sum += cost[b];
    if (sum >= (total * cuts.length) / parts) cuts.push((b + 1) * BLOCK);
  }
  cuts.push(length);
  return cuts.slice(1).map((to, k) => ({ from: cuts[k], to: Math.max(cuts[k], Math.min(to, length)) }));
}

/**
 * Time buckets as a slot → bucket table, a slot being a local day (an hour for hour buckets). A
 * bucket's calendar span may reach beyond its clipped bounds (the first and last week or month),
 * and an issue still joins it by its slot's key, as `date_trunc` does in the SQL; so the table
 * spans from the first key to a month past the last.
 */
export function bucketGrouping(interval: CalendarUnit, buckets: Bucket[], period: { end: Date; dueEnd: Date; asOf: Date | null }): Extract<CodeGrouping, { kind: 'bucket' }> {
  const dueEnd = period.dueEnd.getTime();
  // As of an instant, a bucket's reports stop there too (the SQL's least(b.stop, $end)).
  const end = period.asOf ? period.end.getTime() : Infinity;
  const slotMs = interval === 'hour' ? HOUR : DAY;
  const slotOf = (at: number) => Math.floor((at + SHANGHAI) / slotMs);
  // The calendar arithmetic is timeseries.ts's, the one that made the buckets.
  const keyOf = (slot: number) => bucketKey(bucketStart(slot * slotMs - SHANGHAI, interval), interval);
  const index = new Map(buckets.map((b, i) => [b.key, i]));
  const firstSlot = buckets.length ? slotOf(bucketStart(buckets[0].start.getTime(), interval)) : 0;
  const lastSlot = buckets.length ? slotOf(buckets[buckets.length - 1].end.getTime()) + Math.ceil((31 * DAY) / slotMs) : -1;
  const slotToBucket = new Int32Array(Math.max(0, lastSlot - firstSlot + 1));
  for (let i = 0; i < slotToBucket.length; i++) slotToBucket[i] = index.get(keyOf(firstSlot + i)) ?? -1;
  return {
    kind: 'bucket', slotMs, firstSlot, slotToBucket, names: buckets.map((b) => b.key),
    starts: Float64Array.from(buckets, (b) => b.start.getTime()),
    ends: Float64Array.from(buckets, (b) => Math.min(b.end.getTime(), end)),
    dueEnds: Float64Array.from(buckets, (b) => Math.min(b.end.getTime(), dueEnd)),
    asOf: period.asOf && period.asOf.getTime(),
  };
}
