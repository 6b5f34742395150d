import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { buildBulletin } from '../bulletin/content.ts';
import { bulletinHtml } from '../bulletin/html.ts';
import type { Bulletin } from '../bulletin/model.ts';
import { PdfPrinter } from '../bulletin/pdf.ts';
import { lastFullMonth } from '../domain/periods.ts';
import { shanghaiDate } from '../domain/time.ts';
import type { RouteDoc } from '../openapi/build.ts';
import type { MediaStore } from '../media/store.ts';
import { queryError } from './validation.ts';

const query = z.object({
  scope: z.string().max(80).optional().describe('city:CODE | district:CODE | street:CODE | community:CODE (default: the top region)'),
  period: z.string().max(40).optional()
    .describe('2026-11 (a month), 2026-Q4 (a quarter) or 2026-10-01..2026-10-31 (days); default: the last full month'),
  format: z.enum(['json', 'html', 'pdf']).default('json').describe('json: the content; html: the print view; pdf: printed by Chromium'),
});

/** OpenAPI entries of this route (see server/openapi). */
export const bulletinDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/bulletin', tag: 'bulletin', query,
    summary: '一月一通报: the bulletin of a scope and a period, as content (JSON), print view (HTML) or PDF.',
    description: 'Every figure is the read API\'s own answer for the same scope and period (summary with 环比/同比, rankings, breakdowns, '
      + 'key sites, the overdue list, photos). The wording comes from the template folder (CIVGRID_BULLETIN_TEMPLATES). '
      + 'A period still running ends today; a period not yet started, or longer than a year, is refused.',
    responses: { 200: 'Bulletin JSON, text/html or application/pdf', 400: 'invalid parameter (named in the error)', 503: 'PDF asked for and Chromium missing (the apt command named)' },
  },
];

/** Settings of the bulletin routes. */
export interface BulletinSettings {
  /** The folder of bulletin.md (CIVGRID_BULLETIN_TEMPLATES). */
  templateDir: string;
  printer: PdfPrinter;
}

/** The bulletin settings a server starts with unless told otherwise. */
export const defaultBulletinSettings = (): BulletinSettings => ({ templateDir: 'data/bulletin', printer: new PdfPrinter('/usr/bin/chromium') });

/** The photos a bulletin shows, as data URIs of their view size (a self-contained page needs no token). */
export async function photoSources(b: Bulletin, store: MediaStore): Promise<(hash: string) => string | null> {
  const hashes = new Set([...b.photos.pairs, ...b.photos.worstOpen].flatMap((c) => [c.before?.hash, c.after?.hash]).filter((h): h is string => !!h));
  const uris = new Map<string, string>();
  await Promise.all([...hashes].map(async (hash) => {
    const bytes = await store.read(hash, 'view');
    if (bytes) uris.set(hash, `data:image/webp;base64,${bytes.toString('base64')}`);
  }));
  return (hash) => uris.get(hash) ?? null;
}

/** A file name header for a Chinese title (RFC 5987), with an ASCII fallback. */
export function attachmentName(title: string, ext: string): string {
  return `attachment; filename="bulletin.${ext}"; filename*=UTF-8''${encodeURIComponent(`${title}.${ext}`)}`;
}

/** `GET /api/bulletin` — the monthly bulletin as JSON, print HTML or PDF. */
export function bulletinRoutes(deps: AppDeps) {
  const settings = deps.bulletin ?? defaultBulletinSettings();
  return new Hono().get('/', zValidator('query', query, queryError), async (c) => {
    const q = c.req.valid('query');
    const b = await buildBulletin(deps, { scope: q.scope ?? null, period: q.period ?? lastFullMonth(shanghaiDate(deps.now())) }, { templateDir: settings.templateDir });
    if (q.format === 'json') return c.json(b);
    const html = bulletinHtml(b, await photoSources(b, deps.photos.store));
    if (q.format === 'html') return c.html(html);
    const pdf = await settings.printer.print(html);
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': attachmentName(`${b.title}（${b.period.label}）`, 'pdf') });
  });
}
