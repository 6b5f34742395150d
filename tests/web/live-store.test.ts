import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useLiveStore } from '../../web/stores/live';

/** An EventSource stand-in that lets the test dispatch named events. */
function fakeEventSource() {
  const handlers = new Map<string, (e: MessageEvent) => void>();
  vi.stubGlobal('sessionStorage', { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  vi.stubGlobal('EventSource', class {
    addEventListener(name: string, fn: (e: MessageEvent) => void) {
      handlers.set(name, fn);
    }
    removeEventListener() {}
    close() {}
  });
  return (name: string, data: unknown, lastEventId = '') => handlers.get(name)?.({ data: JSON.stringify(data), lastEventId } as MessageEvent);
}

afterEach(() => vi.unstubAllGlobals());

describe('live store', () => {
  it('keeps the server\'s event id as it is (epoch-seq, not a number)', () => {
    const dispatch = fakeEventSource();
    setActivePinia(createPinia());
    const live = useLiveStore();
    live.connect();
    dispatch('issue.created', { issue: { id: 'I1' } }, '9f3a-12');
    expect(live.recent[0]).toMatchObject({ id: '9f3a-12', type: 'issue.created' });
  });

  it('asks for a reload when the server sends resync (it could not replay what was missed)', () => {
    const dispatch = fakeEventSource();
    setActivePinia(createPinia());
    const live = useLiveStore();
    live.connect();
    const before = live.revision;
    dispatch('resync', { reason: 'events since your last id are no longer available' }, '9f3a-0');
    expect(live.revision).toBe(before + 1);
  });
});
