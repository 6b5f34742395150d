/**
 * The grid choropleth: every grid of the published plan filled by one KPI on a classed scale.
 * Pure builder with a stable layer id, so deck.gl updates the layer instead of recreating it.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { classedScale, colourOf, hexToRgba, type ChoroplethMetric, type ClassedScale } from './colours';

/** Layer id of the choropleth. */
export const GRID_CHOROPLETH_ID = 'grid-choropleth';

/** What the choropleth reads of a grid (a subset of `/api/grids` feature properties). */
export interface GridProperties {
  code: string;
  name: string;
  community: string;
  street: string | null;
  inspector?: string | null;
  reported: number;
  overdue: number;
  onTimeRate: number | null;
  density: number | null;
  score: number | null;
}

export type GridFeature = Feature<Geometry | null, GridProperties>;
export type GridCollection = FeatureCollection<Geometry | null, GridProperties>;

/** The scale of a metric over all grids of the collection (the legend shows the same object). */
export function gridScale(grids: GridCollection, metric: ChoroplethMetric): ClassedScale {
  return classedScale(metric, grids.features.map((f) => f.properties[metric]));
}

/** Options of {@link buildGridChoropleth}. */
export interface GridChoroplethOptions {
  grids: GridCollection;
  metric: ChoroplethMetric;
  /** Defaults to {@link gridScale} of the grids; pass one to keep colours stable across views. */
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
   * The value a grid is coloured by, instead of its `metric` property (playback: the grid's count
   * in the frame shown). Keep the data the same object and change `valueKey` with each frame: deck.gl
   * then recomputes only the fill colours, never the polygons.
   */
  valueAt?: (p: GridProperties) => number | null;
  /** Changes whenever `valueAt` answers differently (the frame index). */
  valueKey?: string | number;
}

const OUTLINE = hexToRgba('#ffffff', 200);
const SELECTED_OUTLINE = hexToRgba('#1d4ed8');

/** The choropleth layer (id {@link GRID_CHOROPLETH_ID}); picking returns the grid feature. */
export function buildGridChoropleth(o: GridChoroplethOptions): GeoJsonLayer<GridProperties> {
  const scale = o.scale ?? gridScale(o.grids, o.metric);
  const opacity = o.opacity ?? 170;
  const focus = o.focusPrefix ?? null;
  const value = o.valueAt ?? ((p: GridProperties) => p[o.metric]);
  const faded = (f: GridFeature) => focus !== null && !f.properties.code.startsWith(focus) && !f.properties.community.startsWith(focus);
  return new GeoJsonLayer<GridProperties>({
    id: GRID_CHOROPLETH_ID,
    data: o.grids as FeatureCollection<Geometry, GridProperties>,
    visible: o.visible ?? true,
    pickable: o.pickable ?? true,
    stroked: true,
    filled: true,
    getFillColor: (f) => colourOf(scale, value(f.properties), faded(f as GridFeature) ? Math.round(opacity * 0.35) : opacity),
    getLineColor: (f) => (f.properties.code === o.selected ? SELECTED_OUTLINE : OUTLINE),
    getLineWidth: (f) => (f.properties.code === o.selected ? 3 : 0.6),
    lineWidthUnits: 'pixels',
    lineWidthMinPixels: 0.5,
    updateTriggers: {
      getFillColor: [o.metric, scale.breaks.join(','), scale.colours.join(','), opacity, focus, o.valueKey ?? null],
      getLineColor: [o.selected],
      getLineWidth: [o.selected],
    },
  });
}
