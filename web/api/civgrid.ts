/**
 * Typed calls to the civgrid API, one function per endpoint and one signature each: the workspace,
 * the big screen, the planner and the sign-in page all fetch through here. Parameters and answers
 * are the server routes' own types (through the typed client `api`); where that inference stops
 * short, answers.ts reads the answer back with checks instead of casts.
 */
import type { ClientResponse, InferRequestType } from 'hono/client';
import type { ReferenceLayer } from '../../server/domain/reference-layers';
import type { LonLat } from '../plan/geometry';
import type { ChoroplethMetric } from '../map/layers/colours';
import type { GridCollection, GridProperties } from '../map/layers/grid-choropleth';
import type { ValuesAnswer } from '../map/layers/grid-values';
import { readGeometryFile, readTree, storedGeometry, type NodeFields } from './answers';
import { authorizedFetch } from '../auth/token-store';
import { api, ApiError, call } from './client';
import type { CategoryNode, Health, RegionCollection, RegionLayers, RegionLevel, RegionNode } from './types';

const init = (signal?: AbortSignal) => ({ init: { signal } });

/** `GET /api/health`: server liveness and table counts. */
export async function fetchHealth(signal?: AbortSignal): Promise<Health> {
  const health = await call(api.api.health.$get(undefined, init(signal)), signal);
  if (typeof health?.counts?.regions !== 'number') {
    throw new ApiError('invalid', '服务器健康检查返回的数据格式不正确');
  }
  return health;
}

/** `GET /api/auth/me` with `token`: whose token it is and what that role may do. */
export function fetchIdentity(token: string) {
  return call(api.api.auth.me.$get(undefined, { headers: { authorization: `Bearer ${token}` } }));
}
export type Identity = Awaited<ReturnType<typeof fetchIdentity>>;

const regionFields: NodeFields<RegionNode> = ({ code, name, level }) =>
  typeof code === 'string' && typeof name === 'string' && typeof level === 'string' ? { code, name, level } : null;

const categoryFields: NodeFields<CategoryNode> = ({ code, name, nameEn, kind, limit, limitUnit }) =>
  typeof code === 'string' && typeof name === 'string' && typeof kind === 'string'
    && (typeof nameEn === 'string' || nameEn === null)
    && (typeof limit === 'number' || limit === null) && (typeof limitUnit === 'string' || limitUnit === null)
    ? { code, name, nameEn, kind, limit, limitUnit }
    : null;

/** `GET /api/meta`: taxonomy, site types, vocabularies, data range, published plan, region tree. */
export async function fetchMeta(signal?: AbortSignal) {
  const meta = await call(api.api.meta.$get(undefined, init(signal)), signal);
  return {
    ...meta,
    regions: readTree(meta.regions, regionFields, '区域树'),
    categories: readTree(meta.categories, categoryFields, '问题类别树'),
  };
}
export type Meta = Awaited<ReturnType<typeof fetchMeta>>;

/** `GET /api/screen-config`: data/screen.json as the server validated it. */
export function fetchScreenConfig(signal?: AbortSignal) {
  return call(api.api['screen-config'].$get(undefined, init(signal)), signal);
}

/** `GET /api/geometry`: the current version of each geometry file. */
export function fetchGeometryIndex(signal?: AbortSignal) {
  return call(api.api.geometry.$get(undefined, init(signal)), signal);
}

const isText = (v: unknown): v is string => typeof v === 'string';
const textOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

const regionProperties = ({ code, name, level, parent, areaKm2 }: Record<string, unknown>) =>
  isText(code) && isText(name) && isText(level) && textOrNull(parent) && typeof areaKm2 === 'number'
    ? { code, name, level: level as RegionLevel, parent, areaKm2 }
    : null;

/** One level's geometry file of `version` (immutable: the browser keeps it), every feature an area. */
async function fetchRegionFile(level: 'district' | 'street' | 'community', version: string, signal?: AbortSignal): Promise<RegionCollection> {
  const body: unknown = await call(api.api.geometry.regions[':level'][':file'].$get({ param: { level, file: `${version}.json` } }, init(signal)), signal);
  const fc = readGeometryFile(body, regionProperties, `区域（${level}）`);
  const features = fc.features.map((f) => {
    const g = f.geometry;
    if (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon') throw new ApiError('invalid', `区域 ${f.id} 没有面状边界`);
    return { ...f, geometry: g };
  });
  return { type: 'FeatureCollection', features };
}

/** All three levels at once, which is what the basemap draws: from the geometry files, kept by the browser across visits. */
export async function fetchRegionLayers(signal?: AbortSignal, index = fetchGeometryIndex(signal)): Promise<RegionLayers> {
  const { regions } = await index;
  const [district, street, community] = await Promise.all([
    fetchRegionFile('district', regions.district.version, signal),
    fetchRegionFile('street', regions.street.version, signal),
    fetchRegionFile('community', regions.community.version, signal),
  ]);
  return { district, street, community };
}

const gridProperties = ({ code, name, community, street, inspector, households }: Record<string, unknown>): GridProperties | null =>
  isText(code) && isText(name) && isText(community) && textOrNull(street) && textOrNull(inspector) && (households === null || typeof households === 'number')
    ? { code, name, community, street, inspector, households }
    : null;

/** The published grids' geometry file of `version` (immutable: the browser keeps it); values align to its order. */
export async function fetchGridGeometry(version: string, signal?: AbortSignal): Promise<GridCollection> {
  const body: unknown = await call(api.api.geometry.grids[':file'].$get({ param: { file: `${version}.json` } }, init(signal)), signal);
  return readGeometryFile(body, gridProperties, '网格');
}

/**
 * The common filter parameters of every analytics route, as the web app holds them: lists stay
 * lists and go out as repeated parameters.
 */
export interface FilterParams {
  scope?: string;
  from?: string;
  to?: string;
  category?: string[];
  source?: string[];
  status?: string[];
  siteType?: string[];
  /** Accountable departments (codes). */
  department?: string[];
}

/** The common filters as the routes take them. */
type FilterQuery = InferRequestType<typeof api.api.stats.summary.$get>['query'];

const text = (v: string | undefined) => v || undefined;
const list = (v: readonly string[] | undefined) => (v?.length ? [...v] : undefined);

/**
 * The parameters as the typed client sends them: empty lists and unset values are undefined,
 * which the client leaves out, so an unset filter never reaches the server as `category=`.
 */
export function filterQuery(p: FilterParams): FilterQuery {
  return {
    scope: text(p.scope), from: text(p.from), to: text(p.to),
    category: list(p.category), source: list(p.source), status: list(p.status), siteType: list(p.siteType),
    department: list(p.department),
  };
}

/** Whether a GeoJSON route sends shapes, and how simplified (metres). */
interface ShapeOptions {
  /** False: features with geometry null (KPIs and statuses only). */
  geometry?: boolean;
  simplifyM?: number;
}

function shapeQuery(o: ShapeOptions) {
  if (o.geometry === false) return { geometry: '0' as const };
  return o.simplifyM === undefined ? {} : { simplify: String(o.simplifyM) };
}

/**
 * `GET /api/grids/values`: `metrics` of every grid for the filters, aligned to the grid geometry
 * file; `version` is the one held (null: none yet); another than the current one rejects with 409 `stale_geometry`.
 */
export async function fetchGridValues(p: FilterParams, o: { metrics: readonly ChoroplethMetric[]; version: string | null }, signal?: AbortSignal): Promise<ValuesAnswer> {
  const query = { ...filterQuery(p), metric: [...o.metrics], version: o.version ?? undefined };
  // A filter click sends a panel's worth of requests at once; the map's colours go first.
  return call(api.api.grids.values.$get({ query }, { init: { signal, priority: 'high' } }), signal);
}

/** Which key sites `/api/sites` lists and what it adds. */
interface SiteOptions extends ShapeOptions {
  /** Site types to list (default: all). */
  types?: readonly string[];
  /** Adds each site's zone polygon. */
  zones?: boolean;
}

/** `GET /api/sites`: key sites with KPIs and status; `zone` is null unless asked for. */
export async function fetchSites(p: FilterParams, o: SiteOptions = {}, signal?: AbortSignal) {
  const query = { ...filterQuery(p), type: list(o.types), zones: o.zones ? ('1' as const) : undefined, ...shapeQuery(o) };
  const fc = await call(api.api.sites.$get({ query }, init(signal)), signal);
  const features = fc.features.map((f) => ({
    ...f,
    geometry: storedGeometry(f.geometry),
    properties: { ...f.properties, zone: storedGeometry(f.properties.zone ?? null) },
  }));
  return { ...fc, features };
}
export type SitesAnswer = Awaited<ReturnType<typeof fetchSites>>;

/** `GET /api/stats/summary`: KPIs of the scope with 环比 and 同比. */
export function fetchSummary(p: FilterParams, signal?: AbortSignal) {
  return call(api.api.stats.summary.$get({ query: filterQuery(p) }, init(signal)), signal);
}
export type Summary = Awaited<ReturnType<typeof fetchSummary>>;
/** The KPI record every stats answer carries. */
export type Kpis = Summary['kpis'];

type TimeseriesQuery = InferRequestType<typeof api.api.stats.timeseries.$get>['query'];

/** `GET /api/stats/timeseries`. */
export function fetchTimeseries(p: FilterParams, interval: NonNullable<TimeseriesQuery['interval']>, signal?: AbortSignal) {
  return call(api.api.stats.timeseries.$get({ query: { ...filterQuery(p), interval } }, init(signal)), signal);
}
export type Timeseries = Awaited<ReturnType<typeof fetchTimeseries>>;

type BreakdownQuery = InferRequestType<typeof api.api.stats.breakdown.$get>['query'];
/** Breakdown dimensions of `/api/stats/breakdown`. */
export type BreakdownBy = BreakdownQuery['by'];

/** `GET /api/stats/breakdown`; `categoryLevel` 1 groups by 大类 (default 小类). */
export function fetchBreakdown(p: FilterParams, by: BreakdownBy, categoryLevel?: 1 | 2, signal?: AbortSignal) {
  const query = { ...filterQuery(p), by, level: categoryLevel ? (`${categoryLevel}` as const) : undefined };
  return call(api.api.stats.breakdown.$get({ query }, init(signal)), signal);
}
export type Breakdown = Awaited<ReturnType<typeof fetchBreakdown>>;

type RankingQuery = InferRequestType<typeof api.api.stats.ranking.$get>['query'];

/** The levels `/api/stats/ranking` ranks: districts, streets, communities, grids. */
export type RankLevel = NonNullable<RankingQuery['level']>;

/** `GET /api/stats/ranking`: red and black lists of the units one level below the scope. */
export function fetchRanking(p: FilterParams, level: RankLevel, n: number, signal?: AbortSignal) {
  return call(api.api.stats.ranking.$get({ query: { ...filterQuery(p), level, n: String(n) } }, init(signal)), signal);
}
export type Ranking = Awaited<ReturnType<typeof fetchRanking>>;
/** One red- or black-list row. */
export type RankEntry = Ranking['red'][number];

/**
 * `GET /api/inspectors`: per inspector, the reports they found, the issues in their grids and those
 * grids' on-time rate; `name` narrows the rows to one inspector (404 when no grid has them), and
 * `ranking` is the first `n` of 网格之星 where the deployment ranks inspectors by name, else null.
 */
export function fetchInspectors(p: FilterParams, o: { name?: string; n?: number } = {}, signal?: AbortSignal) {
  const query = { ...filterQuery(p), name: o.name, n: o.n === undefined ? undefined : String(o.n) };
  return call(api.api.inspectors.$get({ query }, init(signal)), signal);
}
export type Inspectors = Awaited<ReturnType<typeof fetchInspectors>>;

/** The map view the heat bins are for. */
export interface HeatView {
  bbox: [number, number, number, number];
  zoom: number;
  /** Bin size in screen pixels. */
  cell: number;
  /** Adds the bins' centres (lon/lat arrays). */
  centers?: boolean;
}

/** `GET /api/heat`: server-side bins of the filtered issues inside a bbox at a zoom. */
export function fetchHeat(p: FilterParams, v: HeatView, signal?: AbortSignal) {
  const query = {
    ...filterQuery(p),
    bbox: v.bbox.map((x) => x.toFixed(6)).join(','), zoom: String(v.zoom), cell: String(v.cell),
    centers: v.centers ? ('1' as const) : undefined,
  };
  return call(api.api.heat.$get({ query }, init(signal)), signal);
}

/** `GET /api/reference/:layer`: a reference layer (roads, water, landmarks) cut for a map view. */
export function fetchReference(layer: ReferenceLayer, v: { bbox: [number, number, number, number]; zoom: number }, signal?: AbortSignal) {
  const query = { bbox: v.bbox.map((x) => x.toFixed(6)).join(','), zoom: String(v.zoom) };
  return call(api.api.reference[':layer'].$get({ param: { layer }, query }, init(signal)), signal);
}
export type ReferenceCollection = Awaited<ReturnType<typeof fetchReference>>;

/** Paging, window, order and the overdue filter of the issue list. */
export interface IssueListOptions {
  bbox?: [number, number, number, number];
  limit?: number;
  cursor?: string;
  /** Only the issues overdue now that the 超期未结 KPI counts (with a period: due in it). */
  overdue?: boolean;
  /** `deadline`: oldest deadline first; default newest report first. */
  sort?: 'reported' | 'deadline';
}

/** `GET /api/issues`: the filtered issues, newest first (or by deadline), keyset-paged. */
export function fetchIssues(p: FilterParams, o: IssueListOptions = {}, signal?: AbortSignal) {
  const query = {
    ...filterQuery(p),
    bbox: o.bbox?.map((v) => v.toFixed(6)).join(','),
    limit: o.limit ? String(o.limit) : undefined,
    cursor: o.cursor,
    overdue: o.overdue ? ('1' as const) : undefined,
    sort: o.sort,
  };
  return call(api.api.issues.$get({ query }, init(signal)), signal);
}
export type IssuePage = Awaited<ReturnType<typeof fetchIssues>>;
export type IssueItem = IssuePage['items'][number];

/** `GET /api/issues/:id`: one issue with its timeline. */
export function fetchIssue(id: string, signal?: AbortSignal) {
  return call(api.api.issues[':id'].$get({ param: { id } }, init(signal)), signal);
}
export type IssueDetail = Awaited<ReturnType<typeof fetchIssue>>;

/** An evidence photo of an issue, as the issue detail and the photo routes give it. */
export type Photo = IssueDetail['photos'][number];

/** `GET /api/photos`: the latest photos of the issues matching the filters, newest upload first. */
export async function fetchLatestPhotos(p: FilterParams, limit: number, signal?: AbortSignal): Promise<Photo[]> {
  const answer = await call(api.api.photos.$get({ query: { ...filterQuery(p), limit: String(limit) } }, init(signal)), signal);
  if (!('photos' in answer)) throw new ApiError('invalid', '照片列表的数据格式不正确');
  return answer.photos;
}

/** `GET /api/photos?pairs=1`: the latest closures with a 整改前 and a 整改后 photo, newest closure first (the period filters closures). */
export async function fetchPhotoPairs(p: FilterParams, limit: number, signal?: AbortSignal) {
  const answer = await call(api.api.photos.$get({ query: { ...filterQuery(p), pairs: '1', limit: String(limit) } }, init(signal)), signal);
  if (!('pairs' in answer)) throw new ApiError('invalid', '整改前后对比的数据格式不正确');
  return answer.pairs;
}
/** A closure with its 整改前 and 整改后 photos, as the wall's carousel shows it. */
export type PhotoPair = Awaited<ReturnType<typeof fetchPhotoPairs>>[number];

/**
 * One photo image (`urls.thumb`, `urls.view`) as a Blob: fetched with the signed-in token, which an
 * `<img src>` could not send when reads need one.
 */
export async function fetchPhotoImage(url: string, signal?: AbortSignal): Promise<Blob> {
  let res: Response;
  try {
    res = await authorizedFetch(url, { signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('network', `请求 ${url} 没有得到响应`);
  }
  if (!res.ok) throw new ApiError('http', `照片 ${url} 无法加载（HTTP ${res.status}）`, res.status);
  return res.blob();
}

/** The URL of `GET /api/export/issues.csv` for the filters (a download link, not a fetch). */
export function exportCsvUrl(p: FilterParams): string {
  const url = api.api.export['issues.csv'].$url({ query: filterQuery(p) });
  return `${url.pathname}${url.search}`;
}

/** `GET /api/bulletins/last-month`: last month's bulletin once the server (or an office) has stored it. */
export function fetchLastMonthBulletin(signal?: AbortSignal) {
  return call(api.api.bulletins['last-month'].$get(undefined, init(signal)), signal);
}

/** `GET /api/bulletins/:id/:format`: a stored bulletin as a download (fetched with the token, which a plain link could not send). */
export async function downloadStoredBulletin(id: number, format: 'docx' | 'xlsx' | 'pdf'): Promise<Download> {
  return downloadOf(await api.api.bulletins[':id'][':format'].$get({ param: { id: String(id), format } }), `bulletin-${id}.${format}`);
}

// The planner: `/api/plans` and the grid import into a draft.

const planId = (plan: number) => ({ id: String(plan) });

/** `GET /api/plans`: every plan with its district, status, author, times and grid count. */
export function listPlans(signal?: AbortSignal) {
  return call(api.api.plans.$get(undefined, init(signal)), signal);
}
export type PlanRow = Awaited<ReturnType<typeof listPlans>>[number];

/** `GET /api/plans/:id`: the plan with its grids (GeoJSON) and undo/redo depth. */
export function fetchPlan(plan: number, signal?: AbortSignal) {
  return call(api.api.plans[':id'].$get({ param: planId(plan) }, init(signal)), signal);
}
/** A plan's own record, as `GET /api/plans/:id` sends it beside the grids and the undo/redo depth. */
export type PlanInfo = Omit<Awaited<ReturnType<typeof fetchPlan>>, 'grids' | 'history'>;

/** `POST /api/plans`: a draft of a district copying `from` (default the district's published plan), or an empty one. */
export function createPlan(body: { name: string; district?: string; from?: number; empty?: boolean }) {
  return call(api.api.plans.$post({ json: body }));
}

/** `PATCH /api/plans/:id`: renames a draft. */
export function renamePlan(plan: number, name: string) {
  return call(api.api.plans[':id'].$patch({ param: planId(plan), json: { name } }));
}

/** `DELETE /api/plans/:id`: discards a draft. */
export function discardPlan(plan: number) {
  return call(api.api.plans[':id'].$delete({ param: planId(plan) }));
}

/** `POST /api/plans/:id/split`: splits `grid` along a line drawn across it. */
export function splitGrid(plan: number, grid: string, line: LonLat[]) {
  return call(api.api.plans[':id'].split.$post({ param: planId(plan), json: { grid, line: { type: 'LineString', coordinates: line } } }));
}
export type EditOutcome = Awaited<ReturnType<typeof splitGrid>>;

/** `POST /api/plans/:id/merge`: merges neighbouring grids; the first code survives. */
export function mergeGrids(plan: number, grids: string[]) {
  return call(api.api.plans[':id'].merge.$post({ param: planId(plan), json: { grids } }));
}

/** What `PUT /api/plans/:id/grids/:code` may change: outline, name, inspector, households, community, code. */
export type GridChange = InferRequestType<(typeof api.api.plans)[':id']['grids'][':code']['$put']>['json'];

/** `PUT /api/plans/:id/grids/:code`: redraw (neighbours adjust) and/or attributes. */
export function updateGrid(plan: number, code: string, change: GridChange) {
  return call(api.api.plans[':id'].grids[':code'].$put({ param: { ...planId(plan), code }, json: change }));
}

/** A vertex edit: move (with `to`), insert on an edge, or delete. */
export type VertexOp = { op: 'move'; at: LonLat; to: LonLat } | { op: 'insert' | 'delete'; at: LonLat };

/** `POST /api/plans/:id/vertices`: every grid sharing the vertex changes together. */
export function editVertex(plan: number, edit: VertexOp) {
  // A little slack beyond the server default: positions travel through JSON and screen maths.
  return call(api.api.plans[':id'].vertices.$post({ param: planId(plan), json: { ...edit, tolerance: 1e-7 } }));
}

/** `POST /api/plans/:id/undo`. */
export function undoEdit(plan: number) {
  return call(api.api.plans[':id'].undo.$post({ param: planId(plan) }));
}

/** `POST /api/plans/:id/redo`. */
export function redoEdit(plan: number) {
  return call(api.api.plans[':id'].redo.$post({ param: planId(plan) }));
}

/** `GET /api/plans/:id/validate`: 不重不漏 findings. */
export function validatePlan(plan: number, signal?: AbortSignal) {
  return call(api.api.plans[':id'].validate.$get({ param: planId(plan), query: {} }, init(signal)), signal);
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
  const query = { from: text(p.from), to: text(p.to), band: p.band === undefined ? undefined : String(p.band) };
  return call(api.api.plans[':id'].metrics.$get({ param: planId(plan), query }, init(signal)), signal);
}
export type Metrics = Awaited<ReturnType<typeof fetchMetrics>>;

/** `GET /api/plans/:id/topology`: nodes and arcs per community, for vertex editing. */
export function fetchTopology(plan: number, community?: string, signal?: AbortSignal) {
  return call(api.api.plans[':id'].topology.$get({ param: planId(plan), query: community ? { community } : {} }, init(signal)), signal);
}

/** `GET /api/plans/:id/changes`: who changed what, newest first. */
export function fetchChanges(plan: number, signal?: AbortSignal) {
  return call(api.api.plans[':id'].changes.$get({ param: planId(plan) }, init(signal)), signal);
}
export type Change = Awaited<ReturnType<typeof fetchChanges>>[number];

/** `GET /api/plans/:a/diff/:b`: what changes from plan a to plan b. */
export function fetchDiff(a: number, b: number, signal?: AbortSignal) {
  return call(api.api.plans[':a'].diff[':b'].$get({ param: { a: String(a), b: String(b) } }, init(signal)), signal);
}
export type PlanDiff = Awaited<ReturnType<typeof fetchDiff>>;

/** `POST /api/plans/:id/publish`: refused (409) while validation finds errors. */
export function publishPlan(plan: number) {
  return call(api.api.plans[':id'].publish.$post({ param: planId(plan) }));
}

/** A file to save, as the server named it. */
interface Download {
  blob: Blob;
  filename: string;
}

/** `GET /api/plans/:id/export`: the grids as GeoJSON or a zipped Shapefile. */
export async function exportPlan(plan: number, format: 'geojson' | 'shapefile'): Promise<Download> {
  const res = await api.api.plans[':id'].export.$get({ param: planId(plan), query: { format } });
  return downloadOf(res, `plan-${plan}.${format === 'shapefile' ? 'zip' : 'geojson'}`);
}

/** A file answer as a download named by its Content-Disposition (the UTF-8 name when given); error answers throw the usual ApiError. */
async function downloadOf(res: Response, fallback: string): Promise<Download> {
  if (!res.ok) {
    // Error answers are JSON; `call` turns them into the usual ApiError.
    await call(Promise.resolve(res as ClientResponse<unknown>));
    throw new ApiError('http', `HTTP ${res.status}`, res.status);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const filename = utf8 ? decodeURIComponent(utf8) : (/filename="([^"]+)"/.exec(disposition)?.[1] ?? fallback);
  return { blob: await res.blob(), filename };
}

// 一月一通报: `/api/bulletin`.

/** Which bulletin: a scope (`district:530111`; the top region when absent) and a period (`2026-11`, `2026-Q4`, `2026-10-01..2026-10-31`). */
export interface BulletinQuery {
  scope?: string;
  period?: string;
}

/** `GET /api/bulletin?format=html`: the bulletin's print view, a self-contained document. */
export async function fetchBulletinHtml(q: BulletinQuery, signal?: AbortSignal): Promise<string> {
  const res = await api.api.bulletin.$get({ query: { ...q, format: 'html' } }, init(signal));
  if (!res.ok) await call(Promise.resolve(res as ClientResponse<unknown>), signal);
  return res.text();
}

/** `GET /api/bulletin?format=pdf`: the bulletin printed, as a download. */
export async function downloadBulletinPdf(q: BulletinQuery): Promise<Download> {
  return downloadOf(await api.api.bulletin.$get({ query: { ...q, format: 'pdf' } }), 'bulletin.pdf');
}

/** `POST /api/plans/ID/import?filename=…[&repair=1]`: imports a grid file into a draft (upserts by code; undoable). */
export function importGrids(plan: number, file: File, repair = false) {
  const query = repair ? { filename: file.name, repair: '1' as const } : { filename: file.name };
  return call(api.api.plans[':id'].import.$post({ param: planId(plan), query }, { init: { body: file } }));
}
export type ImportReport = Awaited<ReturnType<typeof importGrids>>;

/** What a frames request covers beyond the filters: frame length (default: the server's choice for the period) and counting. */
export interface FramesOptions {
  step?: 'hour' | 'day' | 'week';
  /** `window`: reported in each frame; `cumulative`: from the period's start to the frame's end. */
  mode?: 'window' | 'cumulative';
}

/** `GET /api/stats/frames`: every frame of the period at once, reported and overdue per unit of `level`, columnar. */
export function fetchStatsFrames(p: FilterParams, level: 'street' | 'community' | 'grid', o: FramesOptions = {}, signal?: AbortSignal) {
  return call(api.api.stats.frames.$get({ query: { ...filterQuery(p), level, step: o.step, mode: o.mode } }, init(signal)), signal);
}
export type StatsFrames = Awaited<ReturnType<typeof fetchStatsFrames>>;

/** `GET /api/heat/frames`: the heat bins of every frame for one view, binned as `/api/heat` bins them, columnar. */
export function fetchHeatFrames(p: FilterParams, v: HeatView, o: FramesOptions = {}, signal?: AbortSignal) {
  const query = { ...filterQuery(p), bbox: v.bbox.map((x) => x.toFixed(6)).join(','), zoom: String(v.zoom), cell: String(v.cell), step: o.step };
  return call(api.api.heat.frames.$get({ query }, init(signal)), signal);
}
export type HeatFramesAnswer = Awaited<ReturnType<typeof fetchHeatFrames>>;
