import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';

let t: TestApp;
beforeAll(async () => (t = await cityApp()));
afterAll(async () => t.cleanup());

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, { parameters: { name: string; required: boolean; schema: Record<string, unknown> }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    const importOp = doc.paths['/api/import/{kind}'].post;
    expect(importOp.parameters.find((p) => p.name === 'kind')).toMatchObject({ required: true, schema: { enum: ['regions', 'grids', 'sites', 'issues', 'categories', 'departments', 'reference', 'photos'] } });
    expect(importOp.parameters.find((p) => p.name === 'layer')?.schema).toMatchObject({ enum: ['water', 'roads', 'poi'] });
    expect(importOp.parameters.find((p) => p.name === 'filename')?.required).toBe(true);
    expect(importOp.parameters.find((p) => p.name === 'crs')?.required).toBe(false);
  });

  it('documents every route the app answers', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)));
    const answered = t.app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))
      .map((r) => `${r.method} ${r.path.replace(/\/$/, '')}`);
    for (const route of new Set(answered)) expect(documented, `${route} is not documented`).toContain(route);
  });

  it('serves a readable docs page without external assets', async () => {
    const res = await t.app.request('/api/docs');
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('/api/import/{kind}');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});
