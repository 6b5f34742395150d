import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../server/live/bus.ts';
import { KpiTicker, type KpiTick } from '../../../server/live/kpi-ticker.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { postJson } from './helpers.ts';
import { eventually, listen, openStream, type SseMessage } from './sse.ts';

let t: TestApp;
let server: Awaited<ReturnType<typeof listen>>;
let serial = 0;

beforeAll(async () => {
  t = await cityApp();
  server = await listen(t.app);
});
afterAll(async () => {
  await server.close();
  await t.cleanup();
});

/** Posts a valid issue an hour before the pinned now and returns its id. */
async function report(): Promise<string> {
  const n = ++serial;
  const res = await postJson(t.app, '/api/issues', { clientId: `live-${n}`, id: `L${n}`, category: '0101', lon: 102.72, lat: 24.97, reportedAt: '2026-11-25T11:00:00+08:00' });
  expect(res.status).toBe(201);
  return `L${n}`;
}

const issueId = (m: SseMessage) => (JSON.parse(m.data) as { issue: { id: string } }).issue.id;
const isIssue = (m: SseMessage) => m.event.startsWith('issue.');

describe('GET /api/events', () => {
  it('is an event stream', async () => {
    const stream = await openStream(`${server.url}/api/events`);
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.res.headers.get('cache-control')).toBe('no-cache');
    stream.close();
  });

  it('delivers a posted issue as issue.created within 1 s, with an id', async () => {
    const stream = await openStream(`${server.url}/api/events`);
    const posted = Date.now();
    const id = await report();
    const m = await stream.next(isIssue, 1000);
    expect(Date.now() - posted).toBeLessThan(1000);
    expect(m.event).toBe('issue.created');
    expect(issueId(m)).toBe(id);
    expect(m.id).toBe(String(t.deps.bus.lastId));
    stream.close();
  });

  it('delivers workflow transitions as issue.updated', async () => {
    const stream = await openStream(`${server.url}/api/events`);
    await postJson(t.app, '/api/issues/I06/events', { type: 'opened', actor: '李娜' });
    const m = await stream.next(isIssue);
    expect(m.event).toBe('issue.updated');
    expect(JSON.parse(m.data)).toMatchObject({ issue: { id: 'I06', status: 'opened' }, event: { type: 'opened', actor: '李娜' } });
    stream.close();
  });

  it('sends KPI ticks, and the next tick after a report counts it', async () => {
    const stream = await openStream(`${server.url}/api/events?tick=1`);
    const first = JSON.parse((await stream.next((m) => m.event === 'kpi')).data) as KpiTick;
    expect(first.district).toEqual({ code: '530111', name: '官渡区' });
    expect(first.toDate.reported).toBeGreaterThan(0);
    await report();
    const after = await stream.next((m) => m.event === 'kpi' && (JSON.parse(m.data) as KpiTick).toDate.reported !== first.toDate.reported, 3000);
    const tick = JSON.parse(after.data) as KpiTick;
    expect(after.id).toBeUndefined();
    expect(tick.toDate.reported).toBe(first.toDate.reported + 1);
    expect(tick.today.reported).toBe(first.today.reported + 1);
    stream.close();
  });

  for (const via of ['header', 'query'] as const) {
    it(`replays what was missed after Last-Event-ID (${via}), then goes live without duplicates`, async () => {
      const a = await report();
      const lastSeen = t.deps.bus.lastId;
      const seq = t.deps.bus.lastSeq;
      const b = await report();
      const c = await report();
      const stream = via === 'header'
        ? await openStream(`${server.url}/api/events`, { 'Last-Event-ID': lastSeen })
        : await openStream(`${server.url}/api/events?lastEventId=${lastSeen}`);
      const d = await report();
      const got = [await stream.next(isIssue), await stream.next(isIssue), await stream.next(isIssue)];
      expect(got.map(issueId)).toEqual([b, c, d]);
      const epoch = t.deps.bus.epoch;
      expect(got.map((m) => m.id)).toEqual([`${epoch}-${seq + 1}`, `${epoch}-${seq + 2}`, `${epoch}-${seq + 3}`]);
      expect(got.map(issueId)).not.toContain(a);
      stream.close();
    });
  }

  it('rejects a bad tick', async () => {
    expect((await t.app.request('/api/events?tick=0')).status).toBe(400);
  });

  it('unsubscribes every client that goes away (50 connections opened and aborted)', async () => {
    // The streams of the tests above were closed too; their unsubscribes may still be in flight.
    expect(await eventually(() => t.deps.bus.subscribers === 0)).toBe(true);
    const streams = await Promise.all(Array.from({ length: 50 }, () => openStream(`${server.url}/api/events?tick=2`)));
    expect(await eventually(() => t.deps.bus.subscribers === 50)).toBe(true);
    for (const s of streams) s.close();
    expect(await eventually(() => t.deps.bus.subscribers === 0)).toBe(true);
  });
});

describe('GET /api/events when the replay buffer cannot help', () => {
  let small: TestApp;
  let smallServer: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    small = await cityApp({ bus: new EventBus(2, 'e1') });
    smallServer = await listen(small.app);
    for (let k = 0; k < 3; k++) small.deps.bus.publish('issue.updated', { issue: { id: `X${k}` } });
  });
  afterAll(async () => {
    await smallServer.close();
    await small.cleanup();
  });

  const cases: [name: string, lastId: string][] = [
    ['events were evicted', 'e1-0'],
    ['the id is ahead of the server', 'e1-99'],
    ['the id is of another process (a restart or a restore)', 'e2-2'],
    ['the id is a bare counter of an older version', '1'],
    ['the id is not one of ours', 'hello'],
  ];
  for (const [name, lastId] of cases) {
    it(`sends resync when ${name}`, async () => {
      const stream = await openStream(`${smallServer.url}/api/events`, { 'Last-Event-ID': lastId });
      const m = await stream.next((x) => x.event !== 'kpi');
      expect(m).toMatchObject({ event: 'resync', id: 'e1-3' });
      stream.close();
    });
  }

  it('replays when nothing was evicted', async () => {
    const stream = await openStream(`${smallServer.url}/api/events`, { 'Last-Event-ID': 'e1-1' });
    const m = await stream.next((x) => x.event !== 'kpi');
    expect(m).toMatchObject({ event: 'issue.updated', id: 'e1-2' });
    stream.close();
  });
});

describe('KpiTicker', () => {
  const tick = (n: number): KpiTick => ({ at: String(n), district: { code: 'd', name: 'd' }, toDate: {} as KpiTick['toDate'], today: {} as KpiTick['today'] });

  it('computes once per interval for all listeners, and stops when the last one leaves', async () => {
    let computed = 0;
    const ticker = new KpiTicker(async () => tick(++computed));
    const received = Array.from({ length: 20 }, () => [] as string[]);
    const stops = received.map((got) => ticker.subscribe(50, (k) => got.push(k.at)));
    await new Promise((r) => setTimeout(r, 280));
    // One immediate computation plus one per 50 ms (fewer on a loaded machine) — never one per listener.
    expect(computed).toBeGreaterThanOrEqual(2);
    expect(computed).toBeLessThanOrEqual(7);
    for (const got of received) expect(got.length).toBeGreaterThanOrEqual(computed - 1);
    expect(ticker.activeIntervals).toEqual([50]);
    stops.forEach((stop) => stop());
    expect(ticker.activeIntervals).toEqual([]);
    const settled = computed;
    await new Promise((r) => setTimeout(r, 120));
    expect(computed).toBe(settled);
  });

  it('hands a late listener the latest tick at once', async () => {
    const ticker = new KpiTicker(async () => tick(1));
    const stopFirst = ticker.subscribe(10_000, () => undefined);
    await new Promise((r) => setTimeout(r, 10));
    const got: string[] = [];
    const stop = ticker.subscribe(10_000, (k) => got.push(k.at));
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual(['1']);
    stop();
    stopFirst();
  });
});
