import { expect } from 'vitest';
import type { TestApp } from '../../helpers/app.ts';

/** A GeoJSON answer with the KPI properties the map routes share. */
export type Kpi = {
  reported: number; due: number; closed: number; closedOnTime: number; overdue: number; rework: number; immediate: number;
  closureRate: number | null; onTimeRate: number | null; immediateRate: number | null; reworkRate: number | null;
  medianHours: number | null; density: number | null; workload: number | null; score: number | null;
};
export type Collection<P> = { type: 'FeatureCollection'; features: { id: string; geometry: { type: string; coordinates: unknown } | null; properties: P }[] };

/** GETs a route that must answer 200 and returns its JSON. */
export async function getOk<T>(app: TestApp['app'], url: string): Promise<T> {
  const res = await app.request(url);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as T;
}

/** GETs a route that must answer 400 and returns the parameters the error names (without list indexes: `type.0` → `type`). */
export async function badParameters(app: TestApp['app'], url: string): Promise<string[]> {
  const res = await app.request(url);
  const body = (await res.json()) as { error: { code: string; details?: { parameter: string }[] } };
  expect(res.status, JSON.stringify(body)).toBe(400);
  expect(body.error.code).toBe('invalid_parameter');
  return (body.error.details ?? []).map((d) => d.parameter.split('.')[0]);
}

/** Properties by feature id. */
export function byId<P>(fc: Collection<P>): Map<string, P> {
  return new Map(fc.features.map((f) => [f.id, f.properties]));
}

/** The additive KPI counts, summed over features. */
export function sumCounts(items: Kpi[]) {
  const keys = ['reported', 'due', 'closed', 'closedOnTime', 'overdue', 'rework', 'immediate'] as const;
  return Object.fromEntries(keys.map((k) => [k, items.reduce((s, p) => s + p[k], 0)])) as Record<(typeof keys)[number], number>;
}

/** The same counts picked from one KPI record. */
export function countsOf(k: Kpi) {
  return { reported: k.reported, due: k.due, closed: k.closed, closedOnTime: k.closedOnTime, overdue: k.overdue, rework: k.rework, immediate: k.immediate };
}
