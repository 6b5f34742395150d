import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  BASE_STYLE_PREFIX, BASEMAP_LAYERS, BASEMAP_SOURCES, buildBasemapStyle, basemapStyleUrl, displayRegions, mergeBaseStyle,
  pmtilesUrl, RASTER_IDS, type StyleSpecification,
} from '../../web/map/basemap-style';
import {
  amapBasemap, displayProjection, expandTemplate, GCJ02_DISPLAY, isPmtilesBasemap, parseBasemaps, WGS84_DISPLAY,
  type PmtilesBasemap, type TileBasemap,
} from '../../web/map/basemaps';
import { mapBbox, mapGeoJson } from '../../web/map/geo';
import { smallRegionLayers } from './region-fixture';

/** Metres between two lon/lat points (equirectangular; fine over a few hundred metres). */
function metres([lon1, lat1]: Position, [lon2, lat2]: Position): number {
  const k = (Math.PI / 180) * 6371008.8;
  return Math.hypot((lon2 - lon1) * k * Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180)), (lat2 - lat1) * k);
}

describe('display projection (WGS84 → GCJ-02 for AMap)', () => {
  const kunming: [number, number] = [102.7123, 25.0406];

  it('shifts Kunming by the published GCJ-02 offset, a few hundred metres', () => {
    const [lon, lat] = GCJ02_DISPLAY.toDisplay(...kunming);
    // The published formula's value (Krasovsky ellipsoid), computed independently of gcoord.
    expect(lon).toBeCloseTo(102.7137416, 6);
    expect(lat).toBeCloseTo(25.0376274, 6);
    const d = metres(kunming, [lon, lat]);
    expect(d).toBeGreaterThan(200);
    expect(d).toBeLessThan(800);
  });

  it('round-trips fromDisplay(toDisplay(p)) within 1e-6° across the district and China', () => {
    for (const p of [kunming, [102.79, 25.0], [102.6, 25.15], [116.397, 39.909], [121.47, 31.23], [87.6, 43.8]] as [number, number][]) {
      const [lon, lat] = GCJ02_DISPLAY.fromDisplay(...GCJ02_DISPLAY.toDisplay(...p));
      expect(Math.abs(lon - p[0])).toBeLessThan(1e-6);
      expect(Math.abs(lat - p[1])).toBeLessThan(1e-6);
    }
  });

  it('is the identity outside China', () => {
    for (const p of [[2.3522, 48.8566], [-74.006, 40.7128], [139.6917, 35.6895], [151.2093, -33.8688]] as [number, number][]) {
      expect(GCJ02_DISPLAY.toDisplay(...p)).toEqual(p);
      expect(GCJ02_DISPLAY.fromDisplay(...p)).toEqual(p);
    }
  });

  it('is chosen by the basemap: GCJ-02 only for a gcj02 basemap', () => {
    expect(displayProjection(null)).toBe(WGS84_DISPLAY);
    expect(displayProjection({ id: 'x', name: 'x', tiles: ['http://t/{z}/{x}/{y}'] })).toBe(WGS84_DISPLAY);
    expect(displayProjection(amapBasemap())).toBe(GCJ02_DISPLAY);
    expect(WGS84_DISPLAY.toDisplay(...kunming)).toEqual(kunming);
  });

  it('maps a bbox to the box around its mapped corners (the heat query bbox back to WGS84)', () => {
    const bbox: [number, number, number, number] = [102.6, 24.9, 102.9, 25.2];
    const shown = mapBbox(bbox, GCJ02_DISPLAY.toDisplay);
    const back = mapBbox(shown, GCJ02_DISPLAY.fromDisplay);
    expect(shown[0]).not.toBeCloseTo(bbox[0], 3);
    // The offset changes by tens of metres across a district, so the round trip's box covers the
    // original and is at most that much larger.
    expect(back[0]).toBeLessThanOrEqual(bbox[0] + 1e-9);
    expect(back[1]).toBeLessThanOrEqual(bbox[1] + 1e-9);
    expect(back[2]).toBeGreaterThanOrEqual(bbox[2] - 1e-9);
    expect(back[3]).toBeGreaterThanOrEqual(bbox[3] - 1e-9);
    back.forEach((v, i) => expect(Math.abs(v - bbox[i])).toBeLessThan(5e-4));
    expect(mapBbox(bbox, WGS84_DISPLAY.toDisplay)).toEqual(bbox);
  });
});

describe('mapGeoJson', () => {
  const square: Polygon = { type: 'Polygon', coordinates: [[[102.7, 25], [102.71, 25], [102.71, 25.01, 1900], [102.7, 25]]] };
  const fc: FeatureCollection<Polygon> = { type: 'FeatureCollection', bbox: [102.7, 25, 102.71, 25.01], features: [{ type: 'Feature', geometry: square, properties: { code: 'A' } }] };

  it('maps every position, keeps elevation and shares properties; the input is untouched', () => {
    const out = mapGeoJson(fc, GCJ02_DISPLAY.toDisplay);
    const ring = out.features[0].geometry.coordinates[0];
    expect(ring[0]).toEqual(GCJ02_DISPLAY.toDisplay(102.7, 25));
    expect(ring[2][2]).toBe(1900);
    expect(out.features[0].properties).toBe(fc.features[0].properties);
    expect(out.bbox).toBeUndefined();
    expect(fc.features[0].geometry.coordinates[0][0]).toEqual([102.7, 25]);
  });

  it('returns the same object for the same input, so renderers see unchanged data', () => {
    expect(mapGeoJson(fc, GCJ02_DISPLAY.toDisplay)).toBe(mapGeoJson(fc, GCJ02_DISPLAY.toDisplay));
    const feature: Feature<Polygon> = fc.features[0];
    expect(mapGeoJson(feature, GCJ02_DISPLAY.toDisplay).geometry.coordinates[0][1]).toEqual(GCJ02_DISPLAY.toDisplay(102.71, 25));
  });
});

describe('parseBasemaps: AMap and crs', () => {
  it('expands the {"id":"amap"} preset to AMap road tiles on four subdomains, in GCJ-02', () => {
    const { basemaps, problems } = parseBasemaps('[{"id":"amap"},{"id":"amap2","name":"高德（自定）","tiles":["https://webrd0{1-4}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"],"crs":"gcj02"}]');
    expect(problems).toEqual([]);
    const [preset, custom] = basemaps as TileBasemap[];
    expect(preset).toMatchObject({ id: 'amap', name: '高德地图', crs: 'gcj02' });
    expect(preset.tiles).toHaveLength(4);
    expect(preset.tiles[0]).toBe('https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}');
    expect(preset.tiles[3]).toContain('webrd04.');
    expect(custom.crs).toBe('gcj02');
    expect(custom.tiles).toEqual(preset.tiles);
  });

  it('renames a preset and defaults other entries to WGS84', () => {
    const { basemaps } = parseBasemaps('[{"id":"amap","name":"高德"},{"id":"osm","name":"OSM","tiles":["https://{a-c}.tile.example.org/{z}/{x}/{y}.png"]},{"id":"w","name":"W","tiles":["http://t/{z}/{x}/{y}"],"crs":"CGCS2000"}]');
    expect(basemaps[0].name).toBe('高德');
    expect(basemaps[1].crs).toBeUndefined();
    expect((basemaps[1] as TileBasemap).tiles).toEqual(['https://a.tile.example.org/{z}/{x}/{y}.png', 'https://b.tile.example.org/{z}/{x}/{y}.png', 'https://c.tile.example.org/{z}/{x}/{y}.png']);
    expect(basemaps[2].crs).toBe('wgs84');
    expect(expandTemplate('http://t/{z}/{x}/{y}')).toEqual(['http://t/{z}/{x}/{y}']);
  });

  it('reports a bad crs, a bad number, a missing 天地图 key and a duplicate id, keeping the good entries', () => {
    const { basemaps, problems } = parseBasemaps(JSON.stringify([
      { id: 'baidu', name: '百度', tiles: ['http://t/{z}/{x}/{y}'], crs: 'bd09' },
      { id: 'big', name: 'x', tiles: ['http://t/{z}/{x}/{y}'], maxzoom: 30 },
      { id: 'odd', name: 'x', tiles: ['http://t/{z}/{x}/{y}'], tileSize: 300 },
      { id: 'tianditu' },
      { id: 'amap' },
      { id: 'amap', name: 'again', tiles: ['http://t/{z}/{x}/{y}'] },
      'amap',
    ]));
    expect(basemaps.map((b) => b.id)).toEqual(['amap']);
    expect(problems).toEqual([
      'basemap baidu: crs must be "wgs84" or "gcj02" (BD-09 Baidu tiles are not supported)',
      'basemap big: maxzoom must be a whole number from 0 to 24',
      'basemap odd: tileSize must be 256 or 512',
      'basemap tianditu: tk (the 天地图 key) is missing',
      'basemap amap: id is used twice; the first entry is kept',
      'basemap 6: must be an object',
    ]);
  });
});

describe('parseBasemaps: PMTiles', () => {
  it('accepts raster and vector archives, with or without a style, by path or URL', () => {
    const { basemaps, problems } = parseBasemaps(JSON.stringify([
      { id: 'city', name: '城市底图', pmtiles: '/tiles/city.pmtiles', type: 'raster', attribution: '© 测绘院' },
      { id: 'vec', name: '矢量', pmtiles: 'pmtiles://https://tiles.example.gov.cn/city.pmtiles', type: 'vector' },
      { id: 'styled', name: '矢量样式', pmtiles: '/tiles/city-vector.pmtiles', type: 'vector', style: '/tiles/style.json', crs: 'gcj02' },
    ]));
    expect(problems).toEqual([]);
    expect(basemaps.every(isPmtilesBasemap)).toBe(true);
    const [city, vec, styled] = basemaps as PmtilesBasemap[];
    expect(city).toEqual({ id: 'city', name: '城市底图', pmtiles: '/tiles/city.pmtiles', type: 'raster', attribution: '© 测绘院' });
    expect(vec.pmtiles).toBe('https://tiles.example.gov.cn/city.pmtiles');
    expect(styled).toMatchObject({ type: 'vector', style: '/tiles/style.json', crs: 'gcj02' });
  });

  it('explains what is wrong with a broken PMTiles entry', () => {
    const { basemaps, problems } = parseBasemaps(JSON.stringify([
      { id: 'a', name: 'a', pmtiles: '/tiles/a.pmtiles' },
      { id: 'b', name: 'b', pmtiles: '/tiles/b.pmtiles', type: 'raster', style: '/s.json' },
      { id: 'c', name: 'c', pmtiles: 'file:///srv/c.pmtiles', type: 'raster' },
      { id: 'd', name: 'd', pmtiles: '/tiles/{z}/{x}/{y}.png', type: 'raster' },
      { id: 'e', name: 'e', pmtiles: '/e.pmtiles', tiles: ['http://t/{z}/{x}/{y}'], type: 'raster' },
      { id: 'f', name: 'f', pmtiles: '/f.pmtiles', type: 'vector', style: 42 },
      { id: 'g', name: 'g', pmtiles: '', type: 'vector' },
    ]));
    expect(basemaps).toEqual([]);
    expect(problems).toEqual([
      'basemap a: type must be "raster" or "vector" (what the .pmtiles file holds)',
      'basemap b: style is only for vector PMTiles',
      'basemap c: pmtiles must be the URL or path of a .pmtiles file (e.g. "/tiles/city.pmtiles")',
      'basemap d: pmtiles must be the URL or path of a .pmtiles file (e.g. "/tiles/city.pmtiles")',
      'basemap e: give either tiles or pmtiles, not both',
      'basemap f: style must be the URL or path of a MapLibre style JSON',
      'basemap g: pmtiles must be the URL or path of a .pmtiles file (e.g. "/tiles/city.pmtiles")',
    ]);
  });
});

describe('map style over AMap and PMTiles basemaps', () => {
  const regionCoords = (style: StyleSpecification, source: string) =>
    ((style.sources[source] as { data: FeatureCollection<Polygon> }).data.features[0].geometry.coordinates[0]);

  it('draws the region layers shifted into GCJ-02 over AMap, and as they are otherwise', () => {
    const regions = smallRegionLayers();
    const original = regions.street.features[0].geometry as Polygon;
    const [lon, lat] = original.coordinates[0][0];
    const amap = buildBasemapStyle(regions, { raster: amapBasemap() });
    expect(regionCoords(amap, BASEMAP_SOURCES.street)[0]).toEqual(GCJ02_DISPLAY.toDisplay(lon, lat));
    expect(metres(regionCoords(amap, BASEMAP_SOURCES.street)[0], [lon, lat])).toBeGreaterThan(100);
    expect(amap.layers.map((l) => l.id).slice(0, 2)).toEqual([BASEMAP_LAYERS.background, RASTER_IDS.layer]);
    const plain = buildBasemapStyle(regions, { raster: { id: 'x', name: 'x', tiles: ['http://t/{z}/{x}/{y}'] } });
    expect(regionCoords(plain, BASEMAP_SOURCES.street)[0]).toEqual([lon, lat]);
    expect(displayRegions(regions, null)).toBe(regions);
    // The data passed in is not modified.
    expect(original.coordinates[0][0]).toEqual([lon, lat]);
  });

  it('reads a raster PMTiles archive through pmtiles://, absolute against the page', () => {
    const basemap: PmtilesBasemap = { id: 'city', name: '城市', pmtiles: '/tiles/city.pmtiles', type: 'raster', attribution: '© 测绘院' };
    const style = buildBasemapStyle(smallRegionLayers(), { raster: basemap, baseUrl: 'http://10.1.2.3:8080/?scope=street' });
    expect(style.sources[RASTER_IDS.source]).toEqual({ type: 'raster', url: 'pmtiles://http://10.1.2.3:8080/tiles/city.pmtiles', tileSize: 256, attribution: '© 测绘院' });
    expect(style.layers.find((l) => l.id === RASTER_IDS.layer)).toMatchObject({ type: 'raster', source: RASTER_IDS.source });
    expect(pmtilesUrl('https://t.example/c.pmtiles', 'http://a/')).toBe('pmtiles://https://t.example/c.pmtiles');
    expect(pmtilesUrl('/c.pmtiles')).toBe('pmtiles:///c.pmtiles');
  });

  it('draws a vector PMTiles archive without a style with the built-in land/water/roads layers and no labels', () => {
    const basemap: PmtilesBasemap = { id: 'vec', name: '矢量', pmtiles: '/tiles/city.pmtiles', type: 'vector' };
    const style = buildBasemapStyle(smallRegionLayers(), { raster: basemap, baseUrl: 'http://host/' });
    expect(style.sources[RASTER_IDS.source]).toEqual({ type: 'vector', url: 'pmtiles://http://host/tiles/city.pmtiles' });
    const base = style.layers.filter((l) => 'source' in l && l.source === RASTER_IDS.source) as { 'source-layer': string; type: string }[];
    expect(new Set(base.map((l) => l['source-layer']))).toEqual(new Set(['earth', 'landuse', 'park', 'water', 'roads', 'transportation', 'buildings', 'building']));
    expect(style.layers.some((l) => l.type === 'symbol')).toBe(false);
    expect(style.glyphs).toBeUndefined();
    // Base layers first, region layers on top.
    const ids = style.layers.map((l) => l.id);
    expect(ids.indexOf(`${RASTER_IDS.source}-roads`)).toBeLessThan(ids.indexOf(BASEMAP_LAYERS.districtFill));
    expect(basemapStyleUrl(basemap)).toBeNull();
  });

  it('merges a vector archive’s own style under the region layers, with prefixed ids', () => {
    const basemap: PmtilesBasemap = { id: 'styled', name: '样式', pmtiles: '/tiles/city.pmtiles', type: 'vector', style: '/tiles/style.json' };
    expect(basemapStyleUrl(basemap)).toBe('/tiles/style.json');
    const ours = buildBasemapStyle(smallRegionLayers(), { raster: basemap });
    expect(ours.sources[RASTER_IDS.source]).toBeUndefined();
    const fetched: StyleSpecification = {
      version: 8,
      glyphs: '/tiles/fonts/{fontstack}/{range}.pbf',
      sources: { city: { type: 'vector', url: 'pmtiles:///tiles/city.pmtiles' } },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#eee' } },
        { id: 'water', type: 'fill', source: 'city', 'source-layer': 'water' },
        { id: 'street', type: 'line', source: 'city', 'source-layer': 'roads' },
      ],
    };
    const merged = mergeBaseStyle(fetched, ours);
    expect(merged.glyphs).toBe(fetched.glyphs);
    expect(Object.keys(merged.sources)).toEqual([`${BASE_STYLE_PREFIX}city`, BASEMAP_SOURCES.district, BASEMAP_SOURCES.street, BASEMAP_SOURCES.community]);
    const ids = merged.layers.map((l) => l.id);
    expect(ids.slice(0, 3)).toEqual([`${BASE_STYLE_PREFIX}background`, `${BASE_STYLE_PREFIX}water`, `${BASE_STYLE_PREFIX}street`]);
    expect(ids).not.toContain(BASEMAP_LAYERS.background);
    expect(ids).toContain(BASEMAP_LAYERS.streetFill);
    expect(new Set(ids).size).toBe(ids.length);
    expect(merged.layers[1]).toMatchObject({ source: `${BASE_STYLE_PREFIX}city` });
  });
});
