/**
 * Builds the offline basemap: a MapLibre style made only from the region GeoJSON the server
 * returns. No tiles, sprites or glyphs are fetched from anywhere — command centers often run on
 * isolated networks — so the style has no `glyphs` URL and no symbol layers; names are drawn by
 * the component as HTML overlays.
 */
import type { MapOptions } from 'maplibre-gl';
import type { RegionCollection, RegionLayers } from '../api/types';
import type { OnlineBasemap } from './basemaps';

/** MapLibre's style document type (maplibre-gl re-exports it only through `MapOptions`). */
export type StyleSpecification = Exclude<MapOptions['style'], string | undefined>;
type LayerSpecification = StyleSpecification['layers'][number];
/** A layer filter expression. */
export type FilterSpecification = NonNullable<Extract<LayerSpecification, { type: 'fill' }>['filter']>;

/** Layer ids, so the component can restyle layers without repeating strings. */
export const BASEMAP_LAYERS = {
  background: 'background',
  districtFill: 'district-fill',
  streetFill: 'street-fill',
  streetHighlight: 'street-highlight',
  communityFill: 'community-fill',
  communityLine: 'community-line',
  streetLine: 'street-line',
  streetHighlightLine: 'street-highlight-line',
  communityHighlightLine: 'community-highlight-line',
  districtLine: 'district-line',
} as const;

/** Source ids, one per region level. */
export const BASEMAP_SOURCES = { district: 'district', street: 'street', community: 'community' } as const;

/** Muted fills that tell neighbouring streets apart without competing with data layers. */
export const STREET_TINTS = ['#dfe9f3', '#e7efdc', '#f3e8d6', '#ebe1f1', '#dcede9', '#f3e1e2'] as const;

/** Colours of the basemap, exported so tests and the legend agree with the style. */
export const BASEMAP_COLOURS = {
  outside: '#e3e6ea',
  land: '#f7f5ef',
  communityLine: '#b7bec9',
  streetLine: '#6b7689',
  districtLine: '#364152',
  highlight: '#2563eb',
} as const;

/** Property added to street features to pick their tint. */
export const TINT_PROPERTY = '_tint';

/** Filter that matches the street with this code, or nothing when code is null. */
export function highlightFilter(code: string | null): FilterSpecification {
  return ['==', ['get', 'code'], code ?? ''];
}

/**
 * Street features with a tint from `STREET_TINTS`, assigned in code order so the colours are
 * stable across reloads and neighbours (consecutive codes) usually differ.
 */
export function tintStreets(streets: RegionCollection, tints: readonly string[] = STREET_TINTS): RegionCollection {
  const order = [...streets.features].map((f) => f.properties.code).sort();
  const index = new Map(order.map((code, i) => [code, i]));
  return {
    type: 'FeatureCollection',
    features: streets.features.map((f) => ({
      ...f,
      properties: { ...f.properties, [TINT_PROPERTY]: tints[(index.get(f.properties.code) ?? 0) % tints.length] },
    })),
  };
}

/** Line width growing with zoom: thin at city scale, firmer when zoomed into a street. */
function widthByZoom(atZ10: number, atZ16: number): ['interpolate', ['linear'], ['zoom'], number, number, number, number] {
  return ['interpolate', ['linear'], ['zoom'], 10, atZ10, 16, atZ16];
}

/** Layers whose visibility the "outlines" toggle controls. */
export const OUTLINE_LAYERS = [BASEMAP_LAYERS.communityLine, BASEMAP_LAYERS.streetLine] as const;

/** Options for `buildBasemapStyle`. */
export interface BasemapOptions {
  /** Street code drawn highlighted, or null. */
  highlightStreet?: string | null;
  /** Community code drawn highlighted, or null. */
  highlightCommunity?: string | null;
  /** Colour overrides, e.g. a dark theme for the big screen. */
  colours?: Partial<Record<keyof typeof BASEMAP_COLOURS, string>>;
  /** Tints for streets (default {@link STREET_TINTS}). */
  tints?: readonly string[];
  /** An online raster basemap under the region layers; the land fills then turn see-through. */
  raster?: OnlineBasemap | null;
}

/** Ids of the raster basemap's source and layers, when one is chosen. */
export const RASTER_IDS = { source: 'raster', layer: 'raster', overlaySource: 'raster-overlay', overlayLayer: 'raster-overlay' } as const;

/**
 * The offline basemap style: land background, district fill, tinted streets, thin community
 * outlines, thicker street outlines and the district border on top.
 */
export function buildBasemapStyle(regions: RegionLayers, options: BasemapOptions = {}): StyleSpecification {
  const highlight = highlightFilter(options.highlightStreet ?? null);
  const communityHighlight = highlightFilter(options.highlightCommunity ?? null);
  const c = { ...BASEMAP_COLOURS, ...options.colours };
  const L = BASEMAP_LAYERS;
  const S = BASEMAP_SOURCES;
  const raster = options.raster ?? null;
  const R = RASTER_IDS;
  const rasterSource = (tiles: string[]) => ({
    type: 'raster' as const, tiles, tileSize: raster?.tileSize ?? 256, maxzoom: raster?.maxzoom ?? 18,
    ...(raster?.attribution ? { attribution: raster.attribution } : {}),
  });
  return {
    version: 8,
    name: raster ? `civgrid-${raster.id}` : 'civgrid-offline',
    sources: {
      [S.district]: { type: 'geojson', data: regions.district },
      [S.street]: { type: 'geojson', data: tintStreets(regions.street, options.tints) },
      [S.community]: { type: 'geojson', data: regions.community },
      ...(raster ? { [R.source]: rasterSource(raster.tiles) } : {}),
      ...(raster?.overlay ? { [R.overlaySource]: rasterSource(raster.overlay) } : {}),
    },
    layers: [
      { id: L.background, type: 'background', paint: { 'background-color': c.outside } },
      ...(raster ? [{ id: R.layer, type: 'raster' as const, source: R.source }] : []),
      ...(raster?.overlay ? [{ id: R.overlayLayer, type: 'raster' as const, source: R.overlaySource }] : []),
      { id: L.districtFill, type: 'fill', source: S.district, paint: { 'fill-color': c.land, 'fill-opacity': raster ? 0 : 1 } },
      {
        id: L.streetFill,
        type: 'fill',
        source: S.street,
        paint: { 'fill-color': ['coalesce', ['get', TINT_PROPERTY], c.land], 'fill-opacity': raster ? 0.15 : 0.85 },
      },
      {
        id: L.streetHighlight,
        type: 'fill',
        source: S.street,
        filter: highlight,
        paint: { 'fill-color': c.highlight, 'fill-opacity': 0.14 },
      },
      // Invisible, but queryable: a click anywhere in a community finds it even without grids.
      { id: L.communityFill, type: 'fill', source: S.community, paint: { 'fill-color': c.land, 'fill-opacity': 0 } },
      {
        id: L.communityLine,
        type: 'line',
        source: S.community,
        paint: { 'line-color': c.communityLine, 'line-width': widthByZoom(0.5, 1.2) },
      },
      {
        id: L.streetLine,
        type: 'line',
        source: S.street,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': c.streetLine, 'line-width': widthByZoom(1.2, 2.6) },
      },
      {
        id: L.streetHighlightLine,
        type: 'line',
        source: S.street,
        filter: highlight,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': c.highlight, 'line-width': widthByZoom(2, 4) },
      },
      {
        id: L.communityHighlightLine,
        type: 'line',
        source: S.community,
        filter: communityHighlight,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': c.highlight, 'line-width': widthByZoom(1.5, 3) },
      },
      {
        id: L.districtLine,
        type: 'line',
        source: S.district,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': c.districtLine, 'line-width': widthByZoom(2, 4) },
      },
    ],
  };
}
