/**
 * The big screen's configuration: `data/screen.json` as the server delivers it (validated there,
 * server/routes/screen-config.ts), the same file bundled as the fallback for a wall that boots
 * while the server is away, and URL parameters that override it per wall.
 */
import bundled from '../../data/screen.json';
import type { Scope } from '../../server/domain/scope';
import type { ScreenConfig, ScreenPanel } from '../../server/routes/screen-config';
import { wallScopeParam } from './tour';

export type { ScreenConfig, ScreenPanel };

/**
 * Every panel kind, in the default order. `satisfies` keeps it in step with the server's list;
 * tests/web/screen-config.test.ts checks it is complete.
 */
export const PANEL_KINDS = ['kpis', 'trend', 'categories', 'sources', 'immediate', 'ranking', 'departments', 'sites', 'ticker', 'photos'] as const satisfies readonly ScreenPanel[];

const PERIODS = ['7d', '30d', 'month', 'year'] as const satisfies readonly ScreenConfig['period'][];

/**
 * The committed file as built into the bundle. It is complete (every field present, defaults
 * included) and valid: the server's tests parse it with the same schema the route uses.
 */
export const BUNDLED_CONFIG = bundled as unknown as ScreenConfig;

/** A configuration after URL overrides, plus what was ignored and why (logged, never fatal). */
export interface ResolvedConfig {
  config: ScreenConfig;
  warnings: string[];
  /** `?test=1` installs `window.__civgridScreen` for browser tests. */
  testHook: boolean;
  /** `?scope=district:530111`: the unit this wall stands for; null = the top of the data. */
  scope: Scope | null;
}

function intParam(value: string | null, min: number, max: number): number | null {
  if (value === null || !/^\d{1,6}$/.test(value.trim())) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/**
 * Applies URL parameters: `?scope=district:530111` (one district's own wall inside a city), `?title=`, `?subtitle=`, `?tour=30` (seconds per stop, 0 = off),
 * `?tourStreets=all|N`, `?pause=60`, `?panels=kpis,trend,…`, `?layers=grids,heat,sites,pulses,labels`
 * (the map layers to draw), `?period=7d|30d|month|year`, `?refresh=10–60`, `?replay=7d` (days of
 * replay, `0` off), `?replayEvery=N` (tour laps between replays). A bad value is skipped with a warning, so a typo on one wall never blanks it.
 */
export function applyUrlOverrides(base: ScreenConfig, search: URLSearchParams): ResolvedConfig {
  const config: ScreenConfig = { ...base, tour: { ...base.tour }, replay: { ...base.replay }, map: { ...base.map }, photos: { ...base.photos }, colours: { ...base.colours } };
  const warnings: string[] = [];
  const bad = (name: string, value: string) => warnings.push(`ignored ?${name}=${value}`);

  const title = search.get('title');
  if (title !== null) {
    // The wall's own title wins in every language.
    if (title.trim() && title.trim().length <= 40) Object.assign(config, { title: title.trim(), titleEn: undefined });
    else bad('title', title);
  }
  const subtitle = search.get('subtitle');
  if (subtitle !== null) Object.assign(config, { subtitle: subtitle.trim().slice(0, 60), subtitleEn: undefined });

  const tour = search.get('tour');
  if (tour !== null) {
    const seconds = intParam(tour, 0, 3600);
    if (seconds === null) bad('tour', tour);
    else config.tour.seconds = seconds;
  }
  const tourStreets = search.get('tourStreets');
  if (tourStreets !== null) {
    const n = intParam(tourStreets, 1, 100);
    if (tourStreets === 'all') config.tour.streets = 'all';
    else if (n === null) bad('tourStreets', tourStreets);
    else config.tour.streets = n;
  }
  const pause = search.get('pause');
  if (pause !== null) {
    const seconds = intParam(pause, 5, 3600);
    if (seconds === null) bad('pause', pause);
    else config.tour.pauseSeconds = seconds;
  }

  const panels = search.get('panels');
  if (panels !== null) {
    const wanted: ScreenPanel[] = [];
    for (const name of panels.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!(PANEL_KINDS as readonly string[]).includes(name)) bad('panels', name);
      else if (!wanted.includes(name as ScreenPanel)) wanted.push(name as ScreenPanel);
    }
    if (wanted.length) config.panels = wanted;
  }

  const layers = search.get('layers');
  if (layers !== null) {
    const names = layers.split(',').map((x) => x.trim()).filter(Boolean);
    const known = Object.keys(config.map) as (keyof ScreenConfig['map'])[];
    for (const name of names) if (!(known as string[]).includes(name)) bad('layers', name);
    for (const key of known) config.map[key] = names.includes(key);
  }

  const replay = search.get('replay');
  if (replay !== null) {
    const days = intParam(replay.replace(/d$/, ''), 0, 31);
    if (days === null) bad('replay', replay);
    else config.replay.days = days;
  }
  const replayEvery = search.get('replayEvery');
  if (replayEvery !== null) {
    const laps = intParam(replayEvery, 1, 100);
    if (laps === null) bad('replayEvery', replayEvery);
    else config.replay.everyTours = laps;
  }

  const period = search.get('period');
  if (period !== null) {
    if ((PERIODS as readonly string[]).includes(period)) config.period = period as ScreenConfig['period'];
    else bad('period', period);
  }
  const refresh = search.get('refresh');
  if (refresh !== null) {
    const seconds = intParam(refresh, 10, 60);
    if (seconds === null) bad('refresh', refresh);
    else config.refreshSeconds = seconds;
  }
  const scopeText = search.get('scope');
  const scope = wallScopeParam(scopeText);
  if (scopeText !== null && scope === null) bad('scope', scopeText);
  return { config, warnings, testHook: search.get('test') === '1', scope };
}

/**
 * The title bar's title: the configured one (the URL's, then the file's; in English its `titleEn`
 * first), else `named(topName)` — the wall named after the region it stands for
 * (昆明市创文网格化管理指挥中心).
 */
export function wallTitle(config: Pick<ScreenConfig, 'title' | 'titleEn'>, english: boolean, named: () => string): string {
  return (english ? (config.titleEn ?? config.title) : config.title) ?? named();
}

/** The colours as CSS custom properties on the screen's root element. */
export function colourVariables(colours: ScreenConfig['colours']): Record<string, string> {
  return Object.fromEntries(Object.entries(colours).map(([name, value]) => [`--scr-${name}`, value]));
}
