/**
 * The grid choropleth: every grid of the published plan filled by one KPI on a classed scale.
 * Pure builder with a stable layer id, so deck.gl updates the layer instead of recreating it. The
 * shapes (the geometry file, kept per version) and the values (per filter, grid-values.ts) come
 * apart: a new filter changes only the fill colours' trigger, never the layer's data, and the
 * colours are computed once per change into an array aligned to the shapes (fill-colours.ts).
 * The outlines are hairlines in one draw (thin-lines.ts); only wider ones (the selected grid) go
 * through deck.gl's path layer.
 */
import type { Accessor, Color, Layer } from '@deck.gl/core';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { hexToRgba, type ChoroplethMetric, type ClassedScale } from './colours';
import { colourAt, fillColours } from './fill-colours';
import { gridScale, valueOf, type GridValues } from './grid-values';
import { ThinLinesLayer } from './thin-lines';

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
}

/** Outlines at most this wide (CSS px) are drawn as one-pixel hairlines, their alpha scaled by the width. */
export const HAIRLINE_MAX_PX = 1.5;

type LineAccessor<T> = Accessor<Feature<Geometry | null, GridProperties>, T>;
const callAccessor = <T>(a: LineAccessor<T>, f: GridFeature, index: number): T =>
  (typeof a === 'function' ? (a as (f: GridFeature, info: { index: number }) => T)(f, { index }) : a);

/**
 * The split of outlines by drawn width: each feature's hairline alpha factor (its width in pixels,
 * at most 1) and the indexes of the features drawn wider than {@link HAIRLINE_MAX_PX}. Pure.
 */
export function outlineSplit(count: number, widthPx: (index: number) => number): { hairline: Float32Array; wide: number[] } {
  const hairline = new Float32Array(count);
  const wide: number[] = [];
  for (let i = 0; i < count; i++) {
    const w = widthPx(i);
    if (w > HAIRLINE_MAX_PX) wide.push(i);
    else hairline[i] = Math.min(1, Math.max(0, w));
  }
  return { hairline, wide };
}

/** The outline split per data object, recomputed only when the widths' trigger or scale changes. */
const splits = new WeakMap<object, { key: string; split: ReturnType<typeof outlineSplit> }>();

/**
 * The choropleth: deck.gl's GeoJSON fill (its own stroke off) with the outlines split into one
 * hairline draw for all grids and a path layer for the few wider ones (the selected grid).
 */
class GridChoroplethLayer extends GeoJsonLayer<GridProperties> {
  static layerName = 'GridChoroplethLayer';

  override renderLayers(): ReturnType<GeoJsonLayer['renderLayers']> {
    const fills = super.renderLayers();
    const data = this.props.data as unknown as GridCollection | GridFeature[];
    const features = Array.isArray(data) ? data : data.features;
    const { getLineColor, getLineWidth, lineWidthScale, updateTriggers } = this.props;
    const key = JSON.stringify([updateTriggers.getLineWidth ?? null, lineWidthScale, features.length]);
    let memo = splits.get(features);
    if (memo?.key !== key) {
      memo = { key, split: outlineSplit(features.length, (i) => callAccessor(getLineWidth as LineAccessor<number>, features[i], i) * lineWidthScale) };
      splits.set(features, memo);
    }
    const { hairline, wide } = memo.split;
    const mesh = new ThinLinesLayer<GridProperties>(
      this.getSubLayerProps({ id: 'mesh', updateTriggers: { getColor: [updateTriggers.getLineColor ?? null, key] } }),
      {
        data: features,
        pickable: false,
        getColor: (f, { index }) => {
          const c = callAccessor(getLineColor as LineAccessor<Color>, f, index);
          return [c[0], c[1], c[2], Math.round((c.length > 3 ? (c[3] as number) : 255) * hairline[index])];
        },
      },
    );
    const wideFeatures = wide.map((i) => features[i]);
    const outlines = new GeoJsonLayer<GridProperties>(
      this.getSubLayerProps({ id: 'wide-outlines', updateTriggers: { getLineColor: updateTriggers.getLineColor, getLineWidth: updateTriggers.getLineWidth } }),
      {
        data: { type: 'FeatureCollection', features: wideFeatures } as FeatureCollection<Geometry, GridProperties>,
        pickable: false,
        filled: false,
        stroked: true,
        lineWidthUnits: this.props.lineWidthUnits,
        lineWidthScale,
        lineWidthMinPixels: this.props.lineWidthMinPixels,
        getLineColor: (f, info) => callAccessor(getLineColor as LineAccessor<Color>, f as GridFeature, wide[info.index]),
        getLineWidth: (f, info) => callAccessor(getLineWidth as LineAccessor<number>, f as GridFeature, wide[info.index]),
      },
    );
    return [...fills, mesh as unknown as Layer, outlines as unknown as Layer];
  }
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
  return new GridChoroplethLayer({
    id: GRID_CHOROPLETH_ID,
    data: o.grids as FeatureCollection<Geometry, GridProperties>,
    visible: o.visible ?? true,
    pickable: o.pickable ?? true,
    // The outlines are GridChoroplethLayer's own.
    stroked: false,
    filled: true,
    // The index is the feature's place in the geometry file, which the values are aligned to.
    getFillColor: (_f, { index, target }) => colourAt(fill(), index, target as number[] | undefined),
    getLineColor: (f, { index }) => (values?.outside.has(index) ? TRANSPARENT : f.properties.code === o.selected ? SELECTED_OUTLINE : OUTLINE),
    getLineWidth: (f) => (f.properties.code === o.selected ? 3 : 0.6),
    lineWidthUnits: 'pixels',
    lineWidthMinPixels: 0.5,
    updateTriggers: {
      getFillColor: [o.metric, scale.breaks.join(','), scale.colours.join(','), opacity, focus, o.valueKey ?? null, values?.key ?? null],
      // Line colours hang on the values only where some grids lie outside the scope.
      getLineColor: [o.selected, values?.outside.size ? values.key : 0],
      getLineWidth: [o.selected],
    },
  });
}
