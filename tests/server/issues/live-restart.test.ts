/**
 * The live feed across a real restart: two server processes, one after the other, on one
 * DuckDB file. A screen that saw an event of the first must not be replayed the second's
 * events as if they followed it; it must be told to resync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CITY, startServerProcess, type ServerProcess } from '../../helpers/server-process.ts';
import { openStream, type SseMessage } from './sse.ts';

let server: ServerProcess;
let serial = 0;

beforeAll(async () => {
  server = await startServerProcess({ imports: FIXTURE_CITY });
}, 120_000);
afterAll(async () => server?.stop());

/** Reports one issue to the running process. */
async function report(): Promise<void> {
  const n = ++serial;
  const res = await fetch(`${server.url}/api/issues`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}` },
    body: JSON.stringify({ clientId: `restart-${n}`, id: `R${n}`, category: '0101', lon: 102.72, lat: 24.97 }),
  });
  expect(res.status, await res.text()).toBe(201);
}

const notKpi = (m: SseMessage) => m.event !== 'kpi';

describe('GET /api/events after a restart', () => {
  it('sends resync to a client whose last id is of the previous process, then goes live', async () => {
    const before = await openStream(`${server.url}/api/events`);
    await report();
    const seen = await before.next(notKpi);
    before.close();
    expect(seen.event).toBe('issue.created');

    await server.restart();
    for (let k = 0; k < 3; k++) await report();

    const after = await openStream(`${server.url}/api/events`, { 'Last-Event-ID': seen.id! });
    const first = await after.next(notKpi);
    expect(first.event).toBe('resync');
    // Resuming from the resync's id replays nothing old and misses nothing new.
    await report();
    const live = await after.next(notKpi);
    after.close();
    expect(live.event).toBe('issue.created');
    expect(JSON.parse(live.data)).toMatchObject({ issue: { id: `R${serial}` } });
    expect(new Set([seen.id, first.id, live.id]).size).toBe(3);
    const [epochBefore] = seen.id!.split('-');
    const [epochAfter, seqResync] = first.id!.split('-');
    expect(epochAfter).not.toBe(epochBefore);
    expect(seqResync).toBe('3');
    expect(live.id).toBe(`${epochAfter}-4`);
  });
});
