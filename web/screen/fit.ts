/**
 * How many list rows fit a box. Lists on the wall show whole rows only: a half-cut row is clipped
 * text, and a scrolling list is useless to someone five metres away.
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** Rows of `rowPx` with `gapPx` between them that fit in `heightPx`, at most `max` and at least 0. */
export function fitCount(heightPx: number, rowPx: number, gapPx: number, max: number): number {
  if (heightPx <= 0 || rowPx <= 0) return 0;
  return Math.max(0, Math.min(max, Math.floor((heightPx + gapPx) / (rowPx + gapPx))));
}

/** The px size of 1rem right now (the screen sets it from the viewport height). */
export function remPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/**
 * The height of an element in rem, kept up to date by a ResizeObserver (the layout changes with
 * the wall's size, and the rem with its height). Disconnected on unmount.
 */
export function useHeightRem(el: Ref<HTMLElement | null>): Ref<number> {
  const height = ref(0);
  let observer: ResizeObserver | null = null;
  onMounted(() => {
    if (!el.value) return;
    observer = new ResizeObserver(() => {
      if (el.value) height.value = el.value.clientHeight / remPx();
    });
    observer.observe(el.value);
    height.value = el.value.clientHeight / remPx();
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    observer = null;
  });
  return height;
}
