import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePlaybackStore } from '../../web/stores/playback';

type FakeFetch = (url: string) => Promise<Response>;

const FRAMES = ['2026-10-01T00:00:00+08:00', '2026-10-02T00:00:00+08:00', '2026-10-03T00:00:00+08:00'];

/** A fake server answering the frames routes. */
function fakeServer() {
  const fetchMock = vi.fn<FakeFetch>(async (url) => {
    const { pathname } = new URL(url, 'http://civgrid.test');
    if (pathname === '/api/stats/frames') {
      return Response.json({
        step: 'day', mode: 'window', frames: FRAMES, units: ['G1'], reported: [[1, 2, 3]], overdue: [[0, 1, 1]],
        totals: { reported: [1, 2, 3], overdue: [0, 1, 1] }, asOf: '2026-10-04T00:00:00.000Z',
      });
    }
    return Response.json({ error: { code: 'not_found', message: 'no' } }, { status: 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const paths = (m: ReturnType<typeof fakeServer>) => m.mock.calls.map(([url]) => new URL(url, 'http://civgrid.test').pathname);

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(new Date('2026-11-25T04:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('usePlaybackStore', () => {
  it('loads every frame in one request, then plays them with no request at all', async () => {
    const fetchMock = fakeServer();
    const store = usePlaybackStore();
    store.openBar('auto');
    await store.load({ from: '2026-10-01', to: '2026-10-03' }, null);
    expect(paths(fetchMock)).toEqual(['/api/stats/frames']);
    expect(store.count).toBe(3);
    // Opened without a frame: the first one, and the URL says so.
    expect(store.urlFrame).toBe('2026-10-01');
    store.play();
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.index).toBe(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(store.index).toBe(2);
    expect(store.clock.playing).toBe(false);
    expect(paths(fetchMock)).toEqual(['/api/stats/frames']);
    expect(store.totals?.reported[store.index]).toBe(3);
  });

  it('opens a link at its frame, and writes the frame for the URL only when paused', async () => {
    fakeServer();
    const store = usePlaybackStore();
    store.openBar('day', Date.parse('2026-10-02T15:00:00+08:00'));
    await store.load({ from: '2026-10-01', to: '2026-10-03' }, null);
    expect(store.index).toBe(1);
    expect(store.urlFrame).toBe('2026-10-02');
    store.stepBy(-1);
    expect(store.urlFrame).toBe('2026-10-01');
    store.setSpeed(8);
    store.play();
    await vi.advanceTimersByTimeAsync(125);
    expect(store.index).toBe(1);
    expect(store.urlFrame).toBe('2026-10-01');
  });

  it('asks for the scope\'s own totals when drilled in, and forgets everything when closed', async () => {
    const fetchMock = fakeServer();
    const store = usePlaybackStore();
    store.openBar('day');
    await store.load({ from: '2026-10-01', to: '2026-10-03' }, 'street:530111001');
    const scopes = fetchMock.mock.calls.map(([url]) => new URL(url, 'http://civgrid.test').searchParams.get('scope'));
    expect(scopes).toEqual([null, 'street:530111001']);
    expect(new URL(fetchMock.mock.calls[0][0], 'http://civgrid.test').searchParams.get('step')).toBe('day');
    store.close();
    expect(store.open).toBe(false);
    expect(store.count).toBe(0);
    expect(store.urlFrame).toBeNull();
  });
});
