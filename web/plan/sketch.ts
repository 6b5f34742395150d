/**
 * The planner's sketching on the map with terra-draw (a maintained drawing library with a MapLibre
 * adapter): a line for splitting, a freehand outline for redrawing. terra-draw only draws the
 * sketch; what the sketch does to the shared topology is the server's job, so as soon as a sketch
 * is finished it is handed over and cleared.
 *
 * The sketch lives in MapLibre layers, i.e. under deck.gl's canvas (`interleaved: false`), which
 * is why the planner fades its grid fill while a sketch tool is active.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { TerraDraw, TerraDrawFreehandMode, TerraDrawLineStringMode, type TerraDrawMouseEvent } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { LonLat } from './geometry';

/** What the sketch is drawing. */
export type SketchMode = 'off' | 'line' | 'freehand';

/** Callbacks of a {@link Sketch}. */
export interface SketchHandlers {
  /** Snaps a pointer position (lon/lat and container pixels); undefined keeps it where it is. */
  snap: (lngLat: LonLat, px: [number, number]) => LonLat | undefined;
  /** A finished split line. */
  line: (coordinates: LonLat[]) => void;
  /** A finished freehand outline (closed ring). */
  outline: (ring: LonLat[]) => void;
}

/** The sketch controller of one map. */
export interface Sketch {
  setMode(mode: SketchMode): void;
  /** Drops a half-drawn sketch, staying in the same mode. */
  cancel(): void;
  destroy(): void;
}

const SKETCH = '#c2410c';

const MODE_NAMES: Record<SketchMode, string> = { off: 'static', line: 'linestring', freehand: 'freehand' };

/** Starts terra-draw on the map (which must have loaded its style). */
export function createSketch(map: MapLibreMap, handlers: SketchHandlers): Sketch {
  const draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: 9 }),
    modes: [
      new TerraDrawLineStringMode({
        snapping: { toCustom: (e: TerraDrawMouseEvent) => handlers.snap([e.lng, e.lat], [e.containerX, e.containerY]) },
        styles: {
          lineStringColor: SKETCH, lineStringWidth: 3, closingPointColor: '#ffffff', closingPointOutlineColor: SKETCH, closingPointWidth: 5,
          closingPointOutlineWidth: 2, snappingPointColor: '#facc15', snappingPointOutlineColor: SKETCH, snappingPointWidth: 6, snappingPointOutlineWidth: 2,
        },
      }),
      new TerraDrawFreehandMode({
        drawInteraction: 'click-move-or-drag',
        styles: { fillColor: SKETCH, fillOpacity: 0.15, outlineColor: SKETCH, outlineWidth: 3, closingPointColor: '#ffffff', closingPointOutlineColor: SKETCH },
      }),
    ],
  });
  let mode: SketchMode = 'off';

  const onFinish = (id: string | number) => {
    const feature = draw.getSnapshotFeature(id);
    // Hand the sketch over and forget it: the server's answer redraws the grids.
    draw.clear();
    if (!feature) return;
    const g = feature.geometry;
    if (g.type === 'LineString') handlers.line(g.coordinates.map((p) => [p[0], p[1]]));
    else if (g.type === 'Polygon') handlers.outline(g.coordinates[0].map((p) => [p[0], p[1]]));
  };
  draw.on('finish', onFinish);
  draw.start();
  draw.setMode('static');

  return {
    setMode(next) {
      if (next === mode) return;
      draw.clear();
      mode = next;
      draw.setMode(MODE_NAMES[next]);
    },
    cancel() {
      draw.clear();
    },
    destroy() {
      draw.off('finish', onFinish);
      draw.stop();
    },
  };
}
