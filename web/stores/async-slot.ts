/**
 * One piece of remote data with its loading state, where a new request cancels the previous one
 * and the previous value stays visible until the new one arrives (no flicker, no stale overwrite).
 */
import { shallowRef, type ShallowRef } from 'vue';
import { ApiError } from '../api/client';

/** What a panel shows for one piece of data. */
export interface SlotState<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: T | null;
  error: string | null;
}

/** A reactive slot and its loader. */
export interface AsyncSlot<T> {
  state: ShallowRef<SlotState<T>>;
  /** Runs `fetcher`, cancelling any request still running; resolves when this one settles. */
  load(fetcher: (signal: AbortSignal) => Promise<T>): Promise<void>;
  /** Cancels and forgets (e.g. the panel no longer needs it). */
  reset(): void;
}

/** Error text for the panel: the server's message when it sent one. */
export function errorText(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

/** Creates a slot. */
export function asyncSlot<T>(): AsyncSlot<T> {
  const state = shallowRef<SlotState<T>>({ status: 'idle', data: null, error: null });
  let controller: AbortController | null = null;

  async function load(fetcher: (signal: AbortSignal) => Promise<T>): Promise<void> {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    state.value = { ...state.value, status: 'loading', error: null };
    try {
      const data = await fetcher(mine.signal);
      if (controller === mine) state.value = { status: 'ready', data, error: null };
    } catch (err) {
      if (mine.signal.aborted || controller !== mine) return;
      state.value = { status: 'error', data: state.value.data, error: errorText(err) };
    } finally {
      if (controller === mine) controller = null;
    }
  }

  function reset(): void {
    controller?.abort();
    controller = null;
    state.value = { status: 'idle', data: null, error: null };
  }

  return { state, load, reset };
}
