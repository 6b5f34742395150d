/**
 * Unknown API paths answer the API's JSON 404, never the web app's index.html, for every method
 * and every spelling of the path. The app is assembled as server/index.ts does (createApp, then
 * serveWebApp over a web root) and called over real HTTP with raw request paths, so no client
 * normalises them first.
 */
import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebApp } from '../../../server/web-app.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { listen } from '../issues/sse.ts';

let t: TestApp;
let server: Awaited<ReturnType<typeof listen>>;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'civgrid-web-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>civgrid</title>');
  t = await cityApp();
  serveWebApp(t.app, root);
  server = await listen(t.app);
});
afterAll(async () => {
  await server.close();
  await t.cleanup();
  await rm(root, { recursive: true, force: true });
});

/** Sends `method path` exactly as written. */
function raw(method: string, path: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const PATHS = [
  '/api', '/api/', '/api/nothing', '/api/nothing/', '/api/health/', '/api/stats/', '/api/stats/nothing',
  '/api/issues/I01/nothing', '/api//health', '/api/%6Eothing', '/api/health%2F', '/api/..%2Findex.html',
  '/api/nothing?x=1', '/api/docs/', '/api/index.html',
];

describe('unknown paths under /api', () => {
  it('the web app still answers its own routes', async () => {
    const page = await raw('GET', '/screen');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
  });

  for (const path of PATHS) {
    it(`GET ${path} → JSON 404`, async () => {
      const res = await raw('GET', path);
      expect(res.status).toBe(404);
      expect(res.type).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'not_found' } });
    });
  }

  for (const method of ['HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    it(`${method} /api/nothing → JSON 404`, async () => {
      const res = await raw(method, '/api/nothing');
      expect(res.status).toBe(404);
      expect(res.type).toMatch(/^application\/json/);
      if (method !== 'HEAD') expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'not_found' } });
    });
  }
});
