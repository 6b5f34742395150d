/**
 * A value that follows its source after the map's frame, at most once per `minMs` while the source
 * keeps changing (a trailing throttle: the last change always arrives). For what may trail the
 * map by a moment without saying anything false — the trend chart's frame cursor during playback,
 * whose full chart update costs about as much as the map's whole frame.
 */
import { onScopeDispose, shallowRef, watch, type Ref } from 'vue';

/** `source()`'s value, updated `minMs` after the previous update at the earliest and never within the change's own frame. */
export function useSettled<T>(source: () => T, minMs: number): Readonly<Ref<T>> {
  const out = shallowRef(source());
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const apply = () => {
    timer = null;
    last = Date.now();
    out.value = source();
  };
  watch(source, () => {
    if (timer) return;
    // At least one frame's time, so the map's frame is drawn first.
    timer = setTimeout(apply, Math.max(FRAME_MS, last + minMs - Date.now()));
  });
  onScopeDispose(() => {
    if (timer) clearTimeout(timer);
  });
  return out;
}

/** One display frame at 60 Hz. */
const FRAME_MS = 17;
