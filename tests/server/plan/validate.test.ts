import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon } from 'geojson';
import { PlanState, type GridFeature } from '../../../server/plan/state.ts';
import { validatePlan, type Finding } from '../../../server/plan/validate.ts';
import { fixtureState } from './tiling.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
/** Community Q: 0.02° × 0.01° (≈ 2 km × 1.1 km) near 102°E 25°N. */
const Q = rect(102, 25, 102.02, 25.01);

function grid(code: string, geometry: Polygon | MultiPolygon, extra: Partial<GridFeature['properties']> = {}): GridFeature {
  return { type: 'Feature', properties: { code, name: code, community: 'Q', inspector: '张伟', households: null, ...extra }, geometry };
}

function check(grids: GridFeature[], community: Polygon = Q) {
  return validatePlan(PlanState.build(grids, new Map([['Q', community]])));
}

const codes = (fs: Finding[]) => fs.map((f) => f.code);

function expectPinpointed(f: Finding) {
  const [x0, y0, x1, y1] = f.bbox;
  expect(x0).toBeLessThanOrEqual(x1);
  expect(f.location[0]).toBeGreaterThanOrEqual(x0 - 1e-9);
  expect(f.location[0]).toBeLessThanOrEqual(x1 + 1e-9);
  expect(f.location[1]).toBeGreaterThanOrEqual(y0 - 1e-9);
  expect(f.location[1]).toBeLessThanOrEqual(y1 + 1e-9);
  expect(f.message.length).toBeGreaterThan(10);
}

describe('plan validation', () => {
  it('finds nothing wrong with the fixture city', () => {
    expect(validatePlan(fixtureState())).toEqual({ errors: [], warnings: [] });
  });

  it('reports two grids that overlap, with the overlap to zoom to', () => {
    const { errors } = check([grid('A', rect(102, 25, 102.011, 25.01)), grid('B', rect(102.01, 25, 102.02, 25.01))]);
    expect(codes(errors)).toEqual(['overlap']);
    expect(errors[0].grids).toEqual(['A', 'B']);
    expect(errors[0].bbox[0]).toBeCloseTo(102.01, 9);
    expect(errors[0].bbox[2]).toBeCloseTo(102.011, 9);
    expect(errors[0].areaKm2!).toBeGreaterThan(0.1);
    expectPinpointed(errors[0]);
  });

  it('reports a gap inside the community, naming the grids around it', () => {
    const { errors } = check([grid('A', rect(102, 25, 102.009, 25.01)), grid('B', rect(102.01, 25, 102.02, 25.01))]);
    expect(codes(errors)).toEqual(['gap']);
    expect(errors[0].grids.sort()).toEqual(['A', 'B']);
    expectPinpointed(errors[0]);
  });

  it('ignores centimetre slivers where outlines were digitised separately', () => {
    const { errors } = check([grid('A', rect(102, 25, 102.0099999, 25.01)), grid('B', rect(102.01, 25, 102.02, 25.01))]);
    expect(errors).toEqual([]);
  });

  it('reports a boundary that crosses itself', () => {
    const bowtie: Polygon = { type: 'Polygon', coordinates: [[[102, 25], [102.02, 25.01], [102.02, 25], [102, 25.01], [102, 25]]] };
    expect(codes(check([grid('A', bowtie)]).errors)).toContain('self_intersection');
  });

  it('reports a grid in several parts', () => {
    const parts: MultiPolygon = { type: 'MultiPolygon', coordinates: [rect(102, 25, 102.005, 25.01).coordinates, rect(102.015, 25, 102.02, 25.01).coordinates] };
    const { errors } = check([grid('A', parts), grid('B', rect(102.005, 25, 102.015, 25.01))]);
    expect(codes(errors)).toEqual(['multipart']);
    expect(errors[0].grids).toEqual(['A']);
  });

  it('reports a sliver below the minimum area', () => {
    const tiny = rect(102, 25, 102.0002, 25.0002);
    const { errors } = check([grid('A', tiny)], tiny);
    expect(codes(errors)).toEqual(['sliver']);
    expect(errors[0].areaKm2!).toBeLessThan(0.001);
  });

  it('reports a grid reaching outside its community', () => {
    const { errors } = check([grid('A', rect(102, 25, 102.01, 25.01)), grid('B', rect(102.01, 25, 102.025, 25.01))]);
    expect(codes(errors)).toEqual(['outside_community']);
    expect(errors[0].grids).toEqual(['B']);
    expect(errors[0].location[0]).toBeGreaterThan(102.02);
  });

  it('reports a community without any grid as a gap', () => {
    const state = PlanState.build([grid('A', Q)], new Map([['Q', Q], ['R', rect(102.02, 25, 102.03, 25.01)]]));
    const { errors } = validatePlan(state);
    expect(errors).toEqual([expect.objectContaining({ code: 'gap', grids: [] })]);
    expect(errors[0].message).toContain('R');
    expectPinpointed(errors[0]);
  });

  it('reports a grid naming an unknown community', () => {
    const state = PlanState.build([grid('A', Q, { community: 'NOPE' })], new Map([['Q', Q]]));
    expect(codes(validatePlan(state).errors)).toContain('unknown_community');
  });

  it('reports codes that differ only in width or case, and empty codes', () => {
    const { errors } = check([grid('A1', rect(102, 25, 102.01, 25.01)), grid('ａ1', rect(102.01, 25, 102.015, 25.01)), grid(' ', rect(102.015, 25, 102.02, 25.01))]);
    expect(codes(errors).sort()).toEqual(['duplicate_code', 'empty_code']);
    expect(errors.find((f) => f.code === 'duplicate_code')!.grids.sort()).toEqual(['A1', 'ａ1']);
  });

  it('warns about a grid without an inspector, without blocking', () => {
    const { errors, warnings } = check([grid('A', Q, { inspector: null })]);
    expect(errors).toEqual([]);
    expect(codes(warnings)).toEqual(['no_inspector']);
    expectPinpointed(warnings[0]);
  });
});
