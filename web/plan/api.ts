/**
 * The planner's calls to `/api/plans` (and the grid import), one function per endpoint, all
 * through the typed client so paths, bodies and answers are checked against the server routes.
 */
import type { LineString, Polygon } from 'geojson';
import { api, ApiError, call } from '../api/client';
import type { LonLat } from './geometry';

const id = (plan: number) => ({ id: String(plan) });

/** `GET /api/plans`: every plan with status, author, times and grid count. */
export function listPlans(signal?: AbortSignal) {
  return call(api.api.plans.$get(undefined, { init: { signal } }), signal);
}
export type PlanRow = Awaited<ReturnType<typeof listPlans>>[number];

/** `GET /api/plans/:id`: the plan with its grids (GeoJSON) and undo/redo depth. */
export function fetchPlan(plan: number, signal?: AbortSignal) {
  return call(api.api.plans[':id'].$get({ param: id(plan) }, { init: { signal } }), signal);
}

/** `POST /api/plans`: a draft copying `from` (default the published plan), or an empty one. */
export function createPlan(body: { name: string; from?: number; empty?: boolean }) {
  return call(api.api.plans.$post({ json: body }));
}

/** `PATCH /api/plans/:id`: renames a draft. */
export function renamePlan(plan: number, name: string) {
  return call(api.api.plans[':id'].$patch({ param: id(plan), json: { name } }));
}

/** `DELETE /api/plans/:id`: discards a draft. */
export function discardPlan(plan: number) {
  return call(api.api.plans[':id'].$delete({ param: id(plan) }));
}

/** `POST /api/plans/:id/split`: splits `grid` along a line drawn across it. */
export function splitGrid(plan: number, grid: string, line: LonLat[]) {
  const geometry: LineString = { type: 'LineString', coordinates: line };
  return call(api.api.plans[':id'].split.$post({ param: id(plan), json: { grid, line: geometry as { type: 'LineString'; coordinates: number[][] } } }));
}
export type EditOutcome = Awaited<ReturnType<typeof splitGrid>>;

/** `POST /api/plans/:id/merge`: merges neighbouring grids; the first code survives. */
export function mergeGrids(plan: number, grids: string[]) {
  return call(api.api.plans[':id'].merge.$post({ param: id(plan), json: { grids } }));
}

/** What `PUT /api/plans/:id/grids/:code` may change. */
export interface GridChange {
  geometry?: Polygon;
  name?: string;
  inspector?: string | null;
  households?: number | null;
  community?: string;
  code?: string;
}

/** `PUT /api/plans/:id/grids/:code`: redraw (neighbours adjust) and/or attributes. */
export function updateGrid(plan: number, code: string, change: GridChange) {
  const json = change as Omit<GridChange, 'geometry'> & { geometry?: { type: 'Polygon'; coordinates: number[][][] } };
  return call(api.api.plans[':id'].grids[':code'].$put({ param: { ...id(plan), code }, json }));
}

/** A vertex edit: move (with `to`), insert on an edge, or delete. */
export type VertexOp = { op: 'move'; at: LonLat; to: LonLat } | { op: 'insert' | 'delete'; at: LonLat };

/** `POST /api/plans/:id/vertices`: every grid sharing the vertex changes together. */
export function editVertex(plan: number, edit: VertexOp) {
  // A little slack beyond the server default: positions travel through JSON and screen maths.
  return call(api.api.plans[':id'].vertices.$post({ param: id(plan), json: { ...edit, tolerance: 1e-7 } }));
}

/** `POST /api/plans/:id/undo`. */
export function undoEdit(plan: number) {
  return call(api.api.plans[':id'].undo.$post({ param: id(plan) }));
}

/** `POST /api/plans/:id/redo`. */
export function redoEdit(plan: number) {
  return call(api.api.plans[':id'].redo.$post({ param: id(plan) }));
}

/** `GET /api/plans/:id/validate`: 不重不漏 findings. */
export function validatePlan(plan: number, signal?: AbortSignal) {
  return call(api.api.plans[':id'].validate.$get({ param: id(plan), query: {} }, { init: { signal } }), signal);
}
export type Validation = Awaited<ReturnType<typeof validatePlan>>;
export type Finding = Validation['errors'][number];

/** The metrics window and band the planner chose. */
export interface MetricsParams {
  from?: string;
  to?: string;
  /** ± ratio around the mean, e.g. 0.3. */
  band?: number;
}

/** `GET /api/plans/:id/metrics`: per grid and per plan, beside the published plan. */
export function fetchMetrics(plan: number, p: MetricsParams, signal?: AbortSignal) {
  const query: Record<string, string> = {};
  if (p.from) query.from = p.from;
  if (p.to) query.to = p.to;
  if (p.band !== undefined) query.band = String(p.band);
  return call(api.api.plans[':id'].metrics.$get({ param: id(plan), query }, { init: { signal } }), signal);
}
export type Metrics = Awaited<ReturnType<typeof fetchMetrics>>;

/** `GET /api/plans/:id/topology`: nodes and arcs per community, for vertex editing. */
export function fetchTopology(plan: number, community?: string, signal?: AbortSignal) {
  return call(api.api.plans[':id'].topology.$get({ param: id(plan), query: community ? { community } : {} }, { init: { signal } }), signal);
}

/** `GET /api/plans/:id/changes`: who changed what, newest first. */
export function fetchChanges(plan: number, signal?: AbortSignal) {
  return call(api.api.plans[':id'].changes.$get({ param: id(plan) }, { init: { signal } }), signal);
}
export type Change = Awaited<ReturnType<typeof fetchChanges>>[number];

/** `GET /api/plans/:a/diff/:b`: what changes from plan a to plan b. */
export function fetchDiff(a: number, b: number, signal?: AbortSignal) {
  return call(api.api.plans[':a'].diff[':b'].$get({ param: { a: String(a), b: String(b) } }, { init: { signal } }), signal);
}
export type PlanDiff = Awaited<ReturnType<typeof fetchDiff>>;

/** `POST /api/plans/:id/publish`: refused (409) while validation finds errors. */
export function publishPlan(plan: number) {
  return call(api.api.plans[':id'].publish.$post({ param: id(plan) }));
}

/** A file to save, as the server named it. */
interface Download {
  blob: Blob;
  filename: string;
}

/** `GET /api/plans/:id/export`: the grids as GeoJSON or a zipped Shapefile. */
export async function exportPlan(plan: number, format: 'geojson' | 'shapefile'): Promise<Download> {
  const res = await api.api.plans[':id'].export.$get({ param: id(plan), query: { format } });
  if (!res.ok) {
    // Error answers are JSON; `call` turns them into the usual ApiError.
    await call(Promise.resolve(res));
    throw new ApiError('http', `HTTP ${res.status}`, res.status);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `plan-${plan}.${format === 'shapefile' ? 'zip' : 'geojson'}`;
  return { blob: await res.blob(), filename };
}

/** `POST /api/plans/ID/import?filename=…`: imports a grid file into a draft (upserts by code; undoable). */
export function importGrids(plan: number, file: File) {
  return call(api.api.plans[':id'].import.$post({ param: { id: String(plan) }, query: { filename: file.name } }, { init: { body: file } }));
}
export type ImportReport = Awaited<ReturnType<typeof importGrids>>;
