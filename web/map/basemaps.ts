/**
 * Online basemaps are configuration (docs/decisions.md): the offline region basemap is always there; a
 * deployment may add tile services — 天地图 (with its `tk` key), AMap (高德, GCJ-02), any XYZ
 * template, a self-hosted PMTiles file — through `VITE_CIVGRID_BASEMAPS` at build time, a JSON
 * array of {@link OnlineBasemap}. Pure parsing, presets and the display shift; nothing is fetched
 * unless chosen.
 *
 * Data stays WGS84/CGCS2000 everywhere. A basemap whose tiles are in GCJ-02 (AMap) only changes
 * where things are *drawn*: {@link displayProjection} gives `toDisplay` (WGS84 → GCJ-02) for every
 * drawn position and `fromDisplay` for what the map reports back (clicks, the visible bbox).
 */
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../server/domain/china-offsets';
import type { LonLatFn } from './geo';

/** The coordinate system of a basemap's tiles: WGS84/CGCS2000 (天地图, OSM, most) or GCJ-02 (AMap, Tencent). */
export type BasemapCrs = 'wgs84' | 'gcj02';

interface BasemapCommon {
  id: string;
  name: string;
  attribution?: string;
  /** Highest zoom of tile templates; a PMTiles archive states its own zoom range. */
  maxzoom?: number;
  /** Tile size in pixels (256 or 512) of raster tiles. */
  tileSize?: number;
  /** The CRS the tiles are drawn in; absent means WGS84. */
  crs?: BasemapCrs;
}

/** A raster basemap from XYZ tile URL templates. */
export interface TileBasemap extends BasemapCommon {
  /** XYZ tile URL templates ({z}/{x}/{y}); several for subdomains. */
  tiles: string[];
  /** Extra templates drawn over `tiles` (e.g. 天地图's annotation layer `cva`). */
  overlay?: string[];
}

/** A basemap from one PMTiles archive, read with HTTP Range requests through the `pmtiles://` protocol. */
export interface PmtilesBasemap extends BasemapCommon {
  /** URL or same-origin path of the .pmtiles file (e.g. `/tiles/city.pmtiles`). */
  pmtiles: string;
  type: 'raster' | 'vector';
  /**
   * Vector only: URL of a MapLibre style JSON for the archive, served by the deployment. Without
   * it a small built-in style draws land, water, roads and buildings.
   */
  style?: string;
}

/** One configured basemap. */
export type OnlineBasemap = TileBasemap | PmtilesBasemap;

/** Whether the basemap is a PMTiles archive. */
export function isPmtilesBasemap(b: OnlineBasemap): b is PmtilesBasemap {
  return 'pmtiles' in b;
}

/** How data (WGS84) is drawn over a basemap and how map positions are read back. */
export interface DisplayProjection {
  crs: BasemapCrs;
  /** WGS84 lon/lat → the lon/lat to draw at. */
  toDisplay: LonLatFn;
  /** A lon/lat on the map (a click, the view's corners) → WGS84. */
  fromDisplay: LonLatFn;
}

const identity: LonLatFn = (lon, lat) => [lon, lat];

/** Drawing as is: offline, 天地图, OSM-style XYZ, most PMTiles. */
export const WGS84_DISPLAY: DisplayProjection = Object.freeze({ crs: 'wgs84', toDisplay: identity, fromDisplay: identity });

/**
 * Drawing on GCJ-02 tiles (AMap). The conversion is the one the importer uses for GCJ-02 files
 * (server/spatial/china-offsets.ts, round trip below 1e-10°); outside China it is the identity.
 */
export const GCJ02_DISPLAY: DisplayProjection = Object.freeze({ crs: 'gcj02', toDisplay: wgs84ToGcj02, fromDisplay: gcj02ToWgs84 });

/** The display projection of a basemap (null = the offline basemap). Shared frozen objects, so callers may compare or cache by identity. */
export function displayProjection(basemap: OnlineBasemap | null | undefined): DisplayProjection {
  return basemap?.crs === 'gcj02' ? GCJ02_DISPLAY : WGS84_DISPLAY;
}

const ID = /^[\w-]{1,32}$/;

/**
 * 天地图 vector map with annotations in Web Mercator (the `_w` services), for a `tk` key. The
 * eight subdomains t0–t7 spread the load as the service asks. CGCS2000, so drawn without a shift.
 */
export function tiandituBasemap(tk: string): TileBasemap {
  const url = (layer: string) =>
    [0, 1, 2, 3, 4, 5, 6, 7].map(
      (n) => `https://t${n}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(tk)}`,
    );
  return { id: 'tianditu', name: '天地图', tiles: url('vec'), overlay: url('cva'), attribution: '天地图', maxzoom: 18 };
}

/** AMap's (高德) road map with labels, GCJ-02, on the four webrd subdomains. No key is needed for these tiles. */
export function amapBasemap(): TileBasemap {
  return {
    id: 'amap',
    name: '高德地图',
    tiles: expandTemplate('https://webrd0{1-4}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}'),
    attribution: '© 高德地图',
    maxzoom: 18,
    crs: 'gcj02',
  };
}

/**
 * A template with one subdomain range — `{1-4}` or `{a-c}`, as AMap and OSM document their
 * servers — as one template per subdomain (MapLibre takes a list, not ranges).
 */
export function expandTemplate(template: string): string[] {
  const m = /\{([0-9a-z])-([0-9a-z])\}/.exec(template);
  if (!m) return [template];
  const from = m[1].charCodeAt(0);
  const to = m[2].charCodeAt(0);
  const sameKind = /\d/.test(m[1]) === /\d/.test(m[2]);
  if (!sameKind || to < from) return [template];
  return Array.from({ length: to - from + 1 }, (_, i) => template.replace(m[0], String.fromCharCode(from + i)));
}

function isTemplateList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string' && /\{z\}/.test(t) && /\{x\}/.test(t) && /\{y\}/.test(t));
}

/** A URL or same-origin path of a file: http(s) or a path, no whitespace, no template braces. */
function isFileUrl(v: unknown): v is string {
  if (typeof v !== 'string' || !v || /[\s{}]/.test(v)) return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https';
}

/** Reads `crs` (case, `-` and `_` ignored; CGCS2000 is WGS84 at map precision). */
function parseCrs(v: unknown, id: string): { crs?: BasemapCrs; problem?: string } {
  if (v === undefined) return {};
  const crs = typeof v === 'string' ? v.toLowerCase().replace(/[\s_-]/g, '') : v;
  if (crs === 'wgs84' || crs === 'cgcs2000') return { crs: 'wgs84' };
  if (crs === 'gcj02') return { crs: 'gcj02' };
  return { problem: `basemap ${id}: crs must be "wgs84" or "gcj02" (BD-09 Baidu tiles are not supported)` };
}

/** Reads the optional numbers shared by all kinds; a string is a problem to report. */
function parseNumbers(e: Record<string, unknown>, id: string): Pick<BasemapCommon, 'maxzoom' | 'tileSize'> | string {
  const out: Pick<BasemapCommon, 'maxzoom' | 'tileSize'> = {};
  if (e.maxzoom !== undefined) {
    if (typeof e.maxzoom !== 'number' || !Number.isInteger(e.maxzoom) || e.maxzoom < 0 || e.maxzoom > 24) return `basemap ${id}: maxzoom must be a whole number from 0 to 24`;
    out.maxzoom = e.maxzoom;
  }
  if (e.tileSize !== undefined) {
    if (e.tileSize !== 256 && e.tileSize !== 512) return `basemap ${id}: tileSize must be 256 or 512`;
    out.tileSize = e.tileSize;
  }
  return out;
}

/** One entry as a basemap, or the reason it cannot be one. */
function parseEntry(entry: unknown, i: number): OnlineBasemap | string {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return `basemap ${i}: must be an object`;
  const e = entry as Record<string, unknown>;
  const rename = typeof e.name === 'string' && e.name ? { name: e.name } : {};
  const custom = e.tiles !== undefined || e.pmtiles !== undefined;
  // Presets: the id names the service, `tk` is 天地图's key, `name` may be overridden.
  if (e.id === 'tianditu' && !custom) {
    return typeof e.tk === 'string' && e.tk ? { ...tiandituBasemap(e.tk), ...rename } : 'basemap tianditu: tk (the 天地图 key) is missing';
  }
  if (e.id === 'amap' && !custom) return { ...amapBasemap(), ...rename };

  if (typeof e.id !== 'string' || !ID.test(e.id) || e.id === 'offline') return `basemap ${i}: id must be 1–32 letters, digits, _ or - (and not "offline")`;
  const id = e.id;
  if (typeof e.name !== 'string' || !e.name) return `basemap ${id}: name is missing`;
  const { crs, problem } = parseCrs(e.crs, id);
  if (problem) return problem;
  const numbers = parseNumbers(e, id);
  if (typeof numbers === 'string') return numbers;
  const common: BasemapCommon = {
    id, name: e.name, ...numbers,
    ...(typeof e.attribution === 'string' ? { attribution: e.attribution } : {}),
    ...(crs ? { crs } : {}),
  };

  if (e.tiles !== undefined && e.pmtiles !== undefined) return `basemap ${id}: give either tiles or pmtiles, not both`;
  if (e.pmtiles !== undefined) {
    const path = typeof e.pmtiles === 'string' ? e.pmtiles.replace(/^pmtiles:\/\//, '') : e.pmtiles;
    if (!isFileUrl(path)) return `basemap ${id}: pmtiles must be the URL or path of a .pmtiles file (e.g. "/tiles/city.pmtiles")`;
    if (e.type !== 'raster' && e.type !== 'vector') return `basemap ${id}: type must be "raster" or "vector" (what the .pmtiles file holds)`;
    if (e.overlay !== undefined) return `basemap ${id}: overlay is only for tile templates, not pmtiles`;
    if (e.style !== undefined) {
      if (e.type !== 'vector') return `basemap ${id}: style is only for vector PMTiles`;
      if (!isFileUrl(e.style)) return `basemap ${id}: style must be the URL or path of a MapLibre style JSON`;
    }
    return { ...common, pmtiles: path, type: e.type, ...(typeof e.style === 'string' ? { style: e.style } : {}) };
  }
  const expand = (v: unknown) => (Array.isArray(v) && v.every((t) => typeof t === 'string') ? v.flatMap(expandTemplate) : v);
  const tiles = expand(e.tiles);
  const overlay = expand(e.overlay);
  if (!isTemplateList(tiles)) return `basemap ${id}: tiles must be URL templates with {z}, {x} and {y} (or give pmtiles)`;
  if (overlay !== undefined && !isTemplateList(overlay)) return `basemap ${id}: overlay must be URL templates with {z}, {x} and {y}`;
  return { ...common, tiles, ...(overlay ? { overlay } : {}) };
}

/**
 * The basemaps of a configuration text: a JSON array of {@link OnlineBasemap} entries, or the
 * presets `{ "id": "tianditu", "tk": "…" }` and `{ "id": "amap" }`. Invalid entries are dropped
 * with a reason, so a typo in one entry does not take the others down.
 */
export function parseBasemaps(text: string | undefined | null): { basemaps: OnlineBasemap[]; problems: string[] } {
  const basemaps: OnlineBasemap[] = [];
  const problems: string[] = [];
  if (!text?.trim()) return { basemaps, problems };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { basemaps, problems: ['basemap configuration is not JSON'] };
  }
  if (!Array.isArray(parsed)) return { basemaps, problems: ['basemap configuration must be a JSON array'] };
  parsed.forEach((entry, i) => {
    const result = parseEntry(entry, i);
    if (typeof result === 'string') problems.push(result);
    else if (basemaps.some((b) => b.id === result.id)) problems.push(`basemap ${result.id}: id is used twice; the first entry is kept`);
    else basemaps.push(result);
  });
  return { basemaps, problems };
}
