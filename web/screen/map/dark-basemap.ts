/**
 * The big screen's offline basemap: the same region GeoJSON as the workspace's, in the wall's
 * dark theme — deep navy land, luminous street outlines, the district edge glowing in the accent
 * colour. No tiles, glyphs or sprites (isolated networks); names are a deck.gl TextLayer.
 */
import type { RegionLayers } from '../../api/types';
import type { FilterSpecification, StyleSpecification } from '../../map/basemap-style';

/** Layer ids the component restyles (the focused street). */
export const DARK_LAYERS = { focusFill: 'focus-fill', focusLine: 'focus-line' } as const;

/** Colours of the dark basemap; `accent` follows the screen configuration. */
export interface DarkBasemapColours {
  outside: string;
  land: string;
  communityLine: string;
  streetLine: string;
  accent: string;
}

/** Defaults matching data/screen.json. */
export const DARK_BASEMAP_COLOURS: DarkBasemapColours = {
  outside: '#030814',
  land: '#0a1a33',
  communityLine: '#1c3a63',
  streetLine: '#3f7fd8',
  accent: '#38c8ff',
};

/** Filter matching the street with this code, or nothing for null (the district is shown). */
export function focusFilter(code: string | null): FilterSpecification {
  return ['==', ['get', 'code'], code ?? ''];
}

const byZoom = (atZ10: number, atZ15: number) => ['interpolate', ['linear'], ['zoom'], 10, atZ10, 15, atZ15] as ['interpolate', ['linear'], ['zoom'], number, number, number, number];

/** The style; `focus` is the street drawn highlighted (null at district scope). */
export function buildDarkBasemap(regions: RegionLayers, focus: string | null, colours: DarkBasemapColours = DARK_BASEMAP_COLOURS): StyleSpecification {
  const c = colours;
  return {
    version: 8,
    name: 'civgrid-screen-dark',
    sources: {
      district: { type: 'geojson', data: regions.district },
      street: { type: 'geojson', data: regions.street },
      community: { type: 'geojson', data: regions.community },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': c.outside } },
      { id: 'district-fill', type: 'fill', source: 'district', paint: { 'fill-color': c.land } },
      { id: DARK_LAYERS.focusFill, type: 'fill', source: 'street', filter: focusFilter(focus), paint: { 'fill-color': c.accent, 'fill-opacity': 0.1 } },
      { id: 'community-line', type: 'line', source: 'community', paint: { 'line-color': c.communityLine, 'line-width': byZoom(0.6, 1.4) } },
      // A wide blurred line under a thin sharp one reads as a glow on an LED wall.
      { id: 'street-glow', type: 'line', source: 'street', layout: { 'line-join': 'round' }, paint: { 'line-color': c.streetLine, 'line-opacity': 0.35, 'line-width': byZoom(4, 8), 'line-blur': 3 } },
      { id: 'street-line', type: 'line', source: 'street', layout: { 'line-join': 'round' }, paint: { 'line-color': c.streetLine, 'line-width': byZoom(1.2, 2.4) } },
      { id: DARK_LAYERS.focusLine, type: 'line', source: 'street', filter: focusFilter(focus), layout: { 'line-join': 'round' }, paint: { 'line-color': c.accent, 'line-width': byZoom(3, 5) } },
      { id: 'district-glow', type: 'line', source: 'district', layout: { 'line-join': 'round' }, paint: { 'line-color': c.accent, 'line-opacity': 0.45, 'line-width': byZoom(8, 14), 'line-blur': 6 } },
      { id: 'district-line', type: 'line', source: 'district', layout: { 'line-join': 'round' }, paint: { 'line-color': c.accent, 'line-width': byZoom(2, 3.5) } },
    ],
  };
}
