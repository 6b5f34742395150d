/**
 * The grid choropleth: every grid of the published plan filled by one KPI on a classed scale.
 * Pure builder with a stable layer id, so deck.gl updates the layer instead of recreating it. The
 * shapes (the geometry file, kept per version) and the values (per filter, grid-values.ts) come
 * apart: a new filter changes only the fill colours' trigger, never the layer's data, and the
 * colours are computed once per change into an array aligned to the shapes (fill-colours.ts).
 * The outlines are hairlines in one draw (thin-lines.ts); only the selected grid's wider one goes
 * through deck.gl's path layer. The fills are drawn through an ids texture (id-fill.ts), so a new
 * frame's colours cost one full-screen quad, not every grid's triangles.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { hexToRgba, type ChoroplethMetric, type ClassedScale } from './colours';
import { colourAt, fillColours } from './fill-colours';
import { gridScale, valueOf, type GridValues } from './grid-values';
import { IdFillPolygonLayer } from './id-fill';
import { HairlineGeoJsonLayer } from './thin-lines';

/** Layer id of the choropleth. */
export const GRID_CHOROPLETH_ID = 'grid-choropleth';

/** What the map reads of a grid: the properties of the grid geometry file (`/api/geometry/grids/…`). */
export interface GridProperties {
  code: string;
  name: string;
  community: string;
  street: string | null;
  inspector?: string | null;
  households?: number | null;
}

export type GridFeature = Feature<Geometry | null, GridProperties>;
export type GridCollection = FeatureCollection<Geometry | null, GridProperties>;

/** Options of {@link buildGridChoropleth}. */
export interface GridChoroplethOptions {
  /** The shapes: keep the same object for as long as the geometry version lasts. */
  grids: GridCollection;
  /** The values per filter, aligned to `grids` (null while none have arrived: everything no-data grey). */
  values: GridValues | null;
  metric: ChoroplethMetric;
  /** Defaults to {@link gridScale} of the values; pass one to keep colours stable across views. */
  scale?: ClassedScale;
  /** Fill opacity 0–255; the basemap shows through so outlines and names stay readable. */
  opacity?: number;
  /** Grid code outlined as selected. */
  selected?: string | null;
  /** Grids outside this street/community code prefix are faded (the drill focus); null = none faded. */
  focusPrefix?: string | null;
  visible?: boolean;
  pickable?: boolean;
  /**
   * The value a grid is coloured by, instead of its `metric` value (playback: the grid's count
   * in the frame shown). Keep the data the same object and change `valueKey` with each frame: deck.gl
   * then recomputes only the fill colours, never the polygons.
   */
  valueAt?: (p: GridProperties) => number | null;
  /** Changes whenever `valueAt` answers differently (the frame index). */
  valueKey?: string | number;
  /**
   * Fills drawn through an ids texture (id-fill.ts; default) or as deck.gl's triangles. The texture
   * pays where the colours change while the view stands (the workspace's playback: 224–240 → 169–182 ms
   * a frame at 10 k grids in software WebGL); on the wall, whose pulses redraw the map all the time,
   * its screen-sized quad cost more than the triangles (289–292 → 331–337 ms a replay frame), so the wall
   * keeps the triangles.
   */
  fillThroughIds?: boolean;
}

const OUTLINE = hexToRgba('#ffffff', 200);
const SELECTED_OUTLINE = hexToRgba('#1d4ed8');
const TRANSPARENT = hexToRgba('#000000', 0);

/** The choropleth layer (id {@link GRID_CHOROPLETH_ID}); picking returns the grid feature. */
export function buildGridChoropleth(o: GridChoroplethOptions): GeoJsonLayer<GridProperties> {
  const values = o.values;
  const scale = o.scale ?? (values ? gridScale(values, o.metric) : { metric: o.metric, breaks: [], colours: [] });
  const opacity = o.opacity ?? 170;
  const focus = o.focusPrefix ?? null;
  const valueAt = o.valueAt;
  const value = (f: GridFeature, index: number) => (valueAt ? valueAt(f.properties) : valueOf(values, o.metric, index));
  const faded = (f: GridFeature) => focus !== null && !f.properties.code.startsWith(focus) && !f.properties.community.startsWith(focus);
  const alpha = (f: GridFeature, index: number) => (values?.outside.has(index) ? 0 : faded(f) ? Math.round(opacity * 0.35) : opacity);
  // Every feature's colour at once, on deck.gl's first call after a change of the fill trigger:
  // that call is the one recomputing colours; a rebuild for anything else computes nothing.
  const features = o.grids.features;
  let colours: Uint8Array | null = null;
  const fill = () => (colours ??= fillColours(scale, features.length, (i) => value(features[i], i), (i) => alpha(features[i], i)));
  return new HairlineGeoJsonLayer<GridProperties>({
    id: GRID_CHOROPLETH_ID,
    data: o.grids as FeatureCollection<Geometry, GridProperties>,
    visible: o.visible ?? true,
    pickable: o.pickable ?? true,
    // Hairlines in one draw, the selected grid's wider outline through deck.gl's path layer.
    stroked: false,
    outlined: true,
    filled: true,
    // The index is the feature's place in the geometry file, which the values are aligned to.
    getFillColor: (_f, { index, target }) => colourAt(fill(), index, target as number[] | undefined),
    getLineColor: (f, { index }) => (values?.outside.has(index) ? TRANSPARENT : f.properties.code === o.selected ? SELECTED_OUTLINE : OUTLINE),
    getLineWidth: (f) => (f.properties.code === o.selected ? 3 : 0.6),
    lineWidthUnits: 'pixels',
    lineWidthMinPixels: 0.5,
    // The ids texture is drawn from the picking colours, which deck.gl keeps only for pickable or
    // highlightable layers: a highlight of no grid (-1) keeps them on the wall's unpickable map too.
    ...(o.fillThroughIds === false ? {} : { _subLayerProps: { 'polygons-fill': { type: IdFillPolygonLayer, highlightedObjectIndex: -1 } } }),
    updateTriggers: {
      getFillColor: [o.metric, scale.breaks.join(','), scale.colours.join(','), opacity, focus, o.valueKey ?? null, values?.key ?? null],
      // Line colours hang on the values only where some grids lie outside the scope.
      getLineColor: [o.selected, values?.outside.size ? values.key : 0],
      getLineWidth: [o.selected],
    },
  });
}
