/**
 * An object URL for a photo image fetched with the signed-in token (an `<img src>` cannot send one),
 * released when the URL changes or the component goes away.
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { fetchPhotoImage } from '../../api/civgrid';

export function usePhotoImage(url: Ref<string | null | undefined>): { src: Ref<string | null>; failed: Ref<boolean> } {
  const src = ref<string | null>(null);
  const failed = ref(false);
  let controller: AbortController | null = null;
  const release = () => {
    controller?.abort();
    controller = null;
    if (src.value) URL.revokeObjectURL(src.value);
    src.value = null;
  };
  watch(url, async (next) => {
    release();
    failed.value = false;
    if (!next) return;
    const mine = new AbortController();
    controller = mine;
    try {
      const blob = await fetchPhotoImage(next, mine.signal);
      if (controller === mine) src.value = URL.createObjectURL(blob);
    } catch {
      if (!mine.signal.aborted) failed.value = true;
    }
  }, { immediate: true });
  onBeforeUnmount(release);
  return { src, failed };
}
