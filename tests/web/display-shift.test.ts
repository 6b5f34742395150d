/**
 * The workspace's deck.gl layers over an AMap (GCJ-02) basemap: MapView passes each built layer
 * through displayLayer, which must move every drawn position by WGS84 → GCJ-02 and leave the data
 * (and so picking, clicks and queries) in WGS84.
 */
import type { Layer } from '@deck.gl/core';
import type { FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { GCJ02_DISPLAY, WGS84_DISPLAY } from '../../web/map/basemaps';
import { displayLayer, displayLayers } from '../../web/map/layers/display-shift';
import {
  buildGridChoropleth, buildIssuePoints, buildKeySiteLayers, buildLivePulses, buildRegionLabels, GRID_CHOROPLETH_ID,
  KEY_SITE_IDS, siteMarkers, type GridCollection, type IssuePoint, type Pulse, type SiteCollection,
} from '../../web/map/layers';
import { buildHeatLayer } from '../../web/map/layers/heat-layer';

const { toDisplay } = GCJ02_DISPLAY;
const square = (x: number, y: number, d = 0.01): Polygon => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });

const grids: GridCollection = {
  type: 'FeatureCollection',
  features: [0, 1].map((i) => ({
    type: 'Feature',
    geometry: square(102.7 + i * 0.01, 25.0),
    properties: { code: `G${i}`, name: `网格${i}`, community: 'C1', street: 'S1' },
  })),
};
const sites: SiteCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [102.72, 25.03] }, properties: { id: 'P1', type: 'market', typeName: '农贸市场', name: '市场', unit: null, status: 'red', openCount: 1, overdue: 0, longOverdue: 0, reported: 3 } },
    { type: 'Feature', geometry: { type: 'LineString', coordinates: [[102.73, 25.04], [102.74, 25.05]] }, properties: { id: 'R1', type: 'main_road', typeName: '主干道', name: '路', unit: null, status: 'green', openCount: 0, overdue: 0, longOverdue: 0, reported: 0 } },
  ],
};
const issues: IssuePoint[] = [{ id: 'I1', status: 'open', overdue: false, lon: 102.7123, lat: 25.0406 }];
const pulses: Pulse[] = [{ id: 'I2', lon: 102.75, lat: 25.02, at: 1000 }];

/** What a layer draws at: its (mapped) GeoJSON's first position, or getPosition of its first datum. */
function firstPosition(layer: Layer): number[] {
  const props = layer.props as unknown as { data: unknown; getPosition?: (d: unknown, info: unknown) => number[] };
  const data = props.data as { type?: string; features?: { geometry: { coordinates: unknown } }[]; geometry?: { coordinates: unknown } } | unknown[];
  if (!Array.isArray(data) && data.type) {
    let c = (data.features ? data.features[0].geometry : data.geometry!).coordinates;
    while (Array.isArray((c as unknown[])[0])) c = (c as unknown[])[0];
    return c as number[];
  }
  return props.getPosition!((data as unknown[])[0], { index: 0, data, target: [] });
}

describe('displayLayer over a GCJ-02 basemap', () => {
  const workspaceLayers = (): Layer[] => [
    buildGridChoropleth({ grids, values: null, metric: 'reported' }),
    buildHeatLayer({ points: [{ position: [102.71, 25.01], weight: 4 }] }),
    ...buildKeySiteLayers({ markers: siteMarkers(sites), sites, zoom: 15, selected: 'P1', zone: square(102.719, 25.029, 0.002) }),
    buildIssuePoints({ issues }),
    buildLivePulses({ pulses, now: 1500 }),
    buildRegionLabels({ labels: [{ code: 'S1', name: '街道', position: [102.7, 25.0], level: 'street', priority: 1 }] }),
  ];

  it('moves every workspace layer (choropleth, heat, sites, issues, pulses, labels) by WGS84 → GCJ-02', () => {
    const layers = workspaceLayers();
    const shifted = displayLayers(layers, GCJ02_DISPLAY);
    expect(shifted.map((l) => l.id)).toEqual(layers.map((l) => l.id));
    layers.forEach((layer, i) => {
      const [lon, lat] = firstPosition(layer);
      expect(shifted[i], layer.id).not.toBe(layer);
      expect(firstPosition(shifted[i]), layer.id).toEqual(toDisplay(lon, lat));
      // Hundreds of metres in Kunming: clearly moved.
      expect(Math.abs(firstPosition(shifted[i])[1] - lat), layer.id).toBeGreaterThan(0.002);
    });
  });

  it('keeps the data in WGS84: picked features keep their properties, picked points are the API records', () => {
    const choropleth = buildGridChoropleth({ grids, values: null, metric: 'reported' });
    const shifted = displayLayer(choropleth, GCJ02_DISPLAY);
    const data = shifted.props.data as FeatureCollection<Polygon>;
    expect(shifted.id).toBe(GRID_CHOROPLETH_ID);
    expect(data.features[0].properties).toBe(grids.features[0].properties);
    expect((grids.features[0].geometry as Polygon).coordinates[0][0]).toEqual([102.7, 25.0]);
    const points = displayLayer(buildIssuePoints({ issues }), GCJ02_DISPLAY);
    expect(points.props.data).toBe(issues);
  });

  it('keeps the layer’s own update triggers and adds the CRS, so switching basemaps recomputes positions', () => {
    const layer = buildIssuePoints({ issues, selected: 'I1' });
    const shifted = displayLayer(layer, GCJ02_DISPLAY);
    const triggers = shifted.props.updateTriggers as Record<string, unknown>;
    expect(triggers.getRadius).toEqual(['I1']);
    expect(JSON.stringify(triggers.getPosition)).toContain('display:gcj02');
  });

  it('returns the layer itself without a shift, and the same clone when the same layer is drawn again', () => {
    const layers = workspaceLayers();
    expect(displayLayers(layers, WGS84_DISPLAY)).toEqual(layers);
    layers.forEach((l) => expect(displayLayer(l, WGS84_DISPLAY)).toBe(l));
    const markers = layers.find((l) => l.id === KEY_SITE_IDS.markers)!;
    expect(displayLayer(markers, GCJ02_DISPLAY)).toBe(displayLayer(markers, GCJ02_DISPLAY));
    // GeoJSON data is mapped once per data object.
    const a = displayLayer(buildGridChoropleth({ grids, values: null, metric: 'reported' }), GCJ02_DISPLAY);
    const b = displayLayer(buildGridChoropleth({ grids, values: null, metric: 'score' }), GCJ02_DISPLAY);
    expect(a.props.data).toBe(b.props.data);
  });
});
