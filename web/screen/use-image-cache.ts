/**
 * Photo images held by the wall's carousel: fetched with the token (an `<img src>` cannot send
 * one) ahead of their turn, kept as object URLs while wanted and released as soon as they are not,
 * so a wall that runs for months does not pile up blobs.
 */
import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue';
import { fetchPhotoImage } from '../api/civgrid';

/** `src(url)`: the object URL once loaded; `settled(url)`: loaded or failed (a broken image must not hold the carousel up). */
export function useImageCache(wanted: Ref<readonly string[]>): { src: (url: string) => string | null; settled: (url: string) => boolean } {
  const loaded = shallowRef(new Map<string, string>());
  const failed = shallowRef(new Set<string>());
  const inflight = new Map<string, AbortController>();

  const sync = (urls: readonly string[]) => {
    const keep = new Set(urls);
    const nextLoaded = new Map(loaded.value);
    for (const [url, src] of nextLoaded) {
      if (!keep.has(url)) {
        URL.revokeObjectURL(src);
        nextLoaded.delete(url);
      }
    }
    for (const [url, controller] of inflight) {
      if (!keep.has(url)) {
        controller.abort();
        inflight.delete(url);
      }
    }
    loaded.value = nextLoaded;
    failed.value = new Set([...failed.value].filter((url) => keep.has(url)));
    for (const url of keep) {
      if (nextLoaded.has(url) || inflight.has(url) || failed.value.has(url)) continue;
      const controller = new AbortController();
      inflight.set(url, controller);
      fetchPhotoImage(url, controller.signal).then(
        (blob) => {
          if (inflight.get(url) !== controller) return;
          inflight.delete(url);
          loaded.value = new Map(loaded.value).set(url, URL.createObjectURL(blob));
        },
        () => {
          if (inflight.get(url) !== controller) return;
          inflight.delete(url);
          failed.value = new Set(failed.value).add(url);
        },
      );
    }
  };
  watch(wanted, sync, { immediate: true });
  onBeforeUnmount(() => sync([]));
  return {
    src: (url) => loaded.value.get(url) ?? null,
    settled: (url) => loaded.value.has(url) || failed.value.has(url),
  };
}
