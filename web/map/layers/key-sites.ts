/**
 * Key sites (重点点位): a disc per site coloured by its status (红黄绿灯, server/domain/site-status.ts)
 * and sized by it — red large, ringed and drawn on top, amber smaller, green small and quiet and
 * only from {@link SITES_MIN_ZOOM} — so a district shows its few red sites, not a carpet of dots;
 * a one-character glyph for the type on discs big enough, the site's own line or polygon when
 * zoomed in, and the zone of the selected site. No sprite sheet or icon font is fetched (offline
 * first): the glyph is text, drawn by a TextLayer from the browser's fonts.
 */
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { SiteGrade } from '../../../server/domain/site-status';
import { hexToRgba, SITE_GRADE_COLOURS } from './colours';
import { anchorOf } from './geometry';

/** Layer ids of the key-site layers. */
export const KEY_SITE_IDS = {
  zone: 'key-site-zone',
  shapes: 'key-site-shapes',
  halo: 'key-site-halo',
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
  status: SiteGrade;
  openCount: number;
  overdue: number;
  longOverdue: number;
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
  status: SiteGrade;
  position: [number, number];
}

const GRADE_ORDER: Record<SiteGrade, number> = { green: 0, amber: 1, red: 2 };

/**
 * Marker records of the sites that have a geometry, green first and red last so the red ones are
 * drawn on top; compute once per data load, not per frame.
 */
export function siteMarkers(sites: SiteCollection): SiteMarker[] {
  const out: SiteMarker[] = [];
  for (const f of sites.features) {
    const position = anchorOf(f.geometry);
    if (!position) continue;
    const p = f.properties;
    out.push({ id: p.id, name: p.name, type: p.type, glyph: siteGlyph(p.type, p.typeName), status: p.status, position });
  }
  return out.sort((a, b) => GRADE_ORDER[a.status] - GRADE_ORDER[b.status]);
}

/**
 * The zoom from which green sites are drawn: below it a district's thousand-odd sites would bury
 * the choropleth under dots, while the red and amber ones are what a leader must see.
 */
export const SITES_MIN_ZOOM = 12;

/** Base marker radius in pixels: small dots when a whole street is in view, discs big enough for a glyph from zoom 14. */
export function siteRadius(zoom: number): number {
  if (zoom < 13) return 4;
  if (zoom < 14) return 6;
  return 10;
}

/** Marker radius of a grade: red stands out, green stays small. */
export function gradeRadius(grade: SiteGrade, zoom: number): number {
  const base = siteRadius(zoom);
  if (grade === 'red') return base + 3;
  // Below SITES_MIN_ZOOM amber shares the view only with red: smaller, so red is what the eye finds.
  if (grade === 'amber') return zoom < SITES_MIN_ZOOM ? base * 0.75 : base;
  return Math.max(2.5, base * 0.6);
}

/** Glyphs are drawn on discs at least this big. */
const GLYPH_MIN_RADIUS = 9;

const reds = new WeakMap<readonly SiteMarker[], SiteMarker[]>();
/** The red ones of `markers` (ringed), computed once per marker list. */
function redOf(markers: readonly SiteMarker[]): SiteMarker[] {
  let red = reds.get(markers);
  if (!red) reds.set(markers, (red = markers.filter((m) => m.status === 'red')));
  return red;
}

const withoutGreen = new WeakMap<readonly SiteMarker[], SiteMarker[]>();
/** The markers drawn at `zoom`: without the green ones below {@link SITES_MIN_ZOOM} (the selected site stays). */
export function markersAt(markers: readonly SiteMarker[], zoom: number, selected: string | null = null): readonly SiteMarker[] {
  if (zoom >= SITES_MIN_ZOOM) return markers;
  let kept = withoutGreen.get(markers);
  if (!kept) withoutGreen.set(markers, (kept = markers.filter((m) => m.status !== 'green')));
  const chosen = selected ? markers.find((m) => m.id === selected && m.status === 'green') : undefined;
  return chosen ? [...kept, chosen] : kept;
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
const statusColour = (s: SiteGrade, alpha = 255) => hexToRgba(SITE_GRADE_COLOURS[s] ?? SITE_GRADE_COLOURS.green, alpha);
/** Green sites are quiet: paler, so the eye goes to the red and amber ones. */
const markerFill = (s: SiteGrade) => statusColour(s, s === 'green' ? 170 : 255);

/** The key-site layers, bottom to top: zone, shapes, red halos, markers, glyphs. Markers are pickable (object = {@link SiteMarker}). */
export function buildKeySiteLayers(o: KeySiteOptions): Layer[] {
  const visible = o.visible ?? true;
  const zoom = o.zoom;
  const markers = markersAt(o.markers, zoom, o.selected ?? null);
  const radius = (d: SiteMarker) => gradeRadius(d.status, zoom) + (d.id === o.selected ? 3 : 0);
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
      id: KEY_SITE_IDS.halo,
      data: redOf(markers),
      visible,
      stroked: true,
      filled: false,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (d) => d.position,
      getRadius: (d) => radius(d) + 4,
      getLineColor: statusColour('red', 110),
      getLineWidth: 2,
      updateTriggers: { getRadius: [o.selected, zoom] },
    }),
    new ScatterplotLayer<SiteMarker>({
      id: KEY_SITE_IDS.markers,
      data: markers,
      visible,
      pickable: true,
      stroked: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (d) => d.position,
      getRadius: radius,
      getFillColor: (d) => markerFill(d.status),
      getLineColor: (d) => (d.id === o.selected ? SELECTED : WHITE),
      getLineWidth: (d) => (d.id === o.selected ? 3 : d.status === 'green' || zoom < 13 ? 0.5 : 1.5),
      updateTriggers: { getRadius: [o.selected, zoom], getLineColor: [o.selected], getLineWidth: [o.selected, zoom] },
    }),
    new TextLayer<SiteMarker>({
      id: KEY_SITE_IDS.glyphs,
      data: markers,
      visible,
      characterSet: 'auto',
      fontFamily: '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif',
      fontWeight: 700,
      getText: (d) => (radius(d) >= GLYPH_MIN_RADIUS ? d.glyph : ''),
      getPosition: (d) => d.position,
      updateTriggers: { getText: [o.selected, zoom] },
      getSize: 12,
      getColor: WHITE,
      sizeUnits: 'pixels',
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
    }),
  ];
}
