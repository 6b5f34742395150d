import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OVERDUE_LIST, useScopeDataStore } from '../../web/stores/scope-data';

type FakeFetch = (url: string) => Promise<Response>;

/** The server's answer to the overdue list, in its order (the store must keep it as it is). */
const OVERDUE_ITEMS = [
  { id: 'B', overdue: true, deadline: '2026-11-02T00:00:00.000Z' },
  { id: 'A', overdue: true, deadline: '2026-11-03T00:00:00.000Z' },
];

/** A fake server: /api/issues answers the items above, everything else an empty object. */
function fakeServer() {
  const fetchMock = vi.fn<FakeFetch>(async (url) => {
    const { pathname } = new URL(url, 'http://civgrid.test');
    if (pathname === '/api/issues') return Response.json({ items: OVERDUE_ITEMS, nextCursor: null });
    return Response.json({});
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

/** The query of every /api/issues request made. */
function issueQueries(fetchMock: ReturnType<typeof fakeServer>): URLSearchParams[] {
  return fetchMock.mock.calls
    .map(([url]) => new URL(url, 'http://civgrid.test'))
    .filter((u) => u.pathname === '/api/issues')
    .map((u) => u.searchParams);
}

beforeEach(() => {
  setActivePinia(createPinia());
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('useScopeDataStore: longest-overdue issues', () => {
  it('asks the server for the overdue issues of the scope and filters, whatever the period, oldest deadline first', async () => {
    const fetchMock = fakeServer();
    const store = useScopeDataStore();
    const filters = { from: '2026-11-01', to: '2026-11-30', category: ['01'], status: ['dispatched', 'closed'] };
    store.load({ level: 'street', id: '530111001' }, filters, { from: '2026-11-01', to: '2026-11-30' }, 'district');
    await vi.waitFor(() => expect(store.overdue.status).toBe('ready'));

    const [query, ...more] = issueQueries(fetchMock);
    expect(more).toHaveLength(0);
    expect(query.get('overdue')).toBe('1');
    expect(query.get('sort')).toBe('deadline');
    expect(query.get('limit')).toBe(String(OVERDUE_LIST));
    expect(query.get('scope')).toBe('street:530111001');
    // The backlog, not the period's: an issue overdue for 60 days is listed under 近30天 too.
    expect(query.get('from')).toBeNull();
    expect(query.get('to')).toBeNull();
    expect(query.getAll('category')).toEqual(['01']);
    // The user's status filter goes out as it is: the server's overdue rule decides, not a client-side copy.
    expect(query.getAll('status')).toEqual(['dispatched', 'closed']);
    expect(store.overdue.data?.map((i) => i.id)).toEqual(['B', 'A']);
  });

  it('uses the top when there is no scope, and does not ask at a key site', async () => {
    const fetchMock = fakeServer();
    const store = useScopeDataStore();
    store.load(null, {}, { from: '2026-11-01', to: '2026-11-30' }, 'district');
    await vi.waitFor(() => expect(store.overdue.status).toBe('ready'));
    expect(issueQueries(fetchMock)[0].get('scope')).toBeNull();

    fetchMock.mockClear();
    store.load({ level: 'site', id: 'S1' }, {}, { from: '2026-11-01', to: '2026-11-30' }, 'district');
    await vi.waitFor(() => expect(store.recent.status).toBe('ready'));
    expect(issueQueries(fetchMock).map((q) => q.get('overdue'))).toEqual([null]);
    expect(store.overdue.status).toBe('idle');
  });
});

describe('useScopeDataStore: sub-unit rankings', () => {
  /** The `level` of every /api/stats/ranking request made. */
  const rankLevels = (fetchMock: ReturnType<typeof fakeServer>) => fetchMock.mock.calls
    .map(([url]) => new URL(url, 'http://civgrid.test'))
    .filter((u) => u.pathname === '/api/stats/ranking')
    .map((u) => u.searchParams.get('level'));

  it('ranks the districts and streets of a city at the top, the streets and communities of a district', async () => {
    const fetchMock = fakeServer();
    const store = useScopeDataStore();
    store.load(null, {}, { from: '2026-11-01', to: '2026-11-30' }, 'city');
    await vi.waitFor(() => expect(store.rankings.status).toBe('ready'));
    expect(rankLevels(fetchMock)).toEqual(['district', 'street']);

    fetchMock.mockClear();
    store.load({ level: 'district', id: '530111' }, {}, { from: '2026-11-01', to: '2026-11-30' }, 'city');
    await vi.waitFor(() => expect(store.rankings.status).toBe('ready'));
    expect(rankLevels(fetchMock)).toEqual(['street', 'community']);
  });
});
