/**
 * Builds the map style: the offline basemap made only from the region GeoJSON the server returns,
 * optionally over a configured online basemap (XYZ raster tiles or a PMTiles archive). The
 * offline style fetches no tiles, sprites or glyphs — command centers often run on isolated
 * networks — so it has no `glyphs` URL and no symbol layers; names are drawn by deck.gl.
 *
 * Over a GCJ-02 basemap (AMap) the region outlines are drawn shifted into GCJ-02
 * ({@link displayProjection}), like the data layers, so they line up with the tiles.
 */
import type { MapOptions } from 'maplibre-gl';
import type { RegionCollection, RegionLayers } from '../api/types';
import { displayProjection, isPmtilesBasemap, type OnlineBasemap } from './basemaps';
import { mapGeoJson } from './geo';

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
  /**
   * An online basemap under the region layers (raster tiles, or a raster or vector PMTiles); the
   * land fills then turn see-through, and over a GCJ-02 basemap the regions are drawn shifted.
   */
  raster?: OnlineBasemap | null;
  /**
   * Base URL for a PMTiles path such as `/tiles/city.pmtiles` (the page's address in the
   * browser), so the `pmtiles://` URL is absolute wherever MapLibre resolves it.
   */
  baseUrl?: string;
}

/** Ids of the online basemap's source and layers, when one is chosen. */
export const RASTER_IDS = { source: 'raster', layer: 'raster', overlaySource: 'raster-overlay', overlayLayer: 'raster-overlay' } as const;

/** The `pmtiles://` URL of an archive path, absolute when a base URL is given. */
export function pmtilesUrl(path: string, baseUrl?: string): string {
  return `pmtiles://${baseUrl ? new URL(path, baseUrl).href : path}`;
}

/** Colours of the built-in vector PMTiles style. */
export const VECTOR_COLOURS = { earth: '#f2efe9', park: '#dcead2', water: '#b5d0e8', road: '#ffffff', roadCasing: '#cfd3da', building: '#e2ddd4' } as const;

/**
 * A modest style for a vector PMTiles archive without a style of its own: land, parks, water,
 * roads and buildings, for both common schemas — Protomaps basemaps (`earth`, `landuse`, `water`,
 * `roads`, `buildings`) and OpenMapTiles (`park`, `water`, `transportation`, `building`). A layer
 * whose source-layer the archive lacks draws nothing. No labels: they would need glyphs.
 */
export function pmtilesVectorLayers(source: string): LayerSpecification[] {
  const C = VECTOR_COLOURS;
  const fill = (id: string, sourceLayer: string, colour: string, extra: Partial<LayerSpecification> = {}) =>
    ({ id, type: 'fill', source, 'source-layer': sourceLayer, paint: { 'fill-color': colour }, ...extra }) as LayerSpecification;
  const line = (id: string, sourceLayer: string, colour: string, width: ReturnType<typeof widthByZoom>) =>
    ({ id, type: 'line', source, 'source-layer': sourceLayer, layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': colour, 'line-width': width } }) as LayerSpecification;
  return [
    fill(`${source}-earth`, 'earth', C.earth),
    fill(`${source}-landuse`, 'landuse', C.park, { filter: ['in', ['get', 'kind'], ['literal', ['park', 'forest', 'wood', 'grass', 'garden']]] }),
    fill(`${source}-park`, 'park', C.park),
    fill(`${source}-water`, 'water', C.water),
    line(`${source}-roads-casing`, 'roads', C.roadCasing, widthByZoom(1.5, 9)),
    line(`${source}-roads`, 'roads', C.road, widthByZoom(0.8, 7)),
    line(`${source}-transportation-casing`, 'transportation', C.roadCasing, widthByZoom(1.5, 9)),
    line(`${source}-transportation`, 'transportation', C.road, widthByZoom(0.8, 7)),
    fill(`${source}-buildings`, 'buildings', C.building, { minzoom: 14 }),
    fill(`${source}-building`, 'building', C.building, { minzoom: 14 }),
  ];
}

/** The sources and layers that draw the chosen online basemap (under the regions). */
function onlineBasemapParts(basemap: OnlineBasemap, baseUrl?: string): { sources: StyleSpecification['sources']; layers: LayerSpecification[] } {
  const R = RASTER_IDS;
  const common = {
    ...(basemap.attribution ? { attribution: basemap.attribution } : {}),
  };
  if (isPmtilesBasemap(basemap)) {
    const url = pmtilesUrl(basemap.pmtiles, baseUrl);
    if (basemap.type === 'raster') {
      // minzoom/maxzoom come from the archive's header through the protocol's TileJSON.
      return {
        sources: { [R.source]: { type: 'raster', url, tileSize: basemap.tileSize ?? 256, ...common } },
        layers: [{ id: R.layer, type: 'raster', source: R.source }],
      };
    }
    // A vector archive with its own style is merged in by mergeBaseStyle once MapLibre has fetched it.
    if (basemap.style) return { sources: {}, layers: [] };
    return { sources: { [R.source]: { type: 'vector', url, ...common } }, layers: pmtilesVectorLayers(R.source) };
  }
  const rasterSource = (tiles: string[]) => ({ type: 'raster' as const, tiles, tileSize: basemap.tileSize ?? 256, maxzoom: basemap.maxzoom ?? 18, ...common });
  return {
    sources: { [R.source]: rasterSource(basemap.tiles), ...(basemap.overlay ? { [R.overlaySource]: rasterSource(basemap.overlay) } : {}) },
    layers: [
      { id: R.layer, type: 'raster', source: R.source },
      ...(basemap.overlay ? [{ id: R.overlayLayer, type: 'raster' as const, source: R.overlaySource }] : []),
    ],
  };
}

/** The style URL MapLibre must fetch for this basemap (a vector PMTiles with its own style), or null. */
export function basemapStyleUrl(basemap: OnlineBasemap | null | undefined): string | null {
  return basemap && isPmtilesBasemap(basemap) && basemap.type === 'vector' && basemap.style ? basemap.style : null;
}

/** Prefix of the ids of a fetched base style's sources and layers, so they never collide with ours. */
export const BASE_STYLE_PREFIX = 'base:';

/**
 * A fetched base style (a vector PMTiles archive's own MapLibre style) with the region layers of
 * `ours` drawn on top. The base keeps its glyphs, sprite and settings; its source and layer ids are
 * prefixed with {@link BASE_STYLE_PREFIX}; our background is dropped (the base draws the ground).
 */
export function mergeBaseStyle(base: StyleSpecification, ours: StyleSpecification): StyleSpecification {
  const P = BASE_STYLE_PREFIX;
  const sources = Object.fromEntries(Object.entries(base.sources ?? {}).map(([id, source]) => [P + id, source]));
  const layers = (base.layers ?? []).map((layer) => ('source' in layer && typeof layer.source === 'string' ? { ...layer, id: P + layer.id, source: P + layer.source } : { ...layer, id: P + layer.id })) as LayerSpecification[];
  return {
    ...base,
    name: ours.name,
    sources: { ...sources, ...ours.sources },
    layers: [...layers, ...ours.layers.filter((l) => l.id !== BASEMAP_LAYERS.background)],
  };
}

/** The regions as drawn over the basemap: shifted into GCJ-02 over an AMap basemap, else as they are. */
export function displayRegions(regions: RegionLayers, basemap: OnlineBasemap | null | undefined): RegionLayers {
  const { crs, toDisplay } = displayProjection(basemap);
  if (crs === 'wgs84') return regions;
  return { district: mapGeoJson(regions.district, toDisplay), street: mapGeoJson(regions.street, toDisplay), community: mapGeoJson(regions.community, toDisplay) };
}

/**
 * The offline basemap style: land background, district fill, tinted streets, thin community
 * outlines, thicker street outlines and the district border on top.
 */
export function buildBasemapStyle(input: RegionLayers, options: BasemapOptions = {}): StyleSpecification {
  const highlight = highlightFilter(options.highlightStreet ?? null);
  const communityHighlight = highlightFilter(options.highlightCommunity ?? null);
  const c = { ...BASEMAP_COLOURS, ...options.colours };
  const L = BASEMAP_LAYERS;
  const S = BASEMAP_SOURCES;
  const raster = options.raster ?? null;
  const regions = displayRegions(input, raster);
  const online = raster ? onlineBasemapParts(raster, options.baseUrl) : { sources: {}, layers: [] };
  return {
    version: 8,
    name: raster ? `civgrid-${raster.id}` : 'civgrid-offline',
    sources: {
      [S.district]: { type: 'geojson', data: regions.district },
      [S.street]: { type: 'geojson', data: tintStreets(regions.street, options.tints) },
      [S.community]: { type: 'geojson', data: regions.community },
      ...online.sources,
    },
    layers: [
      { id: L.background, type: 'background', paint: { 'background-color': c.outside } },
      ...online.layers,
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
