/**
 * The one way civgrid creates a MapLibre map, for the workspace and planner (MapView) and the big
 * screen (ScreenMap) alike: north up and flat — no rotation or pitch by mouse or touch, since
 * names, bins and grids are drawn for a north-up plane — and no built-in attribution control
 * (MapView adds one only under an online basemap). The worker is a separate ES module that Vite
 * emits as an asset; MapLibre is pointed at it once, before any map exists. Listeners go on and
 * come off together (`listen`), so an unmount cannot leave one behind.
 */
import { Map as MapLibreMap, setWorkerUrl, type MapEventType, type MapOptions } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

setWorkerUrl(workerUrl);

/**
 * A flat, north-up map with `options`, or the error message when MapLibre cannot start (it throws
 * synchronously when WebGL is unavailable) so the component can show it instead of a blank box.
 */
export function createFlatMap(options: Omit<MapOptions, 'attributionControl' | 'dragRotate' | 'pitchWithRotate'>): { map: MapLibreMap } | { error: string } {
  let map: MapLibreMap;
  try {
    map = new MapLibreMap({ ...options, attributionControl: false, dragRotate: false, pitchWithRotate: false });
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  map.touchZoomRotate.disableRotation();
  return { map };
}

/** A map's listeners by event name, typed by MapLibre's events. */
export type MapListeners = { [T in keyof MapEventType]?: (ev: MapEventType[T] & Object) => void };

/**
 * Adds `listeners` to `map`, and `once` for their next event only; returns what removes every one
 * of them again (a `once` listener that has not fired yet included), for the component's unmount.
 */
export function listen(map: MapLibreMap, listeners: MapListeners, once: MapListeners = {}): () => void {
  const removers: (() => void)[] = [];
  // Generic in the event name, so each listener keeps the type of its own event.
  const add = <T extends keyof MapEventType>(type: T, from: MapListeners, one: boolean) => {
    const listener = from[type];
    if (!listener) return;
    if (one) map.once(type, listener);
    else map.on(type, listener);
    removers.push(() => map.off(type, listener));
  };
  for (const type of Object.keys(listeners) as (keyof MapEventType)[]) add(type, listeners, false);
  for (const type of Object.keys(once) as (keyof MapEventType)[]) add(type, once, true);
  return () => removers.forEach((remove) => remove());
}
