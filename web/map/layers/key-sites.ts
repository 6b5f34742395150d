/**
 * Key sites (重点点位): a disc per site coloured by its status (no open issue / open / overdue)
 * with a one-character glyph for its type, the site's own line or polygon when zoomed in, and the
 * zone of the selected site. No sprite sheet or icon font is fetched (offline first): the glyph is
 * text, drawn by a TextLayer from the browser's fonts.
 */
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { hexToRgba, STATUS_COLOURS, type SiteStatus } from './colours';
import { anchorOf } from './geometry';

/** Layer ids of the key-site layers. */
export const KEY_SITE_IDS = {
  zone: 'key-site-zone',
  shapes: 'key-site-shapes',
  markers: 'key-sites',
  glyphs: 'key-site-glyphs',
} as const;

/** What the layers read of a site (a subset of `/api/sites` feature properties). */
export interface SiteProperties {
  id: string;
  type: string;
  typeName: string;
  name: string;
  unit: string | null;
  status: SiteStatus;
  openCount: number;
  overdue: number;
  reported: number;
  grid?: string | null;
  community?: string | null;
  street?: string | null;
}

export type SiteCollection = FeatureCollection<Geometry | null, SiteProperties>;

/** One glyph per built-in site type (docs/domain.md); a local type falls back to its name's first character. */
export const SITE_GLYPHS: Record<string, string> = {
  market: '市', school: '校', back_alley: '巷', residential: '居', main_road: '道', intersection: '口',
  bus_stop: '站', hospital: '医', park: '园', service_hall: '窗', practice_station: '文', public_ad: '告',
  volunteer_post: '岗',
};

/** The glyph of a site type. */
export function siteGlyph(type: string, typeName = ''): string {
  return SITE_GLYPHS[type] ?? ([...typeName][0] || '点');
}

/** A site reduced to what the marker layers draw. */
export interface SiteMarker {
  id: string;
  name: string;
  type: string;
  glyph: string;
  status: SiteStatus;
  position: [number, number];
}

/** Marker records of the sites that have a geometry; compute once per data load, not per frame. */
export function siteMarkers(sites: SiteCollection): SiteMarker[] {
  const out: SiteMarker[] = [];
  for (const f of sites.features) {
    const position = anchorOf(f.geometry);
    if (!position) continue;
    const p = f.properties;
    out.push({ id: p.id, name: p.name, type: p.type, glyph: siteGlyph(p.type, p.typeName), status: p.status, position });
  }
  return out;
}

/**
 * The zoom from which sites are drawn: below it a district's thousand-odd sites would bury the
 * choropleth under dots.
 */
export const SITES_MIN_ZOOM = 12;

/** Marker radius in pixels: small dots when a whole street is in view, discs big enough for a glyph from zoom 14. */
export function siteRadius(zoom: number): number {
  if (zoom < 13) return 4;
  if (zoom < 14) return 6;
  return 10;
}

/** Options of {@link buildKeySiteLayers}. */
export interface KeySiteOptions {
  markers: SiteMarker[];
  /** The full collection, for line and polygon shapes (drawn from zoom 14). */
  sites: SiteCollection;
  /** Map zoom: nothing is drawn below {@link SITES_MIN_ZOOM} unless a site is selected. */
  zoom: number;
  selected?: string | null;
  /** Zone polygon of the selected site (from `/api/sites?zones=1` or the site panel). */
  zone?: Geometry | null;
  visible?: boolean;
}

const WHITE = hexToRgba('#ffffff');
const SELECTED = hexToRgba('#1d4ed8');
const statusColour = (s: SiteStatus, alpha = 255) => hexToRgba(STATUS_COLOURS[s] ?? STATUS_COLOURS.ok, alpha);

/** The key-site layers, bottom to top: zone, shapes, markers, glyphs. Markers are pickable (object = {@link SiteMarker}). */
export function buildKeySiteLayers(o: KeySiteOptions): Layer[] {
  const visible = (o.visible ?? true) && (o.zoom >= SITES_MIN_ZOOM || Boolean(o.selected));
  const radius = siteRadius(o.zoom);
  const showShapes = visible && o.zoom >= 14;
  const shapes: FeatureCollection<Geometry, SiteProperties> = {
    type: 'FeatureCollection',
    features: showShapes ? (o.sites.features.filter((f) => f.geometry && f.geometry.type !== 'Point') as Feature<Geometry, SiteProperties>[]) : [],
  };
  return [
    new GeoJsonLayer({
      id: KEY_SITE_IDS.zone,
      data: o.zone ? { type: 'Feature', geometry: o.zone, properties: {} } : { type: 'FeatureCollection', features: [] },
      visible: visible && Boolean(o.zone),
      stroked: true,
      filled: true,
      getFillColor: hexToRgba('#1d4ed8', 40),
      getLineColor: SELECTED,
      getLineWidth: 2,
      lineWidthUnits: 'pixels',
    }),
    new GeoJsonLayer<SiteProperties>({
      id: KEY_SITE_IDS.shapes,
      data: shapes,
      visible: showShapes,
      stroked: true,
      filled: true,
      getFillColor: (f) => statusColour(f.properties.status, 45),
      getLineColor: (f) => (f.properties.id === o.selected ? SELECTED : statusColour(f.properties.status, 200)),
      getLineWidth: (f) => (f.geometry.type.includes('Line') ? 4 : 1.5),
      lineWidthUnits: 'pixels',
      updateTriggers: { getLineColor: [o.selected] },
    }),
    new ScatterplotLayer<SiteMarker>({
      id: KEY_SITE_IDS.markers,
      data: o.markers,
      visible,
      pickable: true,
      stroked: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (d) => d.position,
      getRadius: (d) => (d.id === o.selected ? radius + 3 : radius),
      getFillColor: (d) => statusColour(d.status),
      getLineColor: (d) => (d.id === o.selected ? SELECTED : WHITE),
      getLineWidth: (d) => (d.id === o.selected ? 3 : radius < 5 ? 0.5 : 1.5),
      updateTriggers: { getRadius: [o.selected, radius], getLineColor: [o.selected], getLineWidth: [o.selected, radius] },
    }),
    new TextLayer<SiteMarker>({
      id: KEY_SITE_IDS.glyphs,
      data: o.markers,
      visible: visible && radius >= 10,
      characterSet: 'auto',
      fontFamily: '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif',
      fontWeight: 700,
      getText: (d) => d.glyph,
      getPosition: (d) => d.position,
      getSize: 12,
      getColor: WHITE,
      sizeUnits: 'pixels',
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
    }),
  ];
}
