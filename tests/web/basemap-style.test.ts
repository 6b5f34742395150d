import { describe, expect, it } from 'vitest';
import {
  BASEMAP_LAYERS,
  BASEMAP_SOURCES,
  STREET_TINTS,
  TINT_PROPERTY,
  buildBasemapStyle,
  highlightFilter,
  tintStreets,
} from '../../web/map/basemap-style';
import { smallRegionLayers } from './region-fixture';

describe('buildBasemapStyle', () => {
  it('fetches nothing: no glyphs, sprite, or URL-based sources', () => {
    const style = buildBasemapStyle(smallRegionLayers());
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
    for (const source of Object.values(style.sources)) {
      expect(source.type).toBe('geojson');
      expect(typeof (source as { data: unknown }).data).toBe('object');
    }
  });

  it('has no symbol layers, since they would need glyphs', () => {
    const style = buildBasemapStyle(smallRegionLayers());
    expect(style.layers.filter((l) => l.type === 'symbol')).toEqual([]);
  });

  it('draws background, fills, then community, street and district outlines in that order', () => {
    const ids = buildBasemapStyle(smallRegionLayers()).layers.map((l) => l.id);
    const L = BASEMAP_LAYERS;
    expect(ids).toEqual([
      L.background,
      L.districtFill,
      L.streetFill,
      L.streetHighlight,
      L.communityFill,
      L.communityLine,
      L.streetLine,
      L.streetHighlightLine,
      L.communityHighlightLine,
      L.districtLine,
    ]);
  });

  it('highlights the requested community', () => {
    const style = buildBasemapStyle(smallRegionLayers(), { highlightCommunity: '530111001001' });
    const layer = style.layers.find((l) => l.id === BASEMAP_LAYERS.communityHighlightLine) as { filter: unknown };
    expect(layer.filter).toEqual(highlightFilter('530111001001'));
  });

  it('takes colour overrides for other themes', () => {
    const style = buildBasemapStyle(smallRegionLayers(), { colours: { outside: '#000000' } });
    const bg = style.layers.find((l) => l.id === BASEMAP_LAYERS.background) as { paint: Record<string, unknown> };
    expect(bg.paint['background-color']).toBe('#000000');
  });

  it('draws street outlines thicker than community outlines at every zoom', () => {
    const layers = buildBasemapStyle(smallRegionLayers()).layers;
    const width = (id: string) => {
      const layer = layers.find((l) => l.id === id) as { paint: { 'line-width': unknown[] } };
      const expr = layer.paint['line-width'];
      return [expr[4], expr[6]] as number[];
    };
    const [streetLow, streetHigh] = width(BASEMAP_LAYERS.streetLine);
    const [communityLow, communityHigh] = width(BASEMAP_LAYERS.communityLine);
    expect(streetLow).toBeGreaterThan(communityLow);
    expect(streetHigh).toBeGreaterThan(communityHigh);
  });

  it('puts each region level in its own source', () => {
    const regions = smallRegionLayers();
    const style = buildBasemapStyle(regions);
    const data = (id: string) => (style.sources[id] as { data: { features: unknown[] } }).data;
    expect(data(BASEMAP_SOURCES.district).features).toHaveLength(1);
    expect(data(BASEMAP_SOURCES.street).features).toHaveLength(2);
    expect(data(BASEMAP_SOURCES.community).features).toHaveLength(3);
  });

  it('highlights the requested street in both highlight layers', () => {
    const style = buildBasemapStyle(smallRegionLayers(), { highlightStreet: '530111002' });
    for (const id of [BASEMAP_LAYERS.streetHighlight, BASEMAP_LAYERS.streetHighlightLine]) {
      const layer = style.layers.find((l) => l.id === id) as { filter: unknown };
      expect(layer.filter).toEqual(highlightFilter('530111002'));
    }
  });
});

describe('highlightFilter', () => {
  it('matches no real code when nothing is highlighted', () => {
    expect(highlightFilter(null)).toEqual(['==', ['get', 'code'], '']);
  });
});

describe('tintStreets', () => {
  it('gives streets tints in code order regardless of feature order', () => {
    const streets = smallRegionLayers().street;
    streets.features.reverse();
    const tinted = tintStreets(streets);
    const byCode = Object.fromEntries(
      tinted.features.map((f) => [f.properties.code, (f.properties as unknown as Record<string, string>)[TINT_PROPERTY]]),
    );
    expect(byCode).toEqual({ '530111001': STREET_TINTS[0], '530111002': STREET_TINTS[1] });
  });

  it('does not modify the input features', () => {
    const streets = smallRegionLayers().street;
    tintStreets(streets);
    expect(TINT_PROPERTY in streets.features[0].properties).toBe(false);
  });
});

describe('online basemaps', () => {
  it('parses configured XYZ basemaps and the 天地图 shorthand, dropping broken entries with a reason', async () => {
    const { parseBasemaps } = await import('../../web/map/basemaps');
    const { basemaps, problems } = parseBasemaps(
      JSON.stringify([
        { id: 'tianditu', tk: 'KEY' },
        { id: 'local', name: '本地瓦片', tiles: ['http://tiles.local/{z}/{x}/{y}.png'] },
        { id: 'bad', name: 'x', tiles: ['http://no-placeholders'] },
        { id: 'offline', name: 'x', tiles: ['http://t/{z}/{x}/{y}'] },
      ]),
    );
    expect(basemaps.map((b) => b.id)).toEqual(['tianditu', 'local']);
    const tianditu = basemaps[0] as import('../../web/map/basemaps').TileBasemap;
    expect(tianditu.tiles[0]).toContain('tk=KEY');
    expect(tianditu.overlay?.[0]).toContain('LAYER=cva');
    expect(problems).toHaveLength(2);
    expect(parseBasemaps('not json').problems).toEqual(['basemap configuration is not JSON']);
    expect(parseBasemaps(undefined)).toEqual({ basemaps: [], problems: [] });
  });

  it('puts a chosen raster basemap under the regions and makes the land see-through', () => {
    const raster = { id: 'local', name: '本地', tiles: ['http://tiles.local/{z}/{x}/{y}.png'] };
    const style = buildBasemapStyle(smallRegionLayers(), { raster });
    expect(style.layers.map((l) => l.id).slice(0, 3)).toEqual([BASEMAP_LAYERS.background, 'raster', BASEMAP_LAYERS.districtFill]);
    const land = style.layers.find((l) => l.id === BASEMAP_LAYERS.districtFill) as { paint: Record<string, unknown> };
    expect(land.paint['fill-opacity']).toBe(0);
  });
});
