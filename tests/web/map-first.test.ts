import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterMapPaint, holdForMap, mapFirst, MAP_FIRST_MAX_MS } from '../../web/stores/map-first';

/** A promise and its resolver. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('map-first: the panels ask after the map has drawn its new values', () => {
  it('starts a panel fetch only once the map load held has settled', async () => {
    const map = deferred();
    holdForMap(map.promise);
    const fetcher = vi.fn(async () => 42);
    const load = mapFirst(fetcher)(new AbortController().signal);
    await new Promise((r) => setTimeout(r, 20));
    expect(fetcher).not.toHaveBeenCalled();
    map.resolve();
    await expect(load).resolves.toBe(42);
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('waits for a map load started later in the same flush (a watcher after the caller\'s)', async () => {
    const fetcher = vi.fn(async () => 'ok');
    const load = mapFirst(fetcher)(new AbortController().signal);
    const map = deferred();
    holdForMap(map.promise);
    await new Promise((r) => setTimeout(r, 20));
    expect(fetcher).not.toHaveBeenCalled();
    map.resolve();
    await load;
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('sends nothing for a load cancelled while it waited', async () => {
    const map = deferred();
    holdForMap(map.promise);
    const fetcher = vi.fn(async () => 1);
    const controller = new AbortController();
    const load = mapFirst(fetcher)(controller.signal);
    controller.abort();
    map.resolve();
    await expect(load).rejects.toThrow();
    expect(fetcher).not.toHaveBeenCalled();
  });

  it('a failed map load releases the panels too', async () => {
    const map = deferred<never>();
    const failing = holdForMap(map.promise.then(() => Promise.reject(new Error('down'))));
    failing.catch(() => undefined);
    const fetcher = vi.fn(async () => 'panel');
    const load = mapFirst(fetcher)(new AbortController().signal);
    map.resolve(undefined as never);
    await expect(load).resolves.toBe('panel');
  });
  // Last: the load it holds never settles.
  it('asks at once when no map load is in flight, and after the cap when the map is slow', async () => {
    await expect(Promise.race([afterMapPaint().then(() => 'now'), new Promise((r) => setTimeout(() => r('late'), 50))])).resolves.toBe('now');
    vi.useFakeTimers();
    holdForMap(new Promise(() => undefined));
    let done = false;
    void afterMapPaint().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(MAP_FIRST_MAX_MS - 10);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(done).toBe(true);
  });

});
