import { resolve } from 'node:path';
import { z } from 'zod';

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
  /** Upper bound of one uploaded import file, in MB. */
  CIVGRID_IMPORT_MAX_MB: z.coerce.number().positive().default(2048),
});

export type Env = z.infer<typeof schema> & { dbPath: string };

/** Parses the environment once at start; a bad value stops the process with the variable named. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dbPath: resolve(parsed.data.CIVGRID_DB) };
}
