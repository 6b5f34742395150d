import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLoadReport, runLoad, stats } from '../../../scripts/bench/load-test.ts';
import { serverClock } from '../../../server/clock.ts';
import { cityApp, FIXTURE_NOW, type TestApp } from '../../helpers/app.ts';

describe('stats', () => {
  it('takes nearest-rank percentiles and counts failures', () => {
    const samples = Array.from({ length: 100 }, (_, i) => ({ ms: i + 1, ok: i !== 41 }));
    expect(stats(samples)).toEqual({ count: 100, errors: 1, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(stats([])).toEqual({ count: 0, errors: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});

describe('runLoad (a short run against the fixture city)', () => {
  let t: TestApp;
  let server: ServerType;
  let url: string;
  let admin: string;

  beforeAll(async () => {
    // A running clock (from the fixture's now): ingests are reported "now", at increasing times.
    t = await cityApp({ now: serverClock(FIXTURE_NOW.toISOString()) }, { anonymous: undefined });
    admin = await t.tokenFor('admin');
    server = await new Promise((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      (server as import('node:http').Server).closeAllConnections?.();
      server.close(() => resolve());
    });
    await t.cleanup();
  });

  it('holds the live-feed clients, sends reads and ingests on schedule, and reports without errors', async () => {
    const r = await runLoad({ url, adminToken: admin, durationS: 3, sseClients: 20, readsPerS: 20, ingestsPerS: 2 });
    expect(r.errors).toEqual([]);
    expect(r.sse).toMatchObject({ target: 20, connected: 20, dropped: 0 });
    expect(r.reads.count).toBe(60);
    expect(r.ingests.count).toBe(6);
    expect(r.sse.ingestEventsPerClient).toBe(6);
    expect((await t.db.one<{ n: number }>(`SELECT count(*) AS n FROM issues WHERE client_id LIKE 'load-%'`))!.n).toBe(6);
    expect(renderLoadReport(r)).toMatch(/20\/20 clients held, 0 dropped/);
  }, 30_000);
});
