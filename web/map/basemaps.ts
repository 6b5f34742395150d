/**
 * Online basemaps are configuration (DESIGN §3): the offline region basemap is always there; a
 * deployment with network access may add raster tile services — 天地图 (with its `tk` key), any
 * XYZ template, a self-hosted tile server — through `VITE_CIVGRID_BASEMAPS` at build time, a JSON
 * array of {@link OnlineBasemap}. Pure parsing and style pieces; nothing is fetched unless chosen.
 */

/** One configured raster basemap. */
export interface OnlineBasemap {
  id: string;
  name: string;
  /** XYZ tile URL templates ({z}/{x}/{y}); several for subdomains or an overlay of labels. */
  tiles: string[];
  /** Extra templates drawn over `tiles` (e.g. 天地图's annotation layer `cva`). */
  overlay?: string[];
  attribution?: string;
  maxzoom?: number;
  tileSize?: number;
}

const ID = /^[\w-]{1,32}$/;

/**
 * 天地图 vector map with annotations in Web Mercator (the `_w` services), for a `tk` key. The
 * eight subdomains t0–t7 spread the load as the service asks.
 */
export function tiandituBasemap(tk: string): OnlineBasemap {
  const url = (layer: string) =>
    [0, 1, 2, 3, 4, 5, 6, 7].map(
      (n) => `https://t${n}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(tk)}`,
    );
  return { id: 'tianditu', name: '天地图', tiles: url('vec'), overlay: url('cva'), attribution: '天地图', maxzoom: 18 };
}

function isTemplateList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string' && /\{z\}/.test(t) && /\{x\}/.test(t) && /\{y\}/.test(t));
}

/**
 * The basemaps of a configuration text: a JSON array of {@link OnlineBasemap}, or of
 * `{ "id": "tianditu", "tk": "…" }` shorthands. Invalid entries are dropped with a reason, so a
 * typo in one entry does not take the others down.
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
    const e = entry as Partial<OnlineBasemap> & { tk?: unknown };
    if (e?.id === 'tianditu' && typeof e.tk === 'string' && e.tk) basemaps.push({ ...tiandituBasemap(e.tk), ...(e.name ? { name: e.name } : {}) });
    else if (typeof e?.id !== 'string' || !ID.test(e.id) || e.id === 'offline') problems.push(`basemap ${i}: id must be 1–32 letters, digits, _ or - (and not "offline")`);
    else if (typeof e.name !== 'string' || !e.name) problems.push(`basemap ${e.id}: name is missing`);
    else if (!isTemplateList(e.tiles)) problems.push(`basemap ${e.id}: tiles must be URL templates with {z}, {x} and {y}`);
    else if (e.overlay !== undefined && !isTemplateList(e.overlay)) problems.push(`basemap ${e.id}: overlay must be URL templates with {z}, {x} and {y}`);
    else {
      basemaps.push({
        id: e.id, name: e.name, tiles: e.tiles, ...(e.overlay ? { overlay: e.overlay } : {}),
        ...(typeof e.attribution === 'string' ? { attribution: e.attribution } : {}),
        ...(typeof e.maxzoom === 'number' ? { maxzoom: e.maxzoom } : {}),
        ...(typeof e.tileSize === 'number' ? { tileSize: e.tileSize } : {}),
      });
    }
  });
  return { basemaps, problems };
}
