import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { DomainError } from '../../../server/domain/errors.ts';
import { applyEdit } from '../../../server/plan/edits.ts';
import { historyStacks } from '../../../server/plan/history.ts';
import { metricsWindow, planMetrics } from '../../../server/plan/metrics.ts';
import type { IssueStatus } from '../../../server/domain/vocabulary.ts';
import { ISSUE_STATUSES } from '../../../server/domain/vocabulary.ts';
import { COORD_SCALE } from '../../../server/kpi/fast/columns.ts';
import { PointAssignment, type IssuePoints, type SitePoints } from '../../../server/plan/points.ts';
import { changedGrids, PlanState, type GridFeature } from '../../../server/plan/state.ts';
import { seeded } from '../spatial/random.ts';
import { voronoiState } from './tiling.ts';

const DAY = 86_400_000;
/** Status codes as the engine's dictionary starts: the vocabulary's order. */
const STATUS_CODES = Object.fromEntries(Object.keys(ISSUE_STATUSES).map((s, k) => [s, k])) as Record<IssueStatus, number>;

function issues(list: { at: [number, number]; reported: number; deadline?: number; status?: IssueStatus }[]): IssuePoints {
  return {
    count: list.length,
    lon: Int32Array.from(list.map((p) => Math.round(p.at[0] * COORD_SCALE))),
    lat: Int32Array.from(list.map((p) => Math.round(p.at[1] * COORD_SCALE))),
    reported: Float64Array.from(list.map((p) => p.reported)),
    deadline: Float64Array.from(list.map((p) => p.deadline ?? NaN)),
    status: Uint8Array.from(list.map((p) => STATUS_CODES[p.status ?? 'reported'])),
    flags: new Uint8Array(list.length),
    codes: STATUS_CODES,
  };
}

describe('point assignment', () => {
  it('updated after each edit, it equals a full re-assignment (only points near the change move)', () => {
    const rnd = seeded(7);
    let state = voronoiState(20, 7);
    const pts = issues(Array.from({ length: 20_000 }, () => ({ at: [102.7 + rnd() * 0.02, 24.9 + rnd() * 0.02] as [number, number], reported: 0 })));
    const sites: SitePoints = { ids: ['s1', 's2'], names: ['a', 'b'], types: ['market', 'school'], lon: Float64Array.of(102.705, 102.715), lat: Float64Array.of(24.905, 24.915) };
    let asg = PointAssignment.build(state, pts, sites);
    let applied = 0;
    for (let step = 0; step < 20; step++) {
      const codes = state.codes();
      const code = codes[Math.floor(rnd() * codes.length)];
      const geometry = state.geometry(code) as Polygon;
      const [x, y] = geometry.coordinates[0][0];
      const edit = step % 2
        ? { kind: 'split' as const, edit: { grid: code, line: [[x - 0.03, y - 0.01 + rnd() * 0.02], [x + 0.03, y - 0.01 + rnd() * 0.02]] as [number, number][] } }
        : { kind: 'vertex' as const, edit: { op: 'move' as const, at: [x, y] as [number, number], to: [x + (rnd() - 0.5) * 0.002, y + (rnd() - 0.5) * 0.002] as [number, number] } };
      let next: PlanState;
      try {
        next = applyEdit(state, edit);
      } catch (err) {
        if (err instanceof DomainError) continue;
        throw err;
      }
      const { added, removed, changed } = changedGrids(state, next);
      asg = asg.update(state, next, [...added, ...removed, ...changed], pts, sites);
      state = next;
      applied++;
      const fresh = PointAssignment.build(state, pts, sites);
      const mismatch = Array.from(asg.issues).findIndex((s, i) => asg.codeOf(s) !== fresh.codeOf(fresh.issues[i]));
      expect(mismatch, `step ${step}: point ${mismatch} assigned differently`).toBe(-1);
      expect(Array.from(asg.sites).map((s) => asg.codeOf(s))).toEqual(Array.from(fresh.sites).map((s) => fresh.codeOf(s)));
    }
    expect(applied).toBeGreaterThan(5);
  });
});

describe('plan metrics', () => {
  const rect = (x0: number, x1: number): Polygon => ({ type: 'Polygon', coordinates: [[[x0, 25], [x1, 25], [x1, 25.01], [x0, 25.01], [x0, 25]]] });
  const grids: GridFeature[] = ['A', 'B', 'C'].map((code, i) => ({
    type: 'Feature', properties: { code, name: code, community: 'Q', inspector: null, households: 10 * (i + 1) }, geometry: rect(102 + i * 0.01, 102 + (i + 1) * 0.01),
  }));
  const state = PlanState.build(grids, new Map());
  const window = { start: 100 * DAY, end: 130 * DAY, dueEnd: 120 * DAY, days: 30 };
  const inA: [number, number] = [102.005, 25.005];
  const inB: [number, number] = [102.015, 25.005];
  const pts = issues([
    { at: inA, reported: 101 * DAY },
    { at: inA, reported: 102 * DAY },
    { at: inA, reported: 103 * DAY, deadline: 110 * DAY },
    { at: inA, reported: 99 * DAY },
    { at: inB, reported: 105 * DAY, deadline: 106 * DAY, status: 'closed' },
    { at: inB, reported: 105 * DAY, deadline: 106 * DAY, status: 'cancelled' },
    { at: inB, reported: 105 * DAY, deadline: 125 * DAY },
    { at: [103, 26], reported: 105 * DAY },
  ]);
  const sites: SitePoints = { ids: ['s1', 's2', 's3'], names: ['m', 'n', 'o'], types: ['market', 'market', 'school'], lon: Float64Array.of(102.001, 102.002, 102.025), lat: Float64Array.of(25.001, 25.002, 25.005) };
  const m = planMetrics(state, PointAssignment.build(state, pts, sites), pts, sites, window, 0.3);
  const by = Object.fromEntries(m.grids.map((g) => [g.code, g]));

  it('counts issues reported in the window per grid and per 30 days', () => {
    expect([by.A.issues, by.B.issues, by.C.issues]).toEqual([3, 3, 0]);
    expect(by.A.issuesPer30d).toBe(3);
  });

  it('counts overdue like the KPI: due before min(end, now), not closed, not cancelled/deferred', () => {
    expect([by.A.overdue, by.B.overdue]).toEqual([1, 0]);
  });

  it('counts key sites by type, and reports area, perimeter and households', () => {
    expect(by.A.sites).toEqual({ market: 2 });
    expect(by.C.sites).toEqual({ school: 1 });
    expect(by.A.areaKm2).toBeCloseTo(1.0 * 1.11, 1);
    expect(by.A.perimeterKm).toBeGreaterThan(4);
    expect(by.C.households).toBe(30);
  });

  it('summarises mean, max/mean, coefficient of variation and the grids outside the band', () => {
    expect(m.summary).toMatchObject({ grids: 3, issues: 6, mean: 2, max: 3, maxOverMean: 1.5 });
    expect(m.summary.cv).toBeCloseTo(Math.sqrt(2) / 2, 3);
    expect(m.summary.band).toMatchObject({ low: 1.4, high: 2.6, above: ['A', 'B'], below: ['C'], outside: 3 });
    expect(by.C.band).toBe('below');
  });

  it('defaults to the last 90 days up to today in Asia/Shanghai', () => {
    const w = metricsWindow(undefined, undefined, new Date('2026-11-25T20:00:00Z'));
    expect(w.days).toBe(90);
    expect(new Date(w.end).toISOString()).toBe('2026-11-26T16:00:00.000Z');
    expect(w.dueEnd).toBe(Date.parse('2026-11-25T20:00:00Z'));
  });
});

describe('undo/redo stacks from the change log', () => {
  it('undo pops the latest edit, redo re-applies it, a new edit clears redo', () => {
    const log = [
      { seq: 1, op: 'create' }, { seq: 2, op: 'split' }, { seq: 3, op: 'merge' },
      { seq: 4, op: 'undo' }, { seq: 5, op: 'undo' }, { seq: 6, op: 'redo' },
    ];
    expect(historyStacks(log)).toEqual({ undo: [2], redo: [3] });
    expect(historyStacks([...log, { seq: 7, op: 'vertex' }])).toEqual({ undo: [2, 7], redo: [] });
    expect(historyStacks([{ seq: 1, op: 'create' }, { seq: 2, op: 'undo' }])).toEqual({ undo: [], redo: [] });
  });
});
