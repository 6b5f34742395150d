import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authorizedFetch, clearToken, returnPath, storeToken, withAccessToken, withToken } from '../../web/auth/token-store';
import { createPinia, setActivePinia } from 'pinia';
import { useLiveStore } from '../../web/stores/live';

const TOKEN = `cg_${'a'.repeat(43)}`;

/** A sessionStorage and location as the browser has them. */
function fakeBrowser(pathname = '/') {
  const data = new Map<string, string>();
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  });
  const assign = vi.fn();
  vi.stubGlobal('location', { pathname, search: '?scope=street:1', assign });
  return { data, assign };
}

beforeEach(() => fakeBrowser());
afterEach(() => vi.unstubAllGlobals());

describe('token store', () => {
  it('adds the stored token as a bearer token, keeping other headers and an explicit one', () => {
    expect(withToken({ headers: { accept: 'x' } })).toEqual({ headers: { accept: 'x' } });
    storeToken(TOKEN);
    const h = new Headers(withToken({ headers: { accept: 'x' } }).headers);
    expect(h.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(h.get('accept')).toBe('x');
    expect(new Headers(withToken({ headers: { authorization: 'Bearer other' } }).headers).get('authorization')).toBe('Bearer other');
    clearToken();
    expect(withToken({}).headers).toBeUndefined();
  });

  it('puts the token in the live-feed URL only when there is one', () => {
    expect(withAccessToken('/api/events?tick=30')).toBe('/api/events?tick=30');
    storeToken(TOKEN);
    expect(withAccessToken('/api/events?tick=30')).toBe(`/api/events?tick=30&access_token=${TOKEN}`);
    expect(withAccessToken('/api/events')).toBe(`/api/events?access_token=${TOKEN}`);
  });

  it('returns only to same-site paths after signing in', () => {
    expect(returnPath('/screen?x=1')).toBe('/screen?x=1');
    for (const bad of ['https://evil.example/', '//evil.example', '/login?next=/', null, undefined, '']) expect(returnPath(bad)).toBe('/');
  });
});

describe('authorizedFetch', () => {
  it('sends the token and, when a read is refused with 401, forgets it and goes to sign-in', async () => {
    const { data, assign } = fakeBrowser('/screen');
    storeToken(TOKEN);
    const fetchMock = vi.fn(async () => new Response('{}', { status: 401 }));
    vi.stubGlobal('fetch', fetchMock);
    const res = await authorizedFetch('/api/stats/summary');
    expect(res.status).toBe(401);
    expect(new Headers((fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1].headers).get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(data.size).toBe(0);
    expect(assign).toHaveBeenCalledWith(`/login?next=${encodeURIComponent('/screen?scope=street:1')}`);
  });

  it('leaves a refused write to its caller', async () => {
    const { assign } = fakeBrowser('/plan');
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 401 })));
    await authorizedFetch('/api/plans', { method: 'POST' });
    expect(assign).not.toHaveBeenCalled();
  });
});

describe('live feed', () => {
  it('opens the EventSource with the stored token in the URL, as the feed cannot send headers', () => {
    const opened: string[] = [];
    vi.stubGlobal('EventSource', class {
      constructor(url: string) {
        opened.push(url);
      }
      addEventListener() {}
      close() {}
    });
    setActivePinia(createPinia());
    storeToken(TOKEN);
    useLiveStore().connect('/api/events?tick=30');
    expect(opened).toEqual([`/api/events?tick=30&access_token=${TOKEN}`]);
  });
});
