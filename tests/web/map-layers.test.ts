import { describe, expect, it } from 'vitest';
import {
  activePulses, anchorOf, buildGridChoropleth, buildIssuePoints, buildKeySiteLayers, buildLivePulses,
  buildRegionLabels, classedScale, classOf, colourOf, GRID_CHOROPLETH_ID, HEAT_ID, heatPoints, heatZoom, ISSUE_POINTS_ID,
  issueState, KEY_SITE_IDS, legendClasses, LIVE_PULSES_ID, pulseFrame, pulsesFromEvents, PULSE_MS, quantileBreaks,
  REGION_LABELS_ID, siteGlyph, siteMarkers, SITES_MIN_ZOOM, visibleLabels, ALARM_PALETTE, NO_DATA_COLOUR,
  hexToRgba, gridValuesOf, type GridCollection, type GridValues, type RegionLabel, type SiteCollection, type SiteMarker, type SiteProperties,
} from '../../web/map/layers';
import { buildHeatLayer } from '../../web/map/layers/heat-layer';
import { geometryBox } from '../../server/domain/geometry';
import { worldPixelToLonLat } from '../../server/domain/mercator';

const square = (x: number, y: number, d = 0.01) => ({
  type: 'Polygon' as const,
  coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
});

function grids(values: (number | null)[]): GridCollection {
  return {
    type: 'FeatureCollection',
    features: values.map((_v, i) => ({
      type: 'Feature',
      geometry: square(102.7 + i * 0.01, 24.9),
      properties: { code: `G${i}`, name: `网格${i}`, community: 'C1', street: 'S1' },
    })),
  };
}

/** Values of `reported` aligned to {@link grids} of the same list. */
function reported(values: (number | null)[]): GridValues {
  return gridValuesOf({ version: 'v1', count: values.length, values: { reported: values } }, { version: 'v1', features: values.length })!;
}

/** A choropleth's fill accessor, called as deck.gl calls it (with the feature's index). */
const fillOf = (layer: ReturnType<typeof buildGridChoropleth>) => (f: unknown, index: number) =>
  (layer.props.getFillColor as unknown as (f: unknown, o: { index: number }) => number[])(f, { index });

describe('classed colour scales', () => {
  it('puts quantile breaks between the values, rounded for the legend', () => {
    expect(quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'count')).toEqual([3, 5, 7, 9]);
  });

  it('drops duplicate and empty classes when values cluster', () => {
    expect(quantileBreaks([5, 5, 5, 5, 6], 'count')).toEqual([6]);
    expect(quantileBreaks([0.91], 'rate')).toEqual([]);
  });

  it('ignores nulls (nothing due) when computing breaks', () => {
    expect(quantileBreaks([null, 1, null, 2, 3, 4], 'count')).toEqual(quantileBreaks([1, 2, 3, 4], 'count'));
  });

  it('runs calm to alarming for counts and reverses for rates, so red always means bad', () => {
    const counts = classedScale('reported', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(counts.colours[0]).toBe(ALARM_PALETTE[0]);
    expect(counts.colours.at(-1)).toBe(ALARM_PALETTE.at(-1));
    const rates = classedScale('onTimeRate', [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, 1, 0.85]);
    expect(rates.colours[0]).toBe(ALARM_PALETTE.at(-1));
    expect(rates.colours.at(-1)).toBe(ALARM_PALETTE[0]);
  });

  it('classifies values by their lower bounds and paints null grey', () => {
    const scale = { metric: 'reported' as const, breaks: [10, 20], colours: ['#000001', '#000002', '#000003'] };
    expect([classOf(scale, 0), classOf(scale, 10), classOf(scale, 19.9), classOf(scale, 20), classOf(scale, null)]).toEqual([0, 1, 1, 2, -1]);
    expect(colourOf(scale, null)).toEqual(hexToRgba(NO_DATA_COLOUR));
  });

  it('describes each class for the legend, open-ended at both ends', () => {
    const scale = { metric: 'reported' as const, breaks: [10, 20], colours: ['#a', '#b', '#c'] };
    expect(legendClasses(scale)).toEqual([
      { colour: '#a', from: null, to: 10 },
      { colour: '#b', from: 10, to: 20 },
      { colour: '#c', from: 20, to: null },
    ]);
  });
});

describe('layer builders', () => {
  it('give every layer a stable id', () => {
    const g = grids([1, 2, 3]);
    expect(buildGridChoropleth({ grids: g, values: reported([1, 2, 3]), metric: 'reported' }).id).toBe(GRID_CHOROPLETH_ID);
    expect(buildHeatLayer({ points: [] }).id).toBe(HEAT_ID);
    expect(buildIssuePoints({ issues: [] }).id).toBe(ISSUE_POINTS_ID);
    expect(buildLivePulses({ pulses: [], now: 0 }).id).toBe(LIVE_PULSES_ID);
    expect(buildRegionLabels({ labels: [] }).id).toBe(REGION_LABELS_ID);
    const sites: SiteCollection = { type: 'FeatureCollection', features: [] };
    expect(buildKeySiteLayers({ markers: [], sites, zoom: 14 }).map((l) => l.id)).toEqual(Object.values(KEY_SITE_IDS));
  });

  it('colours the choropleth with the scale it is given', () => {
    const g = grids([1, 50]);
    const scale = { metric: 'reported' as const, breaks: [10], colours: ['#000010', '#000020'] };
    const layer = buildGridChoropleth({ grids: g, values: reported([1, 50]), metric: 'reported', scale, opacity: 255 });
    const fill = fillOf(layer);
    expect(fill(g.features[0], 0)).toEqual([0, 0, 16, 255]);
    expect(fill(g.features[1], 1)).toEqual([0, 0, 32, 255]);
  });

  it('fades grids outside the drill focus', () => {
    const g = grids([1]);
    const layer = buildGridChoropleth({ grids: g, values: reported([1]), metric: 'reported', opacity: 200, focusPrefix: 'OTHER' });
    expect(fillOf(layer)(g.features[0], 0)[3]).toBeLessThan(200);
  });

  it('draws only red and amber sites when zoomed out to the whole district, all of them from SITES_MIN_ZOOM', () => {
    const sites = siteCollection(['green', 'red', 'amber', 'green']);
    const markers = siteMarkers(sites);
    const drawn = (zoom: number, selected: string | null = null) =>
      (buildKeySiteLayers({ markers, sites, zoom, selected }).find((l) => l.id === KEY_SITE_IDS.markers)!.props.data as SiteMarker[]).map((m) => m.id);
    expect(drawn(SITES_MIN_ZOOM - 1)).toEqual(['s2', 's1']);
    expect(drawn(SITES_MIN_ZOOM - 1, 's3')).toEqual(['s2', 's1', 's3']);
    expect(drawn(SITES_MIN_ZOOM)).toEqual(['s0', 's3', 's2', 's1']);
  });

  it('draws red sites largest, ringed and on top, green ones smallest', () => {
    const sites = siteCollection(['red', 'green', 'amber']);
    const layers = buildKeySiteLayers({ markers: siteMarkers(sites), sites, zoom: 14 });
    const markers = layers.find((l) => l.id === KEY_SITE_IDS.markers)!;
    const data = markers.props.data as SiteMarker[];
    expect(data.map((m) => m.status)).toEqual(['green', 'amber', 'red']);
    const radius = (markers.props as unknown as { getRadius: (m: SiteMarker) => number }).getRadius;
    const [green, amber, red] = data.map(radius);
    expect(green).toBeLessThan(amber);
    expect(amber).toBeLessThan(red);
    expect((layers.find((l) => l.id === KEY_SITE_IDS.halo)!.props.data as SiteMarker[]).map((m) => m.status)).toEqual(['red']);
  });
});

/** Point sites `s0`, `s1` … with the given statuses. */
function siteCollection(statuses: readonly SiteProperties['status'][]): SiteCollection {
  return {
    type: 'FeatureCollection',
    features: statuses.map((status, i) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [102.7 + i * 0.01, 25] },
      properties: { id: `s${i}`, type: 'market', typeName: '农贸市场', name: `S${i}`, unit: null, status, openCount: 0, overdue: 0, longOverdue: 0, reported: 0 },
    })),
  };
}

describe('key sites', () => {
  it('has a glyph per built-in type and falls back to the type name', () => {
    expect(siteGlyph('market')).toBe('市');
    expect(siteGlyph('local_kiosk', '报刊亭')).toBe('报');
    expect(siteGlyph('x')).toBe('点');
  });

  it('places a marker on points, line middles and polygon interiors', () => {
    const sites: SiteCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { id: 'a', type: 'market', typeName: '农贸市场', name: 'A', unit: null, status: 'green', openCount: 0, overdue: 0, longOverdue: 0, reported: 0 } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[0, 0], [2, 0], [2, 2]] }, properties: { id: 'b', type: 'back_alley', typeName: '背街小巷', name: 'B', unit: null, status: 'amber', openCount: 1, overdue: 0, longOverdue: 0, reported: 1 } },
        { type: 'Feature', geometry: null, properties: { id: 'c', type: 'park', typeName: '公园', name: 'C', unit: null, status: 'green', openCount: 0, overdue: 0, longOverdue: 0, reported: 0 } },
      ],
    };
    expect(siteMarkers(sites).map((m) => [m.id, m.position, m.glyph])).toEqual([['a', [1, 2], '市'], ['b', [2, 0], '巷']]);
  });

  it('anchors a polygon inside it and measures bboxes of any geometry', () => {
    const [x, y] = anchorOf(square(0, 0, 2))!;
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(2);
    expect(y).toBeGreaterThan(0);
    expect(y).toBeLessThan(2);
    expect(geometryBox({ type: 'MultiLineString', coordinates: [[[0, 1], [3, -1]], [[5, 5], [4, 4]]] })).toEqual([0, -1, 5, 5]);
    expect(anchorOf(null)).toBeNull();
  });
});

describe('heat bins', () => {
  it('inverts the server binning: bin centres land where their world pixels are', () => {
    expect(worldPixelToLonLat(128, 128, 0)).toEqual([0, 0]);
    const [lon, lat] = worldPixelToLonLat(0, 0, 0);
    expect(lon).toBe(-180);
    expect(lat).toBeCloseTo(85.0511, 3);
  });

  it('turns columns into weighted points at bin centres', () => {
    const points = heatPoints({ zoom: 1, cell: 256, origin: [0, 0], x: [0, 1], y: [1, 0], count: [3, 7] });
    expect(points.map((p) => p.weight)).toEqual([3, 7]);
    expect(points[0].position[0]).toBeCloseTo(-90);
    expect(points[0].position[1]).toBeLessThan(0);
    expect(points[1].position[0]).toBeCloseTo(90);
    expect(points[1].position[1]).toBeGreaterThan(0);
  });

  it('asks for an integer zoom the server accepts', () => {
    expect([heatZoom(12.7), heatZoom(-1), heatZoom(25)]).toEqual([13, 0, 18]);
  });
});

describe('issue points and live pulses', () => {
  it('colours an issue overdue over open over done', () => {
    expect(issueState({ status: 'dispatched', overdue: true })).toBe('overdue');
    expect(issueState({ status: 'handled', overdue: false })).toBe('open');
    expect(issueState({ status: 'closed', overdue: false })).toBe('ok');
    expect(issueState({ status: 'cancelled', overdue: false })).toBe('ok');
  });

  it('pulses only issue.created events with coordinates', () => {
    const pulses = pulsesFromEvents([
      { type: 'issue.created', data: { issue: { id: 'A', lon: 102.7, lat: 25 } }, receivedAt: 10 },
      { type: 'issue.updated', data: { issue: { id: 'B', lon: 102.7, lat: 25 } }, receivedAt: 10 },
      { type: 'issue.created', data: { issue: { id: 'C' } }, receivedAt: 10 },
    ]);
    expect(pulses).toEqual([{ id: 'A', lon: 102.7, lat: 25, at: 10 }]);
  });

  it('expands and fades a pulse, and drops it after its lifetime', () => {
    const p = { id: 'A', lon: 0, lat: 0, at: 1000 };
    expect(pulseFrame(p, 1000).alpha).toBe(255);
    expect(pulseFrame(p, 1700).radius).toBeGreaterThan(pulseFrame(p, 1000).radius);
    expect(activePulses([p], 1000 + PULSE_MS - 1)).toHaveLength(1);
    expect(activePulses([p], 1000 + PULSE_MS)).toHaveLength(0);
  });
});

describe('region labels', () => {
  const label = (code: string, level: RegionLabel['level'], x: number, priority = 1): RegionLabel => ({
    code, name: `名称${code}`, level, position: [x, 0], priority,
  });
  const project = (p: [number, number]): [number, number] => [p[0], 100];

  it('shows streets when zoomed out and communities and grids when zoomed in', () => {
    const labels = [label('S', 'street', 100), label('C', 'community', 400), label('G', 'grid', 700)];
    const at = (zoom: number) => visibleLabels(labels, zoom, project, { width: 1000, height: 500 }).map((l) => l.code).sort();
    expect(at(11)).toEqual(['S']);
    expect(at(13)).toEqual(['C', 'S']);
    expect(at(15)).toEqual(['C', 'G']);
  });

  it('names a city\'s districts while the whole city is in view, its streets when zoomed in', () => {
    const labels = [label('D', 'district', 100), label('S', 'street', 400), label('C', 'community', 700)];
    const at = (zoom: number) => visibleLabels(labels, zoom, project, { width: 1000, height: 500 }).map((l) => l.code).sort();
    expect(at(10)).toEqual(['D']);
    expect(at(12)).toEqual(['S']);
    // Without district names (a district at the top) streets are named at any zoom out.
    expect(visibleLabels([label('S', 'street', 400)], 10, project, { width: 1000, height: 500 }).map((l) => l.code)).toEqual(['S']);
  });

  it('drops the lower-priority community name of two that collide, and those off screen', () => {
    const labels = [label('A', 'community', 100, 1), label('B', 'community', 110, 5), label('Far', 'community', 5000)];
    expect(visibleLabels(labels, 13, project, { width: 1000, height: 500 }).map((l) => l.code)).toEqual(['B']);
  });

  it('names every street at district zoom: a crowded one moves beside its place instead of vanishing', () => {
    const labels = [label('A', 'street', 100, 1), label('B', 'street', 110, 5), label('C', 'street', 105, 3)];
    const shown = visibleLabels(labels, 11, project, { width: 1000, height: 500 });
    expect(shown.map((l) => l.code).sort()).toEqual(['A', 'B', 'C']);
    expect(shown.find((l) => l.code === 'B')!.offset).toBeUndefined();
    expect(shown.find((l) => l.code === 'A')!.offset).toBeDefined();
  });

  it('keeps names off the legend drawn over the map', () => {
    const legend = { left: 0, top: 80, right: 300, bottom: 130 };
    const shown = visibleLabels([label('A', 'street', 100)], 11, project, { width: 1000, height: 500 }, [legend]);
    const [dx, dy] = shown[0].offset ?? [0, 0];
    const top = 100 + dy - 10;
    const bottom = 100 + dy + 10;
    expect(100 + dx > 300 + 40 || bottom < 80 || top > 130).toBe(true);
  });

  it('always shows the focused unit, whatever the zoom', () => {
    const labels = [{ ...label('G', 'grid', 100), priority: Infinity }];
    expect(visibleLabels(labels, 10, project, { width: 1000, height: 500 })).toHaveLength(1);
  });
});
