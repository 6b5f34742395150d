import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CLOCK_SKEW_MINUTES } from './domain/workflow.ts';
import { parseProxyEntry, type ProxyEntry } from './security/client-ip.ts';

/** Where the JSON configuration files are unless their variable names another file. */
export const CONFIG_FILES = {
  CIVGRID_SCORING: 'data/scoring.json',
  CIVGRID_SCREEN_CONFIG: 'data/screen.json',
  CIVGRID_CALENDAR: 'data/calendar.json',
  CIVGRID_SITE_STATUS: 'data/site-status.json',
} as const;

/** Most positions one imported feature may have, unless CIVGRID_MAX_VERTICES says otherwise. */
export const DEFAULT_MAX_VERTICES = 20_000;

/**
 * DuckDB's memory limit unless CIVGRID_DUCKDB_MEMORY_MB says otherwise. The KPI engine answers the
 * aggregates from memory, so DuckDB is left the writes, the issue lists and the geometry: at 512 it
 * kept ~450 MB of the issue table's pages cached after a catch-up read at 10 M issues, at 192 its
 * queries still run in memory (none spills) and the server stays near 1.2 GB.
 */
export const DEFAULT_DUCKDB_MEMORY_MB = 192;
/** DuckDB's memory limit while a file is imported unless CIVGRID_IMPORT_MEMORY_MB says otherwise: a 10 M-issue file spills instead of growing the process. */
export const DEFAULT_IMPORT_MEMORY_MB = 400;

/** A comma-separated list of origins (`https://host[:port]`), each checked. */
const origins = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const list = s.split(',').map((o) => o.trim()).filter(Boolean);
    for (const o of list) {
      let ok = false;
      try {
        ok = new URL(o).origin === o;
      } catch {
        ok = false;
      }
      if (!ok) ctx.addIssue({ code: 'custom', message: `${o} is not an origin like https://host:port (no path, no trailing slash)` });
    }
    return list;
  });

/** A comma-separated list of proxy addresses or CIDR networks, each checked. */
const proxies = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const entries: ProxyEntry[] = [];
    for (const text of s.split(',').map((e) => e.trim()).filter(Boolean)) {
      const entry = parseProxyEntry(text);
      if (typeof entry === 'string') ctx.addIssue({ code: 'custom', message: entry });
      else entries.push(entry);
    }
    return entries;
  });

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  CIVGRID_DB: z.string().min(1).default('data/civgrid.duckdb'),
  /** `0` starts on an empty database without generating the demo city. */
  CIVGRID_DEMO: z.enum(['0', '1']).default('1'),
  CIVGRID_DEMO_ISSUES: z.coerce.number().int().min(0).default(500_000),
  CIVGRID_DEMO_SEED: z.coerce.number().int().default(20261125),
  /** End of the demo's three years of issues (ISO 8601); default: the moment of generation, so it looks live. */
  CIVGRID_DEMO_NOW: z.iso.datetime({ offset: true }).optional(),
  /**
   * Tests and demos only: the server's clock starts at this instant (ISO 8601) and runs on from
   * there, instead of the system time. Never set in production: KPIs, deadlines, new reports and
   * token expiry all follow it.
   */
  CIVGRID_TEST_NOW: z.iso.datetime({ offset: true }).optional(),
  /** How many minutes past the server's clock a reported event time may lie (device clocks drift); later ones are refused. */
  CIVGRID_CLOCK_SKEW_MINUTES: z.coerce.number().min(0).max(24 * 60).default(DEFAULT_CLOCK_SKEW_MINUTES),
  /** Upper bound of one uploaded import file, in MB. */
  CIVGRID_IMPORT_MAX_MB: z.coerce.number().positive().default(2048),
  /** Most positions (vertices) one imported feature may have; a bigger one is refused, naming the feature. */
  CIVGRID_MAX_VERTICES: z.coerce.number().int().min(4).default(DEFAULT_MAX_VERTICES),
  /** `open`: reads need no token; `token`: they do. Default: open when HOST is loopback, else token. */
  CIVGRID_READS: z.enum(['open', 'token']).optional(),
  /** Browser origins allowed to call the API cross-origin; empty keeps CORS closed. */
  CIVGRID_CORS_ORIGINS: origins,
  /** Origins an online basemap loads tiles from (added to the CSP's img-src and connect-src). */
  CIVGRID_CSP_EXTRA_ORIGINS: origins,
  /** Origins allowed to embed the app in a frame; empty: none. */
  CIVGRID_FRAME_ANCESTORS: origins,
  /** Where the first admin token is written; default `admin-token` beside the database. */
  CIVGRID_ADMIN_TOKEN_FILE: z.string().min(1).optional(),
  /** Where the server writes backups asked for over the API; default `backups/` beside the database. */
  CIVGRID_BACKUP_DIR: z.string().min(1).optional(),
  /** Memory for cached read answers in MB; `0` turns the response cache off. */
  CIVGRID_CACHE_MB: z.coerce.number().min(0).default(64),
  /** How old (ms) a cached aggregate may be after data changed; `0`: never older than the last write. */
  CIVGRID_CACHE_STALE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /**
   * DuckDB's memory limit in MB (its buffer pool and operators; bigger queries spill to a temp
   * folder beside the database). DuckDB's own default is 80 % of RAM, which lets cached pages of a
   * large database grow the server's RSS without bound.
   */
  CIVGRID_DUCKDB_MEMORY_MB: z.coerce.number().int().min(64).default(DEFAULT_DUCKDB_MEMORY_MB),
  /**
   * DuckDB's memory limit in MB while a file is imported (instead of CIVGRID_DUCKDB_MEMORY_MB): a
   * file's tables and the merge spill to the temp folder beside the database past it, so an
   * import's memory does not grow with the file; more memory spills less and imports faster.
   */
  CIVGRID_IMPORT_MEMORY_MB: z.coerce.number().int().min(128).default(DEFAULT_IMPORT_MEMORY_MB),
  /** `0` turns the in-memory KPI engine off (every KPI is then counted in DuckDB; ~50 bytes per issue saved). */
  CIVGRID_KPI_ENGINE: z.enum(['0', '1']).default('1'),
  /** Worker threads the KPI engine counts in (over shared columns: no copy per thread); `0` counts on the main thread. */
  CIVGRID_KPI_WORKERS: z.coerce.number().int().min(0).max(16).default(2),
  /**
   * Aggregate reads (stats, map layers, heat) computed at once; more wait their turn, so health
   * checks and cached reads are not queued behind all of them. `0`: no limit.
   */
  CIVGRID_HEAVY_READS: z.coerce.number().int().min(0).max(256).default(8),
  /** Writes per second per token, on average, and how many may come at once. */
  CIVGRID_RATE_WRITES: z.coerce.number().positive().default(20),
  CIVGRID_RATE_WRITES_BURST: z.coerce.number().int().min(1).default(100),
  /** Sign-in checks per minute per token (per address without one), and failed token presentations per minute per address. */
  CIVGRID_RATE_SIGNIN: z.coerce.number().positive().default(20),
  /** Reverse proxies whose `X-Forwarded-For` names the client (addresses or CIDR networks); default none. */
  CIVGRID_TRUSTED_PROXIES: proxies,
  /** The composite score's weights (JSON, validated at start). */
  CIVGRID_SCORING: z.string().min(1).default(CONFIG_FILES.CIVGRID_SCORING),
  /** The big screen's configuration (JSON, validated at start). */
  CIVGRID_SCREEN_CONFIG: z.string().min(1).default(CONFIG_FILES.CIVGRID_SCREEN_CONFIG),
  /** Where evidence photos are stored; default `media/` beside the database. */
  CIVGRID_MEDIA: z.string().min(1).optional(),
  /** Upper bound of one uploaded photo, in MB. */
  CIVGRID_PHOTO_MAX_MB: z.coerce.number().positive().max(200).default(20),
  /** Upper bound of one photo's pixel count, in megapixels (also stops decompression bombs). */
  CIVGRID_PHOTO_MAX_MP: z.coerce.number().positive().max(500).default(50),
  /** A photo taken more than this many days before the report is flagged `stale`. */
  CIVGRID_PHOTO_STALE_DAYS: z.coerce.number().min(0).default(3),
  /** A photo whose GPS position is farther than this from the issue, in metres, is flagged `far`. */
  CIVGRID_PHOTO_FAR_M: z.coerce.number().positive().default(150),
  /** `1`: 核查 (verified) and 结案 (closed) need at least one 整改后 (after) photo; `0` turns the rule off. */
  CIVGRID_CLOSE_NEEDS_PHOTO: z.enum(['0', '1']).default('1'),
  /** `1`: `/api/inspectors` ranks inspectors by name (网格之星); off by default, since it names people. */
  CIVGRID_INSPECTOR_RANKING: z.enum(['0', '1']).default('0'),
  /** Local days off and extra working days for deadlines (JSON, validated at start). */
  CIVGRID_CALENDAR: z.string().min(1).default(CONFIG_FILES.CIVGRID_CALENDAR),
  /** The thresholds of the key sites' red/amber/green status (JSON, validated at start). */
  CIVGRID_SITE_STATUS: z.string().min(1).default(CONFIG_FILES.CIVGRID_SITE_STATUS),
  /** The folder of the bulletin's wording (bulletin.md); a deployment copies data/bulletin and edits it. */
  CIVGRID_BULLETIN_TEMPLATES: z.string().min(1).default('data/bulletin'),
  /** The Chromium that prints bulletins to PDF (Debian's package). */
  CIVGRID_CHROMIUM: z.string().min(1).default('/usr/bin/chromium'),
  /** `0` turns off the monthly bulletin the server makes on the 1st at 08:00 (Asia/Shanghai) for last month. */
  CIVGRID_BULLETIN_SCHEDULE: z.enum(['0', '1']).default('1'),
  /** The scope (level:ID) of the scheduled bulletin; default: the top region. */
  CIVGRID_BULLETIN_SCOPE: z.string().regex(/^[a-z]+:[\w-]{1,64}$/, 'level:ID, e.g. district:530111').optional(),
  /** Where stored bulletins are kept; default `bulletins/` beside the database. */
  CIVGRID_BULLETIN_DIR: z.string().min(1).optional(),
  /** The token the CLI tools send to a running server; default: the admin token file. */
  CIVGRID_TOKEN: z.string().optional(),
});

export type Env = z.infer<typeof schema> & { dbPath: string; reads: 'open' | 'token' };

/** True for host names that only this machine can reach. */
function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Parses the environment once at start; a bad value stops the process with the variable named. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const env = validateConfig(schema, source, 'environment');
  const reads = env.CIVGRID_READS ?? (isLoopbackHost(env.HOST) ? 'open' : 'token');
  return { ...env, dbPath: resolve(env.CIVGRID_DB), reads };
}

/** Validates parsed configuration; a bad value throws an Error naming `source` and each bad field by its path. */
export function validateConfig<S extends z.ZodType>(schema: S, raw: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new Error(`invalid ${source}:\n${lines.join('\n')}`);
}

/**
 * Reads the JSON configuration file `path` that the environment variable `variable` names (or
 * defaults to) and validates it, so a typo stops the start with the variable, the file and the
 * field named rather than surfacing later as a wrong number on a screen.
 */
export function readConfigFile<S extends z.ZodType>(variable: keyof typeof CONFIG_FILES, path: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${variable} file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return validateConfig(schema, raw, `${variable} file ${path}`);
}
