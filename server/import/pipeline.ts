import type { Geometry } from 'geojson';
import { basename } from 'node:path';
import type { DataChanges, DataKind } from '../db/data-version.ts';
import { Session, type Database, type Writer } from '../db/database.ts';
import { controlCharacterProblem } from '../domain/text.ts';
import { MINUTE } from '../domain/time.ts';
import { DEFAULT_CLOCK_SKEW_MINUTES } from '../domain/workflow.ts';
import { bboxOf } from '../domain/geometry.ts';
import { DEFAULT_MAX_VERTICES } from '../env.ts';
import type { ReferenceLayer } from '../domain/reference-layers.ts';
import { parseCrsName, crsFromGeoJsonMember, crsFromPrj, type CrsSpec } from '../spatial/crs.ts';
import { detectProjectedCrs } from '../spatial/crs-detect.ts';
import { inArea, type DeploymentArea } from '../spatial/deployment-area.ts';
import { openFeatureSource, ReaderError, type FeatureSource, type RawFeature } from './readers/index.ts';
import { loadDeploymentArea, samplePositions } from './deployment.ts';
import { prepareFeatures } from './geometry-pool.ts';
import type { GeometryOutcome } from './geometry-step.ts';
import { stageInBulk, type BulkSource } from './bulk/index.ts';
import type { FieldReporter, ImportContext, ImportedPlan, ImportKind, KindHandler, MergeCounts } from './kind.ts';
import { categoriesHandler } from './kinds/categories.ts';
import { departmentsHandler } from './kinds/departments.ts';
import { gridsHandler } from './kinds/grids.ts';
import { issuesHandler } from './kinds/issues.ts';
import { referenceHandler } from './kinds/reference.ts';
import { regionsHandler } from './kinds/regions.ts';
import { sitesHandler } from './kinds/sites.ts';
import { ProblemList, type ImportProblem } from './problems.ts';
import { makePropertyPicker, unknownMapTargets } from './properties.ts';
import { StagingTable } from './staging.ts';
import { timed } from './timing.ts';

export type ImportOptions = {
  kind: ImportKind;
  /** File on disk to read. */
  path: string;
  /** Name shown in reports (the uploaded file name); defaults to the path. */
  fileLabel?: string;
  /** Declared CRS (`wgs84`, `cgcs2000`, `gcj02`, `bd09`, `EPSG:<code>`); otherwise from the file, else WGS84. */
  crs?: string;
  /** `--map` overrides: canonical property → the file's property name. */
  map?: Record<string, string>;
  format?: FeatureSource['format'];
  encoding?: 'utf8' | 'gbk';
  /** Grid plan to import grids into (default: the published plan). */
  planId?: number;
  /** Import grids into a new draft copying the published plan, instead of into the published plan itself. */
  asDraft?: boolean;
  /** Which reference layer a `reference` import replaces. */
  layer?: ReferenceLayer;
  actor?: string;
  /** The server's clock (default: the system time); no event time of an issue may lie past it plus `clockSkewMs`. */
  now?: () => Date;
  /** Default {@link DEFAULT_CLOCK_SKEW_MINUTES}. */
  clockSkewMs?: number;
  /** Told where the import is: every {@link PROGRESS_EVERY} records read (a file read in bulk: once, when read), then at the checks and the merge. */
  onProgress?: (p: ImportProgress) => void;
  /**
   * The write job this import runs inside, when its caller holds the write queue (a plan's draft
   * import logs the change in the same job); otherwise the merge queues a job of its own.
   */
  writer?: Writer;
  /** Repair repeated vertices, spikes, self-touching rings and ring orientation (server/spatial/repair.ts); every fix is reported. */
  repair?: boolean;
  /** Accept a file although every feature lies outside the deployment's regions (normally a wrong CRS). */
  allowOutside?: boolean;
  /** Create the departments a file names that do not exist yet (each listed in the warnings), instead of refusing it. */
  createDepartments?: boolean;
  /** Most positions per feature (CIVGRID_MAX_VERTICES); default {@link DEFAULT_MAX_VERTICES}. */
  maxVertices?: number;
  /** Run the geometry checks on a worker thread, so a large import leaves the server's event loop free (HTTP imports). */
  offThread?: boolean;
};

/** The server's clock and the clock skew allowed to event times, as callers on the server pass them. */
export type ImportClock = Required<Pick<ImportOptions, 'now' | 'clockSkewMs'>>;

/** One repair made to a feature's geometry, as listed in the report. */
export type RepairEntry = { index: number; id?: string; what: string; where: string; detail: string };

/** How many repairs a report lists; `moreRepairs` counts the rest. */
const REPAIRS_LISTED = 1000;

/** Where a running import is: reading records (so many so far), checking the whole file, or merging it. */
export type ImportProgress = { stage: 'reading' | 'checking' | 'merging'; features: number };

/** How many records are read between two `reading` reports. */
export const PROGRESS_EVERY = 10_000;

export type ImportReport = {
  ok: boolean;
  jobId: number | null;
  kind: ImportKind;
  file: string;
  format: string | null;
  crs: string | null;
  features: number;
  inserted: number;
  updated: number;
  /** Issues kept although no grid contains them. */
  outsideGrid: number;
  errorCount: number;
  /** The first 100 problems in file order; `moreErrors` counts the rest. */
  errors: ImportProblem[];
  moreErrors: number;
  /** What an accepted file was warned about (e.g. grids without an inspector), the first 100. */
  warnings: ImportProblem[];
  /** The grid plan a grids import wrote into (the first district's, when the file held several). */
  plan?: ImportedPlan;
  /** Every grid plan a grids import wrote into, one per district of the file. */
  plans?: ImportedPlan[];
  /** Repairs made (with `repair`), in file order: the first 1000, then `moreRepairs` counts the rest. */
  repairs: RepairEntry[];
  moreRepairs: number;
  durationMs: number;
};

const HANDLERS: Record<Exclude<ImportKind, 'reference'>, () => KindHandler> = {
  regions: regionsHandler,
  grids: gridsHandler,
  sites: sitesHandler,
  issues: issuesHandler,
  categories: categoriesHandler,
  departments: departmentsHandler,
};

/** The kind's handler; a reference import needs its layer, the other kinds know their table. */
function handlerFor(kind: ImportKind, layer: ReferenceLayer | undefined): KindHandler | string {
  if (kind !== 'reference') return HANDLERS[kind]();
  return layer ? referenceHandler(layer) : 'a reference import needs --layer roads, water or poi';
}

/** Options of {@link runImportFeatures}: features already in memory or streamed by the caller. */
export type FeatureImportOptions = Pick<ImportOptions, 'kind' | 'map' | 'planId' | 'asDraft' | 'layer' | 'actor' | 'onProgress' | 'writer' | 'now' | 'clockSkewMs' | 'repair' | 'maxVertices' | 'offThread' | 'createDepartments'> & {
  features: AsyncIterable<RawFeature> | Iterable<RawFeature>;
  /** Name shown in the report, e.g. the uploaded file or `POST /api/issues`. */
  fileLabel: string;
  /** CRS of the coordinates, as a name (`wgs84`, `gcj02`, `bd09`, `EPSG:…`) or resolved; default WGS84. */
  crs?: string | CrsSpec;
  /** Format shown in the report (null for records that never were a file). */
  format?: string | null;
  /**
   * Whether a successful run is recorded in `import_jobs` (default true). Single records from a
   * live feed are not: thousands of one-row "imports" a day would bury the real import history.
   */
  recordJob?: boolean;
  /**
   * The caller guarantees that no id exists yet (live ingest checks in the same write job), so the
   * merge skips looking for rows to replace — scans of the whole issue and event tables per batch.
   */
  newOnly?: boolean;
};

/** One run's bookkeeping: its problems and how to turn them into a report. */
type Run<H extends KindHandler | null = KindHandler> = {
  kind: ImportKind; file: string; started: number; problems: ProblemList; warnings: ProblemList; handler: H; repairs: RepairEntry[]; repairCount: number;
};

/** A run; its handler is null when the options already rule the import out (a reference import without its layer). */
function startRun(kind: ImportKind, file: string, layer: ReferenceLayer | undefined): Run<KindHandler | null> {
  const problems = new ProblemList(100);
  const handler = handlerFor(kind, layer);
  const run = { kind, file, started: Date.now(), problems, warnings: new ProblemList(100), repairs: [], repairCount: 0 };
  if (typeof handler !== 'string') return { ...run, handler };
  problems.add({ field: 'layer', code: 'layer_required', reason: handler });
  return { ...run, handler: null };
}

/** Whether the run can go on: it has its handler and every `--map` target is known. */
function runnable(run: Run<KindHandler | null>, overrides: Record<string, string>): run is Run {
  return run.handler !== null && mapTargetsOk(run as Run, overrides);
}

function reportOf(run: Run<KindHandler | null>, extra: Partial<ImportReport> = {}): ImportReport {
  const { problems } = run;
  return {
    ok: false, jobId: null, kind: run.kind, file: run.file, format: null, crs: null, features: 0, inserted: 0, updated: 0, outsideGrid: 0,
    errorCount: problems.count, errors: problems.items, moreErrors: problems.more, warnings: run.warnings.items,
    repairs: run.repairs, moreRepairs: run.repairCount - run.repairs.length, durationMs: Date.now() - run.started, ...extra,
  };
}

/** Reports every `--map` target the kind does not know; true when there was none. */
function mapTargetsOk(run: Run, overrides: Record<string, string>): boolean {
  const badTargets = unknownMapTargets(run.handler.aliases, overrides);
  for (const t of badTargets) {
    run.problems.add({ field: t, code: 'bad_map', reason: `--map target "${t}" is not a ${run.kind} property (${Object.keys(run.handler.aliases).join(', ')})` });
  }
  return badTargets.length === 0;
}

/**
 * The one import path for files (CLI and HTTP): open the file, settle its CRS, then
 * {@link runImportFeatures}. A rejected file changes no row.
 */
export async function runImport(db: Database, opts: ImportOptions): Promise<ImportReport> {
  const run = startRun(opts.kind, opts.fileLabel ?? opts.path, opts.layer);
  // Checked before opening, so a typo fails fast without reading a large file.
  if (!runnable(run, opts.map ?? {})) return reportOf(run);

  let source: FeatureSource;
  try {
    source = await openFeatureSource(opts.path, { format: opts.format, encoding: opts.encoding });
  } catch (err) {
    run.problems.add(readerProblem(err));
    return reportOf(run);
  }
  let crs: CrsSpec | null;
  try {
    crs = resolveCrs(opts.crs, source);
  } catch (err) {
    run.problems.add({ field: 'crs', code: 'unknown_crs', reason: (err as Error).message });
    return reportOf(run, { format: source.format });
  }
  let crsNote: string | undefined;
  if (!crs) {
    // Nothing declared: metres need their CRS found (or the file refused) before any feature is converted.
    const area = await db.read((conn) => loadDeploymentArea(new Session(conn)));
    const detected = run.handler.geometryTypes ? detectProjectedCrs(await samplePositions(opts.path, opts), area) : null;
    if (detected && 'problem' in detected) {
      run.problems.add({ field: 'crs', code: 'crs_undetermined', reason: detected.problem });
      return reportOf(run, { format: source.format });
    }
    crs = detected?.crs ?? parseCrsName('wgs84');
    crsNote = detected?.note;
  }
  const bulk = bulkSource(opts, source, crs);
  // A file may be any size: its staging and merge run with DuckDB's own memory limit, not the serving cap.
  return db.duringImport(() => importFeatures(db, run, { ...opts, features: source.features, fileLabel: run.file, crs, crsNote, format: source.format, checkArea: !opts.allowOutside, bulk }));
}

/**
 * Whether a file takes the bulk path (server/import/bulk): CSV and newline-delimited GeoJSON of
 * issues in lon/lat. Creating departments stays on the record path: which unknown name comes
 * first, and where the cap of new departments is reached, follows the file's order.
 */
function bulkSource(opts: ImportOptions, source: FeatureSource, crs: CrsSpec): BulkSource | undefined {
  if (opts.kind !== 'issues' || opts.createDepartments || crs.kind !== 'geographic') return undefined;
  if (source.format !== 'csv' && source.format !== 'ndjson') return undefined;
  const encoding = source.encoding === 'gbk' ? 'gbk' : 'utf8';
  return { path: opts.path, format: source.format, encoding };
}

/**
 * The same validation, CRS conversion, assignment and all-or-nothing merge as {@link runImport},
 * for features that do not come from a file (e.g. one issue posted by a patrol app), so live
 * ingest and file imports can never disagree on what a valid record is.
 */
export async function runImportFeatures(db: Database, opts: FeatureImportOptions): Promise<ImportReport> {
  const run = startRun(opts.kind, opts.fileLabel, opts.layer);
  if (!runnable(run, opts.map ?? {})) return reportOf(run);
  let crs: CrsSpec;
  try {
    crs = typeof opts.crs === 'string' ? parseCrsName(opts.crs) : (opts.crs ?? parseCrsName('wgs84'));
  } catch (err) {
    run.problems.add({ field: 'crs', code: 'unknown_crs', reason: (err as Error).message });
    return reportOf(run, { format: opts.format ?? null });
  }
  return importFeatures(db, run, { ...opts, crs });
}

/**
 * read → map properties → convert CRS → validate → assign → stage, on a connection of its own;
 * then, as one write job, check against the tables and merge in one transaction if all is clean.
 * Reading and staging a large file takes no place in the write queue.
 */
async function importFeatures(
  db: Database,
  run: Run,
  opts: FeatureImportOptions & { crs: CrsSpec; crsNote?: string; checkArea?: boolean; bulk?: BulkSource },
): Promise<ImportReport> {
  const { handler, problems } = run;
  const { crs } = opts;
  const step = { allowed: handler.geometryTypes, crs, maxVertices: opts.maxVertices ?? DEFAULT_MAX_VERTICES, repair: opts.repair };
  const pick = makePropertyPicker(handler.aliases, opts.map ?? {});
  const idProperty = 'code' in handler.aliases ? 'code' : 'id';
  return db.read(async (conn) => {
    const session = new Session(conn);
    const ctx: ImportContext = {
      session, version: db.version, problems, warnings: run.warnings, file: run.file, actor: opts.actor ?? 'cli', planId: opts.planId, asDraft: opts.asDraft, newOnly: opts.newOnly,
      createDepartments: opts.createDepartments,
      now: (opts.now?.() ?? new Date()).getTime(), clockSkewMs: opts.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MINUTES * MINUTE,
    };
    await handler.prepare(ctx);
    const area = opts.checkArea && handler.geometryTypes ? await loadDeploymentArea(session) : null;
    const landing = { placed: 0, inside: 0 };
    const staging = await StagingTable.create(conn, `import_${opts.kind}`, handler.columns);
    let features = 0;
    /** One feature through the record rules: control characters, geometry, the kind's toRow, staging. */
    const consume = (raw: RawFeature, outcome: GeometryOutcome) => {
      const props = pick(raw.properties ?? {});
      if (props[idProperty] === undefined && raw.id !== undefined) props[idProperty] = raw.id;
      const rawId = props[idProperty] === undefined ? undefined : String(props[idProperty]);
      // An id that is itself refused for its control characters is not echoed into reports and terminals.
      const id = rawId !== undefined && controlCharacterProblem(idProperty, rawId) ? undefined : rawId;
      const at = (field: string, code: string, reason: string) => problems.add({ index: raw.index, id, field, code, reason });
      if (!plainText(props, at)) return;
      for (const p of outcome.problems) at(p.field, p.code, p.reason);
      for (const fix of outcome.fixes) {
        if (run.repairCount++ < REPAIRS_LISTED) {
          run.repairs.push({ index: raw.index, id, what: fix.what, where: `${fix.ring} at [${fix.at.join(', ')}]`, detail: fix.detail });
        }
      }
      const { geometry } = outcome;
      if (geometry === undefined) return;
      if (area && geometry) {
        landing.placed++;
        if (inArea(area, bboxOf(geometry))) landing.inside++;
      }
      const row = handler.toRow({ index: raw.index, props, geometry: geometry as Geometry | null }, at);
      // Clean rows keep streaming into staging even after a problem, so duplicates are still found.
      if (row) staging.append(raw.index, row);
    };
    try {
      const bulk = opts.bulk && handler.bulk
        ? await stageInBulk(session, opts.bulk, { rules: handler.bulk, aliases: handler.aliases, map: opts.map ?? {}, step, area, staging, consume })
        : null;
      if (bulk) {
        features = bulk.features;
        opts.onProgress?.({ stage: 'reading', features });
        landing.placed += bulk.placed;
        landing.inside += bulk.inside;
      } else {
        try {
          for await (const { raw, outcome } of prepareFeatures(opts.features, step, opts.offThread ?? false)) {
            features++;
            if (features % PROGRESS_EVERY === 0) opts.onProgress?.({ stage: 'reading', features });
            consume(raw, outcome);
          }
        } catch (err) {
          problems.add(readerProblem(err));
        }
      }
      staging.finish();
      opts.onProgress?.({ stage: 'checking', features });
      if (features === 0 && problems.count === 0) problems.add({ code: 'empty', reason: 'the file contains no features' });
      if (area && area.boxes.length && landing.placed > 0 && landing.inside === 0 && problems.count === 0) {
        problems.add({ field: 'geometry', code: 'outside_regions', reason: outsideReason(area, landing.placed, crs, opts.crsNote) });
      }
      await timed('duplicate ids', () => findDuplicates(session, staging, problems));
      const base = { format: opts.format ?? null, crs: opts.crsNote ? `${crsLabel(crs)}, ${opts.crsNote}` : crsLabel(crs), features };
      if (problems.count > 0) return reportOf(run, base);

      const merge = async (w: Writer): Promise<ImportReport> => {
        if (handler.check) await handler.check(ctx, staging);
        if (problems.count > 0) return reportOf(run, base);
        opts.onProgress?.({ stage: 'merging', features });
        return timed('merge transaction', () => w.transaction(async () => {
          const counts: MergeCounts = await timed('merge', () => handler.merge(ctx, staging));
          const done = reportOf(run, { ...base, ok: true, inserted: counts.inserted, updated: counts.updated, outsideGrid: counts.outsideGrid ?? 0, plan: counts.plan, plans: counts.plans });
          const jobId = opts.recordJob === false ? null : await recordJob(session, done, ctx.actor, run.started);
          return { ...done, jobId };
        }, conn));
      };
      return await (opts.writer ? merge(opts.writer) : db.write(importChanges(opts), merge));
    } finally {
      await staging.drop();
    }
  });
}

/** Reports every mapped property whose text holds a control character (server/domain/text.ts); true when none does. */
function plainText(props: Record<string, unknown>, report: FieldReporter): boolean {
  let clean = true;
  for (const [field, value] of Object.entries(props)) {
    const reason = typeof value === 'string' ? controlCharacterProblem(field, value) : null;
    if (reason) {
      clean = false;
      report(field, 'control_character', reason);
    }
  }
  return clean;
}

/** What an import changes: replacing rows or re-assigning issues is more than an append (ingest). */
function importChanges(opts: FeatureImportOptions): DataChanges {
  // Reference layers are drawn, never counted: no issue moves.
  if (opts.kind === 'reference') return ['reference'];
  const changes: DataKind[] = [opts.kind === 'issues' ? 'issues' : 'reference'];
  // Departments an issues file names may be created with it: reference data then changes too.
  if (opts.kind === 'issues' && opts.createDepartments) changes.push('reference');
  if (!opts.newOnly) changes.push('issuesRewritten');
  // Grids may go into a draft plan.
  if (opts.kind === 'grids') changes.push('drafts');
  return changes;
}

/** The CRS the user or the file declares, or null when neither says (then it is detected). */
function resolveCrs(declared: string | undefined, source: FeatureSource): CrsSpec | null {
  if (declared) return parseCrsName(declared);
  if (source.crsHint?.geojsonCrs) {
    const fromMember = crsFromGeoJsonMember(source.crsHint.geojsonCrs);
    if (fromMember) return fromMember;
  }
  if (source.crsHint?.prj) return crsFromPrj(source.crsHint.prj);
  return null;
}

/** Why a file that lands wholly outside the deployment is refused, and the two ways forward. */
function outsideReason(area: DeploymentArea, placed: number, crs: CrsSpec, note: string | undefined): string {
  const read = `read as ${crsLabel(crs)}${note ? ` (${note})` : ''}`;
  return `all ${placed} feature(s), ${read}, lie outside the imported regions (${area.names.join(', ')}); ` +
    'this usually means a wrong CRS (check the .prj, the "crs" member or --crs); if the data really lies elsewhere, import it with --allow-outside (HTTP: allowOutside=1)';
}

function crsLabel(crs: CrsSpec): string {
  return 'label' in crs && typeof crs.label === 'string' ? crs.label : crs.kind;
}

function readerProblem(err: unknown): ImportProblem {
  if (err instanceof ReaderError) {
    return { index: err.index, field: err.line !== undefined ? `line ${err.line}` : undefined, code: err.code ?? 'unreadable', reason: err.reason };
  }
  throw err;
}

async function findDuplicates(session: Session, staging: StagingTable, problems: ProblemList): Promise<void> {
  const dups = await session.all<{ idx: number; id: string; first: number; total: number }>(
    `WITH d AS (SELECT id, min(_idx) AS first FROM ${staging.name} GROUP BY id HAVING count(*) > 1)
     SELECT s._idx AS idx, s.id, d.first, count(*) OVER () AS total
     FROM ${staging.name} s JOIN d USING (id) WHERE s._idx <> d.first ORDER BY s._idx LIMIT 200`,
  );
  for (const d of dups) {
    problems.add({ index: d.idx, id: d.id, field: 'id', code: 'duplicate_id', reason: `id "${d.id}" already appears at feature #${d.first}` });
  }
  if (dups.length) problems.addUnlisted(dups[0].total - dups.length);
}

/** Records a successful import in `import_jobs`, inside its transaction; photo imports record theirs here too. */
export async function recordJob(
  session: Session, r: Pick<ImportReport, 'file' | 'format' | 'crs' | 'features' | 'inserted' | 'updated' | 'outsideGrid'> & { kind: string }, actor: string, started: number,
): Promise<number> {
  const row = await session.one<{ id: number }>(
    `INSERT INTO import_jobs (kind, file, format, crs, status, actor, started_at, finished_at, features, inserted, updated, error_count, report)
     VALUES ($kind, $file, $format, $crs, 'succeeded', $actor, epoch_ms($started::BIGINT), now()::TIMESTAMP, $features, $inserted, $updated, 0, $report)
     RETURNING id`,
    {
      kind: r.kind, file: basename(r.file), format: r.format, crs: r.crs, actor, started, features: r.features,
      inserted: r.inserted, updated: r.updated, report: JSON.stringify({ outsideGrid: r.outsideGrid }),
    },
  );
  return row!.id;
}
