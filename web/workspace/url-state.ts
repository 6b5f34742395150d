/**
 * The workspace in the URL: scope, open issue, the department list or an inspector's panel,
 * filters, layers, metric and map view, so a reload
 * or a shared link restores the same screen. Defaults are left out to keep links short. Pure:
 * a plain query record in, a plain state out, and unknown or broken values fall back to defaults.
 */
import { PRESETS, type Preset } from '../../server/domain/periods';
import { parseScope, sameScope, scopeText, type Scope } from '../../server/domain/scope';
import { bucketStart, isDay, nextBucketStart, shanghaiDate, DAY, type Day } from '../../server/domain/time';
import type { ChoroplethMetric } from '../map/layers/colours';
import { isInspectorName } from './accountability';
import { defaultFilterState, type FilterState } from '../stores/filters';
import { isPlaybackStep, parseFrameKey, type PlaybackStep } from '../playback/frames';
import { DEFAULT_BASEMAP, DEFAULT_LAYERS, DEFAULT_METRIC, isLayerKey, isMetric, LAYER_KEYS, type LayerKey } from '../stores/layers';

/** The map camera. */
export interface MapViewState {
  lon: number;
  lat: number;
  zoom: number;
}

/**
 * The time bar: open with a frame step (`auto`: the server's choice for the period) and the frame
 * shown, as its URL key (`2026-10-03`, hourly `2026-10-03T14`); null frame = the first.
 */
export interface PlaybackUrlState {
  step: PlaybackStep | 'auto';
  at: string | null;
}

/** Everything the URL holds. */
export interface UrlState {
  scope: Scope | null;
  issue: string | null;
  /** The 责任单位 tab's department list is open (only at the top, with no scope). */
  departments: boolean;
  /** The inspector whose panel is open, by name. */
  inspector: string | null;
  filters: FilterState;
  layers: LayerKey[];
  metric: ChoroplethMetric;
  /** `offline` or a configured online basemap id (unknown ids fall back to offline when drawn). */
  basemap: string;
  view: MapViewState | null;
  /** Null when the time bar is closed. */
  playback: PlaybackUrlState | null;
}

/** A route query as vue-router gives it. */
export type QueryRecord = Record<string, string | null | (string | null)[] | undefined>;

/** Query keys this module owns; others (e.g. `lang`) are left alone. */
export const URL_KEYS = ['scope', 'issue', 'tab', 'inspector', 't', 'from', 'to', 'cat', 'src', 'st', 'stype', 'layers', 'metric', 'base', 'view', 'play'] as const;

const first = (v: QueryRecord[string]): string | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));
const list = (v: QueryRecord[string], ok: (s: string) => boolean = (s) => /^[\w.\-]{1,32}$/.test(s)): string[] =>
  [...new Set((first(v) ?? '').split(',').map((s) => s.trim()).filter((s) => s && ok(s)))].sort();

function decodeView(text: string | null): MapViewState | null {
  if (!text) return null;
  const [lon, lat, zoom] = text.split(',').map(Number);
  if (![lon, lat, zoom].every(Number.isFinite) || Math.abs(lon) > 180 || Math.abs(lat) > 85 || zoom < 0 || zoom > 22) return null;
  return { lon, lat, zoom };
}

/**
 * The period a bare playback link (`?play=day&t=2026-10-03`, no from/to) opens on: the calendar
 * month of the frame (the frame's day for hourly frames), ending no later than `today`, so the link
 * opens at the frame it names instead of snapping to the default period's first frame.
 */
export function framePeriod(at: number, step: PlaybackUrlState['step'], today?: Day): { from: Day; to: Day } {
  const unit = step === 'hour' ? 'day' : 'month';
  const from = shanghaiDate(bucketStart(at, unit));
  const last = shanghaiDate(nextBucketStart(bucketStart(at, unit), unit) - DAY);
  return { from, to: today !== undefined && today < last && today >= from ? today : last };
}

/** Reads the workspace state from a route query; `today` bounds a period the URL implies but does not give. */
export function decodeUrlState(query: QueryRecord, today?: Day): UrlState {
  const filters = defaultFilterState();
  const t = first(query.t);
  const play = first(query.play);
  // With the time bar open, `t` is the frame's date and the period is given by from/to (or implied by the frame).
  const playback: PlaybackUrlState | null = play === 'auto' || isPlaybackStep(play)
    ? { step: play, at: parseFrameKey(t) === null ? null : t }
    : null;
  const frameAt = parseFrameKey(playback?.at);
  const impliedPeriod = playback && frameAt !== null && first(query.from) === null ? framePeriod(frameAt, playback.step, today) : null;
  // Dates alone (`?from=2026-11-01&to=2026-11-30`, as a person or another system writes a link)
  // name a period as much as `t=custom` with them does; a preset in `t` still wins.
  if (t && (PRESETS as readonly string[]).includes(t)) filters.preset = t as Preset;
  else if (first(query.from) !== null || first(query.to) !== null) filters.preset = 'custom';
  if (impliedPeriod) Object.assign(filters, { preset: 'custom' }, impliedPeriod);
  else if (filters.preset === 'custom') {
    const from = first(query.from);
    const to = first(query.to);
    if (isDay(from) && isDay(to)) [filters.from, filters.to] = from <= to ? [from, to] : [to, from];
    else filters.preset = defaultFilterState().preset;
  }
  filters.categories = list(query.cat);
  filters.sources = list(query.src);
  filters.statuses = list(query.st);
  filters.siteTypes = list(query.stype);
  const layersText = first(query.layers);
  const metric = first(query.metric);
  const issue = first(query.issue);
  const base = first(query.base);
  const scope = parseScope(first(query.scope));
  const inspector = first(query.inspector);
  return {
    scope,
    issue: issue && /^[\w.\-]{1,64}$/.test(issue) ? issue : null,
    departments: scope === null && first(query.tab) === 'dept',
    inspector: isInspectorName(inspector) ? inspector : null,
    filters,
    layers: layersText === null ? [...DEFAULT_LAYERS] : LAYER_KEYS.filter((k) => list(layersText, isLayerKey).includes(k)),
    metric: metric && isMetric(metric) ? metric : DEFAULT_METRIC,
    basemap: base && /^[\w-]{1,32}$/.test(base) ? base : DEFAULT_BASEMAP,
    view: decodeView(first(query.view)),
    playback,
  };
}

/** The query of a state; defaults are omitted. */
export function encodeUrlState(s: UrlState): Record<string, string> {
  const out: Record<string, string> = {};
  // The scope store keeps the top as null, so any scope here is a step below it, at any level.
  if (s.scope) out.scope = scopeText(s.scope);
  if (s.issue) out.issue = s.issue;
  if (s.departments && !s.scope) out.tab = 'dept';
  if (s.inspector) out.inspector = s.inspector;
  const f = s.filters;
  // `t` holds the frame while playing; the time bar pins the period to dates, so from/to carry it.
  const frame = s.playback?.at && f.preset === 'custom' ? s.playback.at : null;
  if (frame) out.t = frame;
  else if (f.preset !== defaultFilterState().preset) out.t = f.preset;
  if (f.preset === 'custom' && f.from && f.to) {
    out.from = f.from;
    out.to = f.to;
  }
  if (f.categories.length) out.cat = [...f.categories].sort().join(',');
  if (f.sources.length) out.src = [...f.sources].sort().join(',');
  if (f.statuses.length) out.st = [...f.statuses].sort().join(',');
  if (f.siteTypes.length) out.stype = [...f.siteTypes].sort().join(',');
  const layers = LAYER_KEYS.filter((k) => s.layers.includes(k));
  const defaults = LAYER_KEYS.filter((k) => DEFAULT_LAYERS.includes(k));
  if (layers.join(',') !== defaults.join(',')) out.layers = layers.join(',');
  if (s.metric !== DEFAULT_METRIC) out.metric = s.metric;
  if (s.basemap !== DEFAULT_BASEMAP) out.base = s.basemap;
  if (s.view) out.view = `${s.view.lon.toFixed(5)},${s.view.lat.toFixed(5)},${s.view.zoom.toFixed(2)}`;
  if (s.playback) out.play = s.playback.step;
  return out;
}

/** What a drill step changes: the unit and the open issue, and the department list and the open inspector where known. */
type DrillState = Pick<UrlState, 'scope' | 'issue'> & Partial<Pick<UrlState, 'departments' | 'inspector'>>;

/** The state as the address writes it, for comparing two states by what a link would hold. Pure. */
export const urlKey = (s: UrlState): string => JSON.stringify(encodeUrlState(s));

/**
 * Whether `b` differs from `a` only in the playback frame shown (the bar open in both, same step):
 * such a write can wait for the frame to rest (scrubbing, stepping fast) without the URL ever
 * holding anything but a frame that was shown. Pure.
 */
export function onlyFrameMoved(a: UrlState, b: UrlState): boolean {
  if (!a.playback || !b.playback || a.playback.step !== b.playback.step || a.playback.at === b.playback.at) return false;
  return urlKey({ ...a, playback: b.playback }) === urlKey(b);
}

/**
 * Whether going from `a` to `b` is a step on the drill path (a new history entry, so Back returns)
 * rather than an adjustment of the same screen (filters, layers, panning: the entry is replaced).
 */
export function isDrillStep(a: DrillState, b: DrillState): boolean {
  return !sameScope(a.scope, b.scope) || a.issue !== b.issue
    || (a.departments ?? false) !== (b.departments ?? false) || (a.inspector ?? null) !== (b.inspector ?? null);
}

/** The query with this module's keys replaced by `state`'s and every other key kept. */
export function mergeQuery(current: QueryRecord, state: UrlState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(current)) {
    const value = first(v);
    if (!(URL_KEYS as readonly string[]).includes(k) && value !== null) out[k] = value;
  }
  return { ...out, ...encodeUrlState(state) };
}
