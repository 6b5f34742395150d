/**
 * Loading a choropleth as geometry once and values per filter: the values answer names the
 * geometry version it is aligned to, and the shapes are fetched only when that version is new
 * (the browser's HTTP cache keeps the file across visits, this keeps the parsed object across
 * filter changes). Pure apart from the fetchers it is given.
 */
import { ApiError } from '../api/client';
import type { ChoroplethMetric } from '../map/layers/colours';
import { gridValuesOf, type GridValues, type ValuesAnswer } from '../map/layers/grid-values';

/** Shapes of one geometry version with the values of one filter and metric. */
export interface Choropleth<S> {
  version: string;
  /** The same object for as long as the version lasts: deck.gl then never re-tessellates. */
  shapes: S;
  values: GridValues;
  /** The metric the values hold (what the map colours by until another metric's values arrive). */
  metric: ChoroplethMetric;
}

/** How to get the two halves. */
export interface ChoroplethFetchers<S> {
  /** Values for `version` (null: whichever is current); rejects with 409 `stale_geometry` for an old one. */
  values(version: string | null, signal: AbortSignal): Promise<ValuesAnswer>;
  shapes(version: string, signal: AbortSignal): Promise<S>;
}

const isStale = (err: unknown) => err instanceof ApiError && err.status === 409 && err.code === 'stale_geometry';

/**
 * The choropleth for the fetchers' filter: `known`'s shapes when the values still fit them, else
 * the new version's shapes. Rejects (`invalid`) when values and shapes do not align.
 */
export async function loadChoropleth<S extends { features: readonly unknown[] }>(
  known: Choropleth<S> | null,
  metric: ChoroplethMetric,
  fetchers: ChoroplethFetchers<S>,
  signal: AbortSignal,
): Promise<Choropleth<S>> {
  let answer: ValuesAnswer;
  try {
    answer = await fetchers.values(known?.version ?? null, signal);
  } catch (err) {
    if (!isStale(err)) throw err;
    // A plan was published since: the values of the new geometry, then its shapes.
    answer = await fetchers.values(null, signal);
  }
  const shapes = known?.version === answer.version ? known.shapes : await fetchers.shapes(answer.version, signal);
  const values = gridValuesOf(answer, { version: answer.version, features: shapes.features.length });
  if (!values) throw new ApiError('invalid', '地图数值与边界数据不对应，请刷新页面');
  return { version: answer.version, shapes, values, metric };
}
