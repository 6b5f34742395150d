import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache, type CachedAnswer } from '../../../server/cache/response-cache.ts';
import { DataVersion } from '../../../server/db/data-version.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { postJson } from '../issues/helpers.ts';

const answer = (text: string): CachedAnswer => ({ body: new TextEncoder().encode(text), contentType: 'application/json' });
const text = (a: CachedAnswer | null) => (a ? new TextDecoder().decode(a.body) : null);

/** A cache on a hand-moved clock and data version, and a counter of how often each key was computed. */
function setup(policy = { staleMs: 2_000, maxAgeMs: 15_000, maxBytes: 1_000 }) {
  let now = 0;
  const data = new DataVersion();
  const cache = new ResponseCache(data, policy, () => now);
  const computed: string[] = [];
  const read = (key: string, value = key) =>
    cache.through(key, async () => {
      computed.push(key);
      return answer(value);
    });
  return { cache, data, computed, read, advance: (ms: number) => (now += ms) };
}

describe('ResponseCache', () => {
  it('computes a key once and serves it again while the data is unchanged', async () => {
    const { read, computed, advance } = setup();
    expect(text(await read('/a'))).toBe('/a');
    advance(10_000);
    await read('/a');
    expect(computed).toEqual(['/a']);
  });

  it('expires every entry after maxAgeMs, because answers depend on the clock', async () => {
    const { read, computed, advance } = setup();
    await read('/a');
    advance(15_001);
    await read('/a');
    expect(computed).toEqual(['/a', '/a']);
  });

  it('after a report serves answers at most staleMs old', async () => {
    const { data, read, computed, advance } = setup();
    await read('/a');
    advance(1_000);
    data.bump(['issues']);
    await read('/a');
    expect(computed).toEqual(['/a']);
    advance(1_001);
    await read('/a');
    expect(computed).toEqual(['/a', '/a']);
  });

  for (const kind of ['reference', 'issuesRewritten', 'drafts'] as const) {
    it(`after a write of ${kind} serves nothing made before it, not even a computation under way`, async () => {
      const { cache, data, read, computed } = setup();
      await read('/a');
      let release!: () => void;
      const slow = cache.through('/b', () => new Promise((r) => (release = () => r(answer('old')))));
      data.bump([kind]);
      release();
      await slow;
      await read('/a');
      await read('/b');
      expect(computed).toEqual(['/a', '/a', '/b']);
      expect(cache.size().entries).toBe(2);
    });
  }

  it('keeps serving exact answers after writes of users or the audit log', async () => {
    const { data, read, computed, advance } = setup();
    await read('/a');
    data.bump(['users']);
    data.bump(['audit']);
    advance(10_000);
    await read('/a');
    expect(computed).toEqual(['/a']);
  });

  it('lets concurrent misses share one computation', async () => {
    const { cache } = setup();
    let runs = 0;
    const slow = () => cache.through('/a', async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return answer('x');
    });
    const all = await Promise.all([slow(), slow(), slow()]);
    expect(runs).toBe(1);
    expect(all.map(text)).toEqual(['x', 'x', 'x']);
  });

  it('does not keep what the computation refused to cache', async () => {
    const { cache } = setup();
    let runs = 0;
    const failing = () => cache.through('/a', async () => (runs++, null));
    await failing();
    await failing();
    expect(runs).toBe(2);
  });

  it('drops the least recently used entries beyond its byte budget', async () => {
    const { cache, read, computed } = setup({ staleMs: 0, maxAgeMs: 60_000, maxBytes: 1_000 });
    const big = 'x'.repeat(240);
    await read('/1', big);
    await read('/2', big);
    await read('/3', big);
    await read('/1', big); // now /2 is the oldest
    await read('/4', big);
    await read('/5', big);
    expect(cache.size().bytes).toBeLessThanOrEqual(1_000);
    computed.length = 0;
    await read('/1', big);
    await read('/2', big);
    expect(computed).toEqual(['/2']);
  });
});

describe('the cache in the API', () => {
  let t: TestApp;
  beforeAll(async () => (t = await cityApp({ cache: { staleMs: 0, maxAgeMs: 60_000, maxBytes: 8 * 1024 * 1024 } })));
  afterAll(async () => t.cleanup());

  it('serves a repeated aggregate from memory with the same body', async () => {
    const first = await t.app.request('/api/stats/summary');
    const second = await t.app.request('/api/stats/summary');
    expect(first.headers.get('x-civgrid-cache')).toBeNull();
    expect(second.headers.get('x-civgrid-cache')).toBe('hit');
    expect(await second.json()).toEqual(await first.json());
    expect(second.headers.get('content-type')).toContain('application/json');
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers from the new data after a write', async () => {
    await t.app.request('/api/stats/summary');
    const list = (await (await t.app.request('/api/issues?limit=500')).json()) as { items: unknown[] };
    const res = await postJson(t.app, '/api/issues', { clientId: 'cache-1', category: '0101', lon: 102.72, lat: 24.97 });
    expect(res.status).toBe(201);
    // (The pinned clock puts the new issue at the very end of "to date", so counts can't show it; the cache must recompute.)
    expect((await t.app.request('/api/stats/summary')).headers.get('x-civgrid-cache')).toBeNull();
    const after = await t.app.request('/api/issues?limit=500');
    expect(after.headers.get('x-civgrid-cache')).toBeNull();
    expect(((await after.json()) as { items: unknown[] }).items).toHaveLength(list.items.length + 1);
  });

  it('never caches refusals: a 400 stays a 400 and is computed each time', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await t.app.request('/api/stats/summary?from=nonsense');
      expect(res.status).toBe(400);
      expect(res.headers.get('x-civgrid-cache')).toBeNull();
    }
  });
});

describe('the cache behind authentication', () => {
  let t: TestApp;
  beforeAll(async () => (t = await cityApp({ cache: { staleMs: 2_000, maxAgeMs: 60_000, maxBytes: 8 * 1024 * 1024 } }, { anonymous: undefined, reads: 'token' })));
  afterAll(async () => t.cleanup());

  it('drops everything after a write other than a report, however fresh', async () => {
    const viewer = t.as(await t.tokenFor('viewer', 'viewer-2'));
    await viewer('/api/grids?level=grid');
    expect((await viewer('/api/grids?level=grid')).headers.get('x-civgrid-cache')).toBe('hit');
    const planner = t.as(await t.tokenFor('planner'));
    const draft = await planner('/api/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '草稿' }) });
    expect(draft.status).toBe(201);
    expect((await viewer('/api/grids?level=grid')).headers.get('x-civgrid-cache')).toBeNull();
  });

  it('gives a cached answer only to callers allowed to read', async () => {
    const viewer = t.as(await t.tokenFor('viewer'));
    expect((await viewer('/api/stats/summary')).status).toBe(200);
    expect((await viewer('/api/stats/summary')).headers.get('x-civgrid-cache')).toBe('hit');
    expect((await t.app.request('/api/stats/summary')).status).toBe(401);
  });
});
