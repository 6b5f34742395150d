import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { buildOpenApi, type RouteDoc } from '../openapi/build.ts';
import { renderDocsPage } from '../openapi/docs-page.ts';

/** `GET /api/openapi.json` and `GET /api/docs` — the API contract, generated from the route schemas. */
export function openApiRoutes({ version }: AppDeps, docs: readonly RouteDoc[]) {
  const doc = buildOpenApi(version, [
    ...docs,
    { method: 'get', path: '/api/openapi.json', tag: 'system', summary: 'This API as an OpenAPI 3.1 document.', responses: { 200: 'OpenAPI document' } },
    { method: 'get', path: '/api/docs', tag: 'system', summary: 'This API as a readable HTML page.', produces: 'text/html', responses: { 200: 'HTML page' } },
  ]);
  const page = renderDocsPage(doc as unknown as Parameters<typeof renderDocsPage>[0]);
  return new Hono().get('/openapi.json', (c) => c.json(doc)).get('/docs', (c) => c.html(page));
}
