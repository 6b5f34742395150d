/**
 * `/api/bulletins` — the monthly bulletin's archive: generate and store a numbered version
 * (operator and above), list them, download a stored file under its Chinese name.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../auth/middleware.ts';
import { BulletinArchive } from '../bulletin/archive.ts';
import { bulletinRoot } from '../bulletin/files.ts';
import { BULLETIN_FORMATS, bulletinFileName, CONTENT_TYPES } from '../bulletin/render.ts';
import { dueMonth, scheduledScope } from '../bulletin/schedule.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { attachmentName } from './bulletin.ts';
import { jsonBody, queryError } from './validation.ts';

const body = z.object({
  scope: z.string().max(80).nullable().optional().describe('level:ID (default: the top region)'),
  period: z.string().min(1).max(40).describe('2026-11, 2026-Q4 or 2026-10-01..2026-10-31'),
  formats: z.array(z.enum(BULLETIN_FORMATS)).min(1).max(BULLETIN_FORMATS.length).default([...BULLETIN_FORMATS])
    .describe(`any of ${BULLETIN_FORMATS.join(', ')}`),
});
const idParam = z.object({ id: z.coerce.number().int().positive().describe('bulletin id') });
const fileParam = idParam.extend({ format: z.enum(BULLETIN_FORMATS) });

/** OpenAPI entries of the bulletin routes. */
export const archiveDocs: RouteDoc[] = [
  {
    method: 'post', path: '/api/bulletins', tag: 'stats', body,
    summary: 'Generate a bulletin (通报) for a scope and period and store it as a numbered version (2026年第11期). Operator and above.',
    responses: { 201: 'the stored record {id, number, scope, period, author, createdAt, dataVersion, formats, hashes}', 400: 'invalid scope, period or format', 403: 'viewer' },
  },
  { method: 'get', path: '/api/bulletins', tag: 'stats', summary: 'The stored bulletins, newest first.', responses: { 200: '{items: [record]}' } },
  {
    method: 'get', path: '/api/bulletins/last-month', tag: 'stats',
    summary: 'Last month\'s bulletin of the scheduled scope once stored (the workspace\'s 上月通报已生成 notice); period null before the 1st 08:00.',
    responses: { 200: '{period, bulletin: record | null}' },
  },
  {
    method: 'get', path: '/api/bulletins/{id}/{format}', tag: 'stats', params: fileParam,
    summary: 'Download a stored bulletin file (pdf, docx, xlsx) under its Chinese file name.',
    responses: { 200: 'the file', 404: 'no such bulletin or format' }, produces: CONTENT_TYPES.docx,
  },
];

/** Routes for `/api/bulletins`. */
export function archiveRoutes(deps: AppDeps) {
  const archive = new BulletinArchive(deps.db, bulletinRoot(deps.db.path, deps.bulletinDir));
  return new Hono()
    .post('/', jsonBody(body), async (c) => {
      const { scope, period, formats } = c.req.valid('json');
      const record = await archive.generate(deps, {
        scope: scope ?? null, period, formats: [...new Set(formats)], author: actorOf(c),
      });
      return c.json(record, 201);
    })
    .get('/', async (c) => c.json({ items: await archive.list() }))
    .get('/last-month', async (c) => {
      const period = dueMonth(deps.now());
      const scope = period ? await scheduledScope(deps, deps.bulletinScope ?? null).catch(() => null) : null;
      return c.json({ period, bulletin: period && scope ? await archive.has(scope, period) : null });
    })
    .get('/:id/:format', zValidator('param', fileParam, queryError), async (c) => {
      const { id, format } = c.req.valid('param');
      const { record, bytes } = await archive.file(id, format);
      const name = bulletinFileName(record);
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': CONTENT_TYPES[format],
        'content-disposition': attachmentName(name, format),
        'cache-control': 'no-store',
      });
    });
}
