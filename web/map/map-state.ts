/**
 * What a map component shows of its map's life: loading until MapLibre's first idle, then ready,
 * or an error with its message (no WebGL, a broken style) in place of a blank box. Both map
 * components expose it as `data-map-state`, so tests and styles can tell when the first frame
 * is drawn.
 */
import { readonly, ref } from 'vue';

/** The states of a map, in the order they happen. */
export type MapState = 'loading' | 'ready' | 'error';

/** A map component's state, the error's message, and the two ways out of `loading`. */
export function useMapState() {
  const state = ref<MapState>('loading');
  const errorMessage = ref('');
  return {
    state: readonly(state),
    errorMessage: readonly(errorMessage),
    /** The first frame is drawn (MapLibre's first `idle`). */
    ready(): void {
      state.value = 'ready';
    },
    /** The map cannot be shown; `message` says why. */
    fail(message: string): void {
      errorMessage.value = message;
      state.value = 'error';
    },
  };
}
