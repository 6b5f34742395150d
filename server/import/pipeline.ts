import type { Geometry } from 'geojson';
import { basename } from 'node:path';
import { Session, type Database } from '../db/database.ts';
import { parseCrsName, crsFromGeoJsonMember, crsFromPrj, type CrsSpec } from '../spatial/crs.ts';
import { openFeatureSource, ReaderError, type FeatureSource } from './readers/index.ts';
import { prepareGeometry } from './geometry-step.ts';
import type { ImportContext, ImportKind, KindHandler, MergeCounts } from './kind.ts';
import { categoriesHandler } from './kinds/categories.ts';
import { gridsHandler } from './kinds/grids.ts';
import { issuesHandler } from './kinds/issues.ts';
import { regionsHandler } from './kinds/regions.ts';
import { sitesHandler } from './kinds/sites.ts';
import { ProblemList, type ImportProblem } from './problems.ts';
import { makePropertyPicker, unknownMapTargets } from './properties.ts';
import { StagingTable } from './staging.ts';

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
  actor?: string;
};

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
  durationMs: number;
};

const HANDLERS: Record<ImportKind, () => KindHandler> = {
  regions: regionsHandler,
  grids: gridsHandler,
  sites: sitesHandler,
  issues: issuesHandler,
  categories: categoriesHandler,
};

/**
 * The one import path (CLI and HTTP): read → map properties → convert CRS → validate → assign →
 * stage; then, only if the whole file is clean, merge in one transaction. A rejected file changes no row.
 */
export async function runImport(db: Database, opts: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const file = opts.fileLabel ?? opts.path;
  const problems = new ProblemList(100);
  const handler = HANDLERS[opts.kind]();
  const report = (extra: Partial<ImportReport> = {}): ImportReport => ({
    ok: false, jobId: null, kind: opts.kind, file, format: null, crs: null, features: 0, inserted: 0, updated: 0, outsideGrid: 0,
    errorCount: problems.count, errors: problems.items, moreErrors: problems.more, durationMs: Date.now() - started, ...extra,
  });

  const overrides = opts.map ?? {};
  const badTargets = unknownMapTargets(handler.aliases, overrides);
  for (const t of badTargets) {
    problems.add({ field: t, code: 'bad_map', reason: `--map target "${t}" is not a ${opts.kind} property (${Object.keys(handler.aliases).join(', ')})` });
  }
  if (badTargets.length) return report();

  let source: FeatureSource;
  try {
    source = await openFeatureSource(opts.path, { format: opts.format, encoding: opts.encoding });
  } catch (err) {
    problems.add(readerProblem(err));
    return report();
  }
  let crs: CrsSpec;
  try {
    crs = resolveCrs(opts.crs, source);
  } catch (err) {
    problems.add({ field: 'crs', code: 'unknown_crs', reason: (err as Error).message });
    return report({ format: source.format });
  }

  const pick = makePropertyPicker(handler.aliases, overrides);
  const idProperty = 'code' in handler.aliases ? 'code' : 'id';
  return db.withConnection(async (conn) => {
    const session = new Session(conn);
    const ctx: ImportContext = { session, problems, planId: opts.planId };
    await handler.prepare(ctx);
    const staging = await StagingTable.create(conn, `import_${opts.kind}`, handler.columns);
    let features = 0;
    try {
      try {
        for await (const raw of source.features) {
          features++;
          const props = pick(raw.properties ?? {});
          if (props[idProperty] === undefined && raw.id !== undefined) props[idProperty] = raw.id;
          const id = props[idProperty] === undefined ? undefined : String(props[idProperty]);
          const at = (field: string, code: string, reason: string) => problems.add({ index: raw.index, id, field, code, reason });
          const geometry = prepareGeometry(raw.geometry, handler.geometryTypes, crs, at);
          if (geometry === undefined) continue;
          const row = handler.toRow({ index: raw.index, props, geometry: geometry as Geometry | null }, at);
          // Clean rows keep streaming into staging even after a problem, so duplicates are still found.
          if (row) staging.append(raw.index, row);
        }
      } catch (err) {
        problems.add(readerProblem(err));
      }
      staging.finish();
      if (features === 0 && problems.count === 0) problems.add({ code: 'empty', reason: 'the file contains no features' });
      await findDuplicates(session, staging, problems);
      if (problems.count === 0 && handler.check) await handler.check(ctx, staging);
      const base = { format: source.format, crs: crsLabel(crs), features };
      if (problems.count > 0) return report(base);

      await session.run('BEGIN TRANSACTION');
      let counts: MergeCounts;
      let jobId: number;
      try {
        counts = await handler.merge(ctx, staging);
        const done = report({ ...base, ok: true, inserted: counts.inserted, updated: counts.updated, outsideGrid: counts.outsideGrid ?? 0 });
        jobId = await recordJob(session, done, opts.actor ?? 'cli', started);
        await session.run('COMMIT');
        return { ...done, jobId };
      } catch (err) {
        await session.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      await staging.drop();
    }
  });
}

function resolveCrs(declared: string | undefined, source: FeatureSource): CrsSpec {
  if (declared) return parseCrsName(declared);
  if (source.crsHint?.geojsonCrs) {
    const fromMember = crsFromGeoJsonMember(source.crsHint.geojsonCrs);
    if (fromMember) return fromMember;
  }
  if (source.crsHint?.prj) return crsFromPrj(source.crsHint.prj);
  return parseCrsName('wgs84');
}

function crsLabel(crs: CrsSpec): string {
  return 'label' in crs && typeof crs.label === 'string' ? crs.label : crs.kind;
}

function readerProblem(err: unknown): ImportProblem {
  if (err instanceof ReaderError) {
    return { index: err.index, field: err.line !== undefined ? `line ${err.line}` : undefined, code: 'unreadable', reason: err.reason };
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

async function recordJob(session: Session, r: ImportReport, actor: string, started: number): Promise<number> {
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
