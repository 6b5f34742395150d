/**
 * A bulk import, live ingest and workflow events at the same time: each is a job of the one write
 * queue, so all of them land and none meets a write-write conflict (there is no retry to hide one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { postJson } from '../issues/helpers.ts';

let t: TestApp;
beforeAll(async () => (t = await cityApp({ importMaxBytes: 16 * 1024 * 1024 })));
afterAll(async () => t.cleanup());

const N = 3_000;

/** `N` issues as NDJSON; the first replaces the fixture's I06, which the events below move along. */
function issuesFile(): string {
  const lines = [];
  for (let i = 0; i < N; i++) {
    const id = i === 0 ? 'I06' : `BULK${String(i).padStart(6, '0')}`;
    const lon = 102.701 + ((i * 0.618034) % 1) * 0.098;
    const lat = 24.901 + ((i * 0.754878) % 1) * 0.098;
    lines.push(JSON.stringify({
      type: 'Feature', geometry: { type: 'Point', coordinates: [Number(lon.toFixed(6)), Number(lat.toFixed(6))] },
      properties: { id, category: '0101', source: 'patrol', status: 'reported', reported_at: '2026-11-10T11:00:00+08:00' },
    }));
  }
  return `${lines.join('\n')}\n`;
}

describe('writers at the same time', () => {
  it('an import, live ingest and a workflow event all land, with no conflict', async () => {
    const count = async (where: string) => (await t.db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM issues WHERE ${where}`))!.n;
    const version = t.db.version.current;
    const importing = t.app.request('/api/import/issues?filename=bulk.ndjson', { method: 'POST', body: issuesFile() });
    const ingests = Array.from({ length: 30 }, async (_, i) => {
      // Spread over the import's reading, staging and merge.
      await new Promise((r) => setTimeout(r, i * 10));
      return postJson(t.app, '/api/issues', { clientId: `side-${i}`, category: '0102', lon: 102.72 + i * 1e-4, lat: 24.97 });
    });
    const event = postJson(t.app, '/api/issues/I06/events', { type: 'opened', actor: '李娜' });

    const imported = await importing;
    const body = (await imported.json()) as { ok: boolean; inserted: number; updated: number };
    expect(imported.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ ok: true, inserted: N - 1, updated: 1 });
    const answers = await Promise.all(ingests);
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect((await event).status).toBe(200);

    expect(await count(`id LIKE 'BULK%'`)).toBe(N - 1);
    expect(await count(`client_id LIKE 'side-%'`)).toBe(30);
    // The event's row survives the import replacing I06 (an import replaces only its own events).
    expect(await t.db.one(`SELECT type, actor FROM issue_events WHERE issue_id = 'I06' AND actor = '李娜'`)).toEqual({ type: 'opened', actor: '李娜' });
    // Every committed write moved the version on: the import, each ingest batch, the event, the audit rows.
    expect(t.db.version.current).toBeGreaterThan(version + 2);
  }, 60_000);
});
