/**
 * A choropleth's values for one filter, aligned to a geometry file (geometry-file.ts): `values[m][i]`
 * is metric `m` of the file's feature `i`, so the browser keeps the shapes and swaps only the
 * numbers. The answer carries the file's version; a client holding another version is told with
 * 409 `stale_geometry` and fetches the new file.
 */
import { z } from 'zod';
import { ConflictError } from '../domain/errors.ts';
import { repeated } from '../kpi/filters.ts';
import type { FeatureKpis } from './geo.ts';
import type { GeometryFile, GeometryUnit } from './geometry-file.ts';

/** The KPIs a values answer can carry: the flat numbers of a map feature. */
export const VALUE_METRICS = [
  'reported', 'immediate', 'due', 'closed', 'closedOnTime', 'closedLate', 'overdue', 'rework',
  'closureRate', 'onTimeRate', 'immediateRate', 'reworkRate', 'lateRate', 'medianHours', 'meanHours', 'density', 'workload', 'score',
] as const satisfies readonly (keyof FeatureKpis)[];
export type ValueMetric = (typeof VALUE_METRICS)[number];

/** Without `metric`: the ones the map colours by. */
export const DEFAULT_VALUE_METRICS: readonly ValueMetric[] = ['reported', 'overdue', 'onTimeRate', 'density', 'score'];

/** The parameters a values route adds to the filters. */
export const valuesQuery = z.object({
  version: z.string().regex(/^[\w-]{1,64}$/, 'a geometry version is letters, digits, _ and -').optional()
    .describe('the geometry version the client holds; another than the current one answers 409 stale_geometry'),
  metric: repeated(z.string()).pipe(z.array(z.enum(VALUE_METRICS))).optional()
    .describe(`KPIs to answer, repeatable (default ${DEFAULT_VALUE_METRICS.join(', ')})`),
});

/** The answer: one array per metric, in the geometry's feature order. */
export interface ValuesAnswer {
  version: string;
  count: number;
  metrics: ValueMetric[];
  values: Partial<Record<ValueMetric, (number | null)[]>>;
  /** Features outside the asked scope (their values are null); absent when there are none. */
  outside?: number[];
}

/** Refuses a client's geometry version that is not the file's (409, naming the current one). */
export function assertCurrentVersion(file: Pick<GeometryFile, 'layer' | 'version'>, asked: string | undefined): void {
  if (asked === undefined || asked === file.version) return;
  throw new ConflictError('stale_geometry', `the ${file.layer} geometry is now version ${file.version}, not ${asked}: fetch it again`, { current: file.version });
}

/**
 * Values of `metrics` per unit of the file, in its order. `kpisOf` answers a unit's KPIs, or null
 * when the unit lies outside the scope (its values are then null and its index is listed).
 */
export function alignedValues(
  file: Pick<GeometryFile, 'version' | 'units'>,
  metrics: readonly ValueMetric[],
  kpisOf: (unit: GeometryUnit) => FeatureKpis | null,
): ValuesAnswer {
  const values = Object.fromEntries(metrics.map((m) => [m, new Array<number | null>(file.units.length)])) as Record<ValueMetric, (number | null)[]>;
  const outside: number[] = [];
  file.units.forEach((unit, i) => {
    const kpis = kpisOf(unit);
    if (!kpis) outside.push(i);
    for (const m of metrics) values[m][i] = kpis ? kpis[m] : null;
  });
  return { version: file.version, count: file.units.length, metrics: [...metrics], values, ...(outside.length ? { outside } : {}) };
}
