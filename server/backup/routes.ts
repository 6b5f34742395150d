/**
 * `POST /api/backups` — a backup taken by the running server (which holds the database, so the
 * `npm run backup` CLI hands over to it). It writes only under the backup root, so the API
 * cannot be used to write files anywhere else on the server.
 */
import { Hono } from 'hono';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { shanghaiIsoLocal } from '../domain/time.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { jsonBody } from '../routes/validation.ts';
import { backupDatabase, type BackupFiles } from './backup.ts';

const body = z.object({
  name: z.string().regex(/^(?!\.{1,2}$)[\w.\-]{1,100}$/, 'a directory name: letters, digits, _ . - (no slashes)').optional()
    .describe('directory under the backup root (default civgrid-YYYYMMDD-HHMMSS)'),
});

/** OpenAPI entry of the backup route. */
export const backupDocs: RouteDoc[] = [
  {
    method: 'post', path: '/api/backups', tag: 'security', body,
    summary: 'Back up every table to Parquet with a manifest, under the server\'s backup root (CIVGRID_BACKUP_DIR). Admin.',
    responses: { 201: '{dir, schemaVersion, tables, rows}', 400: 'invalid name', 409: 'that backup exists already', 401: 'no token', 403: 'not an admin' },
  },
];

/** The backup root: CIVGRID_BACKUP_DIR, default `backups/` beside the database. */
export function backupRoot(db: Database, configured?: string): string {
  return configured ?? join(dirname(db.path), 'backups');
}

/** Routes for `/api/backups`. */
export function backupRoutes(db: Database, root: string, now: () => Date, files: BackupFiles) {
  return new Hono().post('/', jsonBody(body), async (c) => {
    const at = now();
    const name = c.req.valid('json').name ?? `civgrid-${shanghaiIsoLocal(at).slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
    const dir = join(root, name);
    const manifest = await backupDatabase(db, dir, at, files);
    return c.json({ dir, schemaVersion: manifest.schemaVersion, tables: manifest.tables.length, rows: manifest.tables.reduce((n, t) => n + t.rows, 0) }, 201);
  });
}
