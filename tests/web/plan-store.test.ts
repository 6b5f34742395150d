import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePlanStore } from '../../web/stores/plan';

const rect = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
const grid = (code: string, x: number) => ({ type: 'Feature', geometry: rect(x), properties: { code, name: code, community: 'C1', inspector: '张伟', households: null } });
const summary = (grids: number) => ({ grids, issues: 4, mean: 2, max: 3, maxOverMean: 1.5, cv: 0.3, band: { ratio: 0.3, low: 1.4, high: 2.6, above: [], below: [], outside: 0 } });
const metrics = (codes: string[]) => ({
  window: { from: '2026-08-27T16:00:00.000Z', to: '2026-11-25T16:00:00.000Z', days: 90 },
  plan: { grids: codes.map((code) => ({ code, name: code, community: 'C1', inspector: null, households: null, areaKm2: 1, perimeterKm: 4, issues: 2, issuesPer30d: 2, overdue: 0, sites: {}, band: null })), summary: summary(codes.length) },
  published: null,
  elapsedMs: 12,
});
const PLAN = { id: 7, name: '草稿', status: 'draft', basedOn: 1, author: 'x', createdAt: '', updatedAt: '', publishedAt: null, archivedAt: null, grids: 2 };

/** A fake server: answers by method and path; validation waits until the test lets it go. */
function fakeServer() {
  const log: string[] = [];
  let releaseValidation: () => void = () => undefined;
  let validationGate = Promise.resolve();
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.split('?')[0];
    log.push(`${method} ${path}`);
    if (method === 'GET' && path === '/api/plans') return json([PLAN]);
    if (method === 'GET' && path === '/api/plans/7') return json({ ...PLAN, history: { undo: 0, redo: 0 }, grids: { type: 'FeatureCollection', features: [grid('A', 0), grid('B', 1)] } });
    if (path === '/api/plans/7/metrics') return json(metrics(log.some((l) => l.endsWith('/split')) ? ['A-1', 'A-2', 'B'] : ['A', 'B']));
    if (path === '/api/plans/7/validate') {
      await validationGate;
      return json({ errors: [], warnings: [] });
    }
    if (method === 'POST' && path === '/api/plans/7/split') {
      return json({ seq: 2, added: ['A-1', 'A-2'], removed: ['A'], changed: [], grids: [grid('A-1', 0), grid('A-2', 0.5)], history: { undo: 1, redo: 0 } });
    }
    if (method === 'POST' && path === '/api/plans/7/merge') return json({ error: { code: 'not_adjacent', message: 'grids share no boundary' } }, 422);
    return json({ error: { code: 'not_found', message: path } }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return {
    log,
    holdValidation() {
      validationGate = new Promise((r) => (releaseValidation = r));
    },
    releaseValidation: () => releaseValidation(),
  };
}

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.unstubAllGlobals());

describe('plan store', () => {
  it('opens a plan with its grids, metrics and validation', async () => {
    fakeServer();
    const plan = usePlanStore();
    await plan.open(7);
    expect(plan.grids?.features.map((f) => f.properties.code)).toEqual(['A', 'B']);
    expect(plan.metrics?.plan.summary.grids).toBe(2);
    expect(plan.validation).toEqual({ errors: [], warnings: [] });
    expect(plan.canPublish).toBe(true);
  });

  it('applies an edit, fetches metrics before validation, times it, and holds publishing until validation is back', async () => {
    const server = fakeServer();
    const plan = usePlanStore();
    await plan.loadList();
    await plan.open(7);
    plan.select('A');
    server.holdValidation();
    server.log.length = 0;

    expect(await plan.split('A', [[0.5, -1], [0.5, 2]])).toBe(true);
    expect(plan.grids?.features.map((f) => f.properties.code)).toEqual(['A-1', 'A-2', 'B']);
    expect(plan.selected).toBe('A-1');
    expect(plan.history).toEqual({ undo: 1, redo: 0 });
    expect(plan.metrics?.plan.summary.grids).toBe(3);
    expect(plan.plans[0].grids).toBe(3);
    expect(server.log).toEqual(['POST /api/plans/7/split', 'GET /api/plans/7/metrics', 'GET /api/plans/7/validate']);
    expect(plan.timing).toMatchObject({ count: 1, last: { label: 'split', serverMs: 12 } });
    expect(plan.timing!.last.totalMs).toBeGreaterThanOrEqual(plan.timing!.last.editMs);
    expect(plan.validating).toBe(true);
    expect(plan.canPublish).toBe(false);

    server.releaseValidation();
    await vi.waitFor(() => expect(plan.validating).toBe(false));
    expect(plan.canPublish).toBe(true);
  });

  it('keeps the grids and shows the refusal when the server says no', async () => {
    fakeServer();
    const plan = usePlanStore();
    await plan.open(7);
    expect(await plan.merge(['A', 'B'])).toBe(false);
    expect(plan.error).toEqual({ code: 'not_adjacent', message: 'grids share no boundary' });
    expect(plan.grids?.features).toHaveLength(2);
    expect(plan.timing).toBeNull();
    expect(plan.busy).toBe(false);
  });

  it('does not edit a plan that is not a draft', async () => {
    const server = fakeServer();
    const plan = usePlanStore();
    await plan.open(7);
    plan.plan = { ...plan.plan!, status: 'published' };
    server.log.length = 0;
    expect(await plan.split('A', [[0.5, -1], [0.5, 2]])).toBe(false);
    expect(server.log).toEqual([]);
  });
});
