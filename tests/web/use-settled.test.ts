import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { useSettled } from '../../web/workspace/use-settled';

afterEach(() => {
  vi.useRealTimers();
});

describe('useSettled: a value that trails a fast-changing source', () => {
  it('takes a change after a frame, then at most once per interval, ending on the last value', async () => {
    vi.useFakeTimers();
    const source = ref(0);
    const scope = effectScope();
    const settled = scope.run(() => useSettled(() => source.value, 250))!;
    expect(settled.value).toBe(0);
    source.value = 1;
    await nextTick();
    // Not within the change's own frame: the map draws first.
    expect(settled.value).toBe(0);
    await vi.advanceTimersByTimeAsync(20);
    expect(settled.value).toBe(1);
    // Frames every 30 ms: the value follows every 250 ms, not every frame.
    for (let i = 2; i <= 8; i++) {
      source.value = i;
      await nextTick();
      await vi.advanceTimersByTimeAsync(30);
    }
    expect(settled.value).toBeLessThan(8);
    await vi.advanceTimersByTimeAsync(250);
    expect(settled.value).toBe(8);
    scope.stop();
  });
});
