import type { Geometry } from 'geojson';
import type { DataVersion } from '../db/data-version.ts';
import type { Session } from '../db/database.ts';
import type { IssueBulkRules } from './kinds/issues.ts';
import type { ProblemList } from './problems.ts';
import type { PropertyAliases } from './properties.ts';
import type { StagingColumn, StagingTable } from './staging.ts';

export const IMPORT_KINDS = ['regions', 'grids', 'sites', 'issues', 'categories', 'departments', 'reference'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** A feature after property mapping and CRS conversion, ready for the kind's own rules. */
export type PreparedFeature = {
  index: number;
  props: Record<string, unknown>;
  /** WGS84/CGCS2000 lon/lat geometry, or null for kinds without geometry. */
  geometry: Geometry | null;
};

/** Reports a problem with one field of the current feature. */
export type FieldReporter = (field: string, code: string, reason: string) => void;

export type MergeCounts = { inserted: number; updated: number; outsideGrid?: number; plan?: ImportedPlan; plans?: ImportedPlan[] };

/** A grid plan a grids import wrote into (one per district of the file), and whether the import created it. */
export type ImportedPlan = { id: number; name: string; status: 'published' | 'draft'; created: boolean; district: string };

export type ImportContext = {
  session: Session;
  /** The database's data version, for what the import may reuse between runs. */
  version: DataVersion;
  problems: ProblemList;
  /** What the import reports without refusing the file (e.g. a published plan's validation warnings). */
  warnings: ProblemList;
  /** Name of the file (or feed) in reports. */
  file: string;
  /** Who imports (a token holder's name, `cli`, `demo`), for what the import logs under a name. */
  actor: string;
  /** The server's clock when the import started (epoch ms): no event time may lie past it plus {@link clockSkewMs}. */
  now: number;
  clockSkewMs: number;
  /** Grid plan that grids are imported into (default: each grid's district's published plan); it divides one district. */
  planId?: number;
  /** Grids go into a new draft (per district) copying the district's published plan, instead of into the published plan. */
  asDraft?: boolean;
  /** Every id is new (see FeatureImportOptions.newOnly): nothing to replace, so nothing to look for. */
  newOnly?: boolean;
  /** A department the file names that does not exist is created (and reported) instead of refusing the file. */
  createDepartments?: boolean;
};

/**
 * What one kind of import knows: its properties, geometry types, staging columns, per-row rules,
 * cross-row rules (as SQL on the staging table) and how it merges into the real tables.
 */
export interface KindHandler {
  readonly aliases: PropertyAliases;
  /** Geometry types accepted, or null when the kind carries no geometry. */
  readonly geometryTypes: readonly string[] | null;
  /** Staging columns; the first is always `id`, the record's identity (duplicates in one file are rejected). */
  readonly columns: readonly StagingColumn[];
  /** Loads reference data (known categories, regions, indexes) before rows stream in. */
  prepare(ctx: ImportContext): Promise<void>;
  /** Validates one feature and returns its staging values in column order, or null if it has problems. */
  toRow(feature: PreparedFeature, report: FieldReporter): unknown[] | null;
  /** Rules that need the whole file (parents present, …), run after streaming, before merging. */
  check?(ctx: ImportContext, staging: StagingTable): Promise<void>;
  /** The same rules for the bulk path (server/import/bulk), for the kinds that have it. */
  readonly bulk?: IssueBulkRules;
  /** Upserts the staged rows inside the import transaction. */
  merge(ctx: ImportContext, staging: StagingTable): Promise<MergeCounts>;
}

/** Counts how many staged ids already exist in `table.column` — those rows are updates. */
export async function countExisting(session: Session, staging: StagingTable, table: string, column: string, extraWhere = ''): Promise<number> {
  const row = await session.one<{ n: number }>(
    `SELECT count(*) AS n FROM ${table} t WHERE t.${column} IN (SELECT id FROM ${staging.name}) ${extraWhere}`,
  );
  return row?.n ?? 0;
}
