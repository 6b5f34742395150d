import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { shanghaiDate } from '../domain/time.ts';
import { resolveFilters } from '../kpi/resolve.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { CSV_HEADERS, csvPage, type IssueCursor } from '../queries/issues.ts';
import { csvHeaders, csvStream } from './csv-stream.ts';
import { issueFilterQuery } from './issues.ts';
import { queryError } from './validation.ts';

export const exportDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/export/issues.csv', tag: 'issues', query: issueFilterQuery, produces: 'text/csv',
    summary: 'The filtered issues as CSV (UTF-8 with BOM, Chinese headers, Asia/Shanghai times), streamed.',
    description: `Same filters as GET /api/issues (the period filters reported_at), newest first. Columns: ${CSV_HEADERS.join(',')}.`,
    responses: { 200: 'CSV file', 400: 'invalid parameter (named in the error)' },
  },
];

/** Rows per keyset query: large enough to amortise the query, small enough to keep memory flat. */
const PAGE_ROWS = 10_000;

/** `GET /api/export/issues.csv?<filters>` — the issue list for Excel, streamed page by page. */
export function exportRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono().get('/issues.csv', zValidator('query', issueFilterQuery, queryError), async (c) => {
    const q = c.req.valid('query');
    // Resolved before streaming starts, so a bad parameter is still a 400 and not a broken file.
    const f = await resolveFilters(db, q);
    const now = deps.now();
    let cursor: IssueCursor | undefined;
    const body = csvStream(CSV_HEADERS, async () => {
      const page = await csvPage(db, f, { bbox: q.bbox, after: cursor, limit: PAGE_ROWS, now });
      if (page.next) cursor = page.next;
      return { text: page.rows ? page.text : '', more: !!page.next };
    }, 'CSV export');
    const day = shanghaiDate(now).replaceAll('-', '');
    return c.body(body, 200, csvHeaders(`attachment; filename="issues-${day}.csv"; filename*=UTF-8''${encodeURIComponent(`问题清单-${day}.csv`)}`));
  });
}
