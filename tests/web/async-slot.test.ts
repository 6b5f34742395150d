import { describe, expect, it } from 'vitest';
import { asyncSlot } from '../../web/stores/async-slot';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('asyncSlot', () => {
  it('keeps the previous data visible while the next request runs', async () => {
    const slot = asyncSlot<number>();
    await slot.load(async () => 1);
    const next = deferred<number>();
    const running = slot.load(() => next.promise);
    expect(slot.state.value).toEqual({ status: 'loading', data: 1, error: null });
    next.resolve(2);
    await running;
    expect(slot.state.value).toEqual({ status: 'ready', data: 2, error: null });
  });

  it('cancels the older request, whose late answer is dropped', async () => {
    const slot = asyncSlot<string>();
    const old = deferred<string>();
    let signal: AbortSignal | undefined;
    const first = slot.load((s) => ((signal = s), old.promise));
    const second = slot.load(async () => 'new');
    expect(signal?.aborted).toBe(true);
    old.resolve('old');
    await Promise.all([first, second]);
    expect(slot.state.value.data).toBe('new');
  });

  it('reports a failure with the message and keeps the last good data', async () => {
    const slot = asyncSlot<number>();
    await slot.load(async () => 7);
    await slot.load(async () => {
      throw new Error('服务器错误');
    });
    expect(slot.state.value).toEqual({ status: 'error', data: 7, error: '服务器错误' });
  });
});
