import { z } from 'zod';
import type { SiteStatusRule } from '../domain/site-status.ts';
import { CONFIG_FILES, readConfigFile } from '../env.ts';

const count = z.number().int().min(1).max(100_000);
const share = z.number().min(0).max(1);

/** `data/site-status.json`: strict, so a misspelt threshold is reported instead of silently missing. */
const siteStatusSchema = z
  .object({
    $comment: z.string().optional(),
    longOverdueDays: z.number().int().min(1).max(365),
    red: z.object({ longOverdue: count, share }).strict(),
    amber: z.object({ overdue: count, share }).strict(),
  })
  .strict()
  .transform(({ longOverdueDays, red, amber }): SiteStatusRule => ({ longOverdueDays, red, amber }));

/** Reads and validates the key-site status thresholds: the file CIVGRID_SITE_STATUS names (server/env.ts), by default data/site-status.json. */
export function loadSiteStatusRule(path: string = CONFIG_FILES.CIVGRID_SITE_STATUS): SiteStatusRule {
  return readConfigFile('CIVGRID_SITE_STATUS', path, siteStatusSchema);
}
