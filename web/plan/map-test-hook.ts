/**
 * The planner map's hook for browser tests, installed only under automation (navigator.webdriver):
 * screen positions of map coordinates to click at, and a way to put the camera somewhere exact.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';

/** `window.__civgridPlanMap`. */
export interface PlanMapTestHook {
  project(lon: number, lat: number): { x: number; y: number };
  jumpTo(lon: number, lat: number, zoom: number): void;
  zoom(): number;
  bounds(): number[];
}

declare global {
  interface Window {
    __civgridPlanMap?: PlanMapTestHook;
  }
}

/** Installs the hook for `instance` when a browser test drives the page. */
export function exposePlanMapHook(instance: MapLibreMap): void {
  if (typeof navigator === 'undefined' || !navigator.webdriver) return;
  window.__civgridPlanMap = {
    project: (lon, lat) => {
      const { x, y } = instance.project([lon, lat]);
      const box = instance.getCanvas().getBoundingClientRect();
      return { x: box.left + x, y: box.top + y };
    },
    jumpTo: (lon, lat, zoom) => {
      instance.jumpTo({ center: [lon, lat], zoom });
    },
    zoom: () => instance.getZoom(),
    bounds: () => instance.getBounds().toArray().flat(),
  };
}

/** Removes the hook (the map is going away). */
export function removePlanMapHook(): void {
  delete window.__civgridPlanMap;
}
