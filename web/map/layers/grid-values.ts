/**
 * The choropleth's numbers apart from its shapes: one array per metric aligned to the geometry
 * file's feature order (`/api/grids/values`). A filter change replaces this object and nothing
 * else, so deck.gl recomputes the fill colours and never the polygons. Pure.
 */
import { classedScale, type ChoroplethMetric, type ClassedScale } from './colours';

/** Values of one answer: `metrics[m][i]` belongs to feature `i` of the geometry of `version`. */
export interface GridValues {
  version: string;
  metrics: Partial<Record<ChoroplethMetric, readonly (number | null)[]>>;
  /** Features outside the asked scope: not drawn. */
  outside: ReadonlySet<number>;
  /** Changes with every answer; the fill colours' update trigger. */
  key: number;
}

/** What `/api/grids/values` answers, as far as the map reads it. */
export interface ValuesAnswer {
  version: string;
  count: number;
  values: Partial<Record<string, (number | null)[]>>;
  outside?: number[];
}

let answers = 0;

/**
 * The answer as {@link GridValues} for a geometry of `features` features; null when it does not
 * fit that geometry (another version or another length), so nothing is ever coloured by a
 * neighbour's number.
 */
export function gridValuesOf(answer: ValuesAnswer, geometry: { version: string; features: number }): GridValues | null {
  if (answer.version !== geometry.version || answer.count !== geometry.features) return null;
  const metrics: GridValues['metrics'] = {};
  for (const [metric, list] of Object.entries(answer.values)) {
    if (!list || list.length !== answer.count) return null;
    metrics[metric as ChoroplethMetric] = list;
  }
  return { version: answer.version, metrics, outside: new Set(answer.outside ?? []), key: ++answers };
}

/** The value of feature `index` for `metric`; null when it has none or was not asked for. */
export function valueOf(values: GridValues | null, metric: ChoroplethMetric, index: number): number | null {
  return values?.metrics[metric]?.[index] ?? null;
}

/** The scale of a metric over every grid in the values (the legend shows the same object). */
export function gridScale(values: GridValues, metric: ChoroplethMetric): ClassedScale {
  return classedScale(metric, values.metrics[metric] ?? []);
}
