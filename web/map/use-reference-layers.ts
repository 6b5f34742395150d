/**
 * Keeps the reference layers (water, roads, landmarks) of a map's view loaded: one request per
 * layer for a window around the view — the view grown by half its size each way, snapped to
 * tiles of the zoom so small pans reuse it (and the server's cache) — and a new one only when the
 * view leaves the window or the whole zoom changes. The last answer stays until the next arrives,
 * so roads never blink out while the map moves.
 */
import { shallowRef, watch, type Ref } from 'vue';
import { REFERENCE_LAYERS } from '../../server/domain/reference-layers';
import { lonLatToWorldPixel, worldPixelToLonLat } from '../../server/domain/mercator';
import { fetchReference } from '../api/civgrid';
import { NO_REFERENCE, type ReferenceData } from './layers/reference';

type Bbox = [number, number, number, number];

/** What the server is asked for: a box and a whole zoom. */
export interface ReferenceWindow {
  bbox: Bbox;
  zoom: number;
}

/** The server sends every class and full detail from this zoom on: no need to ask again closer in. */
const MAX_WINDOW_ZOOM = 17;
const TILE = 256;

/** The window to load for a view: the view grown by half each way, snapped out to the zoom's tiles. */
export function referenceWindow(view: { bounds: Bbox; zoom: number }): ReferenceWindow {
  const zoom = Math.max(0, Math.min(MAX_WINDOW_ZOOM, Math.floor(view.zoom)));
  const [w, s, e, n] = view.bounds;
  const [x0, y0] = lonLatToWorldPixel(w, n, zoom);
  const [x1, y1] = lonLatToWorldPixel(e, s, zoom);
  const padX = (x1 - x0) / 2;
  const padY = (y1 - y0) / 2;
  const size = TILE * 2 ** zoom;
  const snap = (v: number, up: boolean) => Math.max(0, Math.min(size, (up ? Math.ceil(v / TILE) : Math.floor(v / TILE)) * TILE));
  const [west, north] = worldPixelToLonLat(snap(x0 - padX, false), snap(y0 - padY, false), zoom);
  const [east, south] = worldPixelToLonLat(snap(x1 + padX, true), snap(y1 + padY, true), zoom);
  return { bbox: [west, south, east, north], zoom };
}

/** Whether a loaded window still serves a view: same whole zoom (capped) and the view inside it. */
export function windowServes(loaded: ReferenceWindow | null, view: { bounds: Bbox; zoom: number }): boolean {
  if (!loaded) return false;
  const [w, s, e, n] = view.bounds;
  const [lw, ls, le, ln] = loaded.bbox;
  return loaded.zoom === Math.min(MAX_WINDOW_ZOOM, Math.floor(view.zoom)) && w >= lw && s >= ls && e <= le && n <= ln;
}

/**
 * The reference layers for `view` (WGS84 bounds and zoom, as MapView reports them), loaded while
 * `enabled`. A failed load keeps what was drawn: the map stays usable without its roads.
 */
export function useReferenceLayers(view: Ref<{ bounds: Bbox; zoom: number } | null>, enabled: Ref<boolean>): Ref<ReferenceData> {
  const data = shallowRef<ReferenceData>(NO_REFERENCE);
  let loaded: ReferenceWindow | null = null;
  let pending: AbortController | null = null;

  async function load(v: { bounds: Bbox; zoom: number }): Promise<void> {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    const win = referenceWindow(v);
    try {
      const [water, roads, poi] = await Promise.all(REFERENCE_LAYERS.map((layer) => fetchReference(layer, win, controller.signal)));
      if (pending !== controller) return;
      loaded = win;
      data.value = { water, roads, poi };
    } catch (err) {
      if (!controller.signal.aborted) console.warn(`[map] reference layers not loaded: ${(err as Error).message}`);
    } finally {
      if (pending === controller) pending = null;
    }
  }

  watch([view, enabled], ([v, on]) => {
    if (!v || !on || windowServes(loaded, v)) return;
    void load(v);
  }, { immediate: true });

  return data;
}
