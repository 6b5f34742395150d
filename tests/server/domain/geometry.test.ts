import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { bboxOf, boxesMeet, boxOf, geometryBox, insideRings, type Pt } from '../../../server/domain/geometry.ts';
import { PlanState, type GridFeature } from '../../../server/plan/state.ts';
import { containsPoint, gridAt } from '../../../web/plan/geometry.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

/** Two 0.01° grids side by side in one community, A west of B. */
const A = rect(102, 25, 102.01, 25.01);
const B = rect(102.01, 25, 102.02, 25.01);

function serverShell(code: string): Pt[] {
  const grids: GridFeature[] = [A, B].map((geometry, k) => ({
    type: 'Feature', geometry, properties: { code: k ? 'B' : 'A', name: code, community: 'Q', inspector: '张伟', households: 1 },
  }));
  const topo = PlanState.build(grids, new Map([['Q', rect(102, 25, 102.02, 25.01)]])).topology('Q');
  return topo.coords(topo.faces.get(code)![0][0]);
}

describe('the planner boundary rule, in the browser preview and in the server split', () => {
  // Every vertex, every edge middle (the shared edge with B included), an inside and an outside point.
  const cases: [string, Pt, boolean][] = [
    ['south-west vertex', [102, 25], true],
    ['north-east vertex, shared with B', [102.01, 25.01], true],
    ['west edge', [102, 25.005], true],
    ['east edge, shared with B', [102.01, 25.005], true],
    ['south edge', [102.005, 25], true],
    ['north edge', [102.005, 25.01], true],
    ['inside', [102.005, 25.005], true],
    ['outside, east of the shared edge', [102.0101, 25.005], false],
    ['outside, off a vertex', [101.9999, 24.9999], false],
  ];

  it.each(cases)('%s', (_name, p, expected) => {
    // The split decides "inside the grid" on the topology's open, counter-clockwise shell…
    const server = insideRings(p, [serverShell('A')]);
    // …the preview on the GeoJSON the browser holds (closed rings, as drawn).
    const web = containsPoint(A, [p[0], p[1]]);
    expect(server).toBe(expected);
    expect(web).toBe(server);
  });

  it('lets the grid drawn last win a click on a shared edge', () => {
    expect(gridAt([{ code: 'A', geometry: A }, { code: 'B', geometry: B }], [102.01, 25.005])).toBe('B');
    expect(gridAt([{ code: 'B', geometry: B }, { code: 'A', geometry: A }], [102.01, 25.005])).toBe('A');
  });
});

describe('boxes', () => {
  it('bounds every position of a geometry, and refuses an empty one', () => {
    expect(bboxOf({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [3, -1] }, A] })).toEqual([3, -1, 102.01, 25.01]);
    expect(() => bboxOf({ type: 'MultiPolygon', coordinates: [] })).toThrow(/no bounding box/);
    expect(geometryBox({ type: 'MultiPolygon', coordinates: [] })).toBeNull();
    expect(geometryBox(null)).toBeNull();
  });

  it('gives no positions an inverted box that meets nothing', () => {
    const empty = boxOf([]);
    expect(empty[0]).toBe(Infinity);
    expect(boxesMeet(empty, [-1e9, -1e9, 1e9, 1e9])).toBe(false);
  });

  it('lets touching boxes meet, and boxes a hair apart only with slack', () => {
    expect(boxesMeet([0, 0, 1, 1], [1, 0, 2, 1], 0)).toBe(true);
    expect(boxesMeet([0, 0, 1, 1], [1 + 1e-10, 0, 2, 1], 0)).toBe(false);
    expect(boxesMeet([0, 0, 1, 1], [1 + 1e-10, 0, 2, 1])).toBe(true);
  });
});
