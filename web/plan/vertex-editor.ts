/**
 * Pointer handling of the vertex tool on a MapLibre map: hover a vertex, drag it (the preview
 * follows what the server will allow: free, sliding along the outline, or pinned), click to select
 * it for Delete, double-click an edge to insert a vertex. The geometry decisions are the pure
 * functions of vertices.ts; this file only turns map events into them. Every `map.on` here has
 * its `off` in `destroy`.
 */
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { Bbox, LonLat } from './geometry';
import type { Project, Px } from './snap';
import { constrainMove, dragPreview, edgePointAt, vertexAt, type VertexModel } from './vertices';

/** What the vertex layers draw. */
export interface VertexEditorView {
  hover: number;
  selected: number;
  preview: LonLat[][];
  insertAt: LonLat | null;
  /** What the pointer means here: drag a vertex, a fixed vertex, insert on an edge, or nothing. */
  cursor: '' | 'grab' | 'not-allowed' | 'copy';
}

/** Callbacks of the vertex editor. */
export interface VertexEditorHandlers {
  model: () => VertexModel | null;
  view: (v: VertexEditorView) => void;
  move: (at: LonLat, to: LonLat) => void;
  insert: (at: LonLat) => void;
  /** A gesture the server would refuse, named by its error code (a pinned vertex). */
  refuse: (code: 'pinned_vertex') => void;
}

/** Pick radius of a handle, px. */
const PICK_PX = 9;
/** How near an edge (px) a double-click inserts a vertex. */
const EDGE_PX = 6;
/** A press that moves less than this is a click, not a drag. */
const DRAG_PX = 3;

/** The vertex tool's controller; `selected()` names the vertex Delete removes. */
export interface VertexEditor {
  selected(): number;
  clearSelection(): void;
  destroy(): void;
}

/** Attaches the vertex tool to the map. */
export function createVertexEditor(map: MapLibreMap, h: VertexEditorHandlers): VertexEditor {
  const project: Project = (p) => {
    const { x, y } = map.project(p);
    return [x, y];
  };
  const near = (px: Px, tol: number): Bbox => {
    const a = map.unproject([px[0] - tol, px[1] + tol]);
    const b = map.unproject([px[0] + tol, px[1] - tol]);
    return [a.lng, a.lat, b.lng, b.lat];
  };
  let view: VertexEditorView = { hover: -1, selected: -1, preview: [], insertAt: null, cursor: '' };
  let drag: { vertex: number; from: Px; to: LonLat | null } | null = null;
  const set = (patch: Partial<VertexEditorView>) => {
    view = { ...view, ...patch };
    h.view(view);
  };

  const onMove = (e: MapMouseEvent) => {
    const model = h.model();
    if (!model) return;
    const px: Px = [e.point.x, e.point.y];
    if (drag) {
      const v = model.vertices[drag.vertex];
      const moved = Math.hypot(px[0] - drag.from[0], px[1] - drag.from[1]) >= DRAG_PX;
      drag.to = moved ? constrainMove(v, [e.lngLat.lng, e.lngLat.lat]) : null;
      set({ preview: drag.to ? dragPreview(v, drag.to) : [], insertAt: null });
      return;
    }
    const hover = vertexAt(model, px, project, PICK_PX, near(px, PICK_PX));
    const insertAt = hover < 0 ? edgePointAt(model, px, project, EDGE_PX, near(px, EDGE_PX)) : null;
    const cursor = hover >= 0 ? (model.vertices[hover].kind === 'pinned' ? 'not-allowed' : 'grab') : insertAt ? 'copy' : '';
    if (hover !== view.hover || insertAt !== view.insertAt || cursor !== view.cursor) set({ hover, insertAt, cursor });
  };

  const onDown = (e: MapMouseEvent) => {
    const model = h.model();
    if (!model || e.originalEvent.button !== 0) return;
    const px: Px = [e.point.x, e.point.y];
    const v = vertexAt(model, px, project, PICK_PX, near(px, PICK_PX));
    if (v < 0) return;
    // Stops MapLibre from panning for this gesture: the press belongs to the vertex.
    e.preventDefault();
    if (model.vertices[v].kind === 'pinned') {
      h.refuse('pinned_vertex');
      set({ selected: v });
      return;
    }
    drag = { vertex: v, from: px, to: null };
    set({ selected: v });
  };

  const onUp = () => {
    if (!drag) return;
    const model = h.model();
    const { vertex, to } = drag;
    drag = null;
    set({ preview: [] });
    if (model && to) h.move(model.vertices[vertex].at, to);
  };

  const onDblClick = (e: MapMouseEvent) => {
    const model = h.model();
    if (!model) return;
    e.preventDefault();
    const px: Px = [e.point.x, e.point.y];
    if (vertexAt(model, px, project, PICK_PX, near(px, PICK_PX)) >= 0) return;
    const at = edgePointAt(model, px, project, EDGE_PX, near(px, EDGE_PX));
    if (at) h.insert(at);
  };

  const zoomOnDblClick = map.doubleClickZoom.isEnabled();
  map.doubleClickZoom.disable();
  map.on('mousemove', onMove);
  map.on('mousedown', onDown);
  map.on('mouseup', onUp);
  map.on('dblclick', onDblClick);

  return {
    selected: () => view.selected,
    clearSelection: () => set({ selected: -1, preview: [] }),
    destroy() {
      map.off('mousemove', onMove);
      map.off('mousedown', onDown);
      map.off('mouseup', onUp);
      map.off('dblclick', onDblClick);
      if (zoomOnDblClick) map.doubleClickZoom.enable();
    },
  };
}
