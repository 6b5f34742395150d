import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import type { LonLat } from '../../web/plan/geometry';
import { buildLineSnapIndex, buildSnapIndex, snapPoint, snapPointToAny, snapPositions, type Project } from '../../web/plan/snap';

const square = (x: number, y: number): Polygon => ({ type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] });
/** 100 px per degree, y down, like a screen. */
const project: Project = (p) => [p[0] * 100, -p[1] * 100];
const px = (p: LonLat) => project(p);
const index = buildSnapIndex([square(0, 0), square(1, 0)]);

describe('buildSnapIndex', () => {
  it('keeps every vertex and edge once, however many grids share it', () => {
    expect(index.vertices).toHaveLength(6);
    // 4 + 4 edges, the shared one counted once.
    expect(index.edges).toHaveLength(7);
  });
});

describe('snapPoint', () => {
  it('lands on a vertex within the tolerance', () => {
    const s = snapPoint(px([1.04, 0.03]), [1.04, 0.03], index, project, { tolerancePx: 10 });
    expect(s).toMatchObject({ kind: 'vertex', at: [1, 0] });
  });

  it('prefers the vertex when an edge is nearer', () => {
    // 3 px from the edge x=1, 8 px from the vertex (1, 1).
    const s = snapPoint(px([1.03, 0.93]), [1.03, 0.93], index, project, { tolerancePx: 10 });
    expect(s).toMatchObject({ kind: 'vertex', at: [1, 1] });
  });

  it('lands on an edge, exactly on it in lon/lat', () => {
    const s = snapPoint(px([1.05, 0.5]), [1.05, 0.5], index, project, { tolerancePx: 10 });
    expect(s.kind).toBe('edge');
    expect(s.at[0]).toBe(1);
    expect(s.at[1]).toBeCloseTo(0.5, 12);
  });

  it('stays put beyond the tolerance', () => {
    expect(snapPoint(px([0.5, 0.5]), [0.5, 0.5], index, project, { tolerancePx: 10 })).toEqual({ kind: 'none', at: [0.5, 0.5] });
  });

  it('ignores vertices it is told to skip, and their edges', () => {
    const v = index.vertices.findIndex(([x, y]) => x === 1 && y === 0);
    const s = snapPoint(px([1.04, 0.03]), [1.04, 0.03], index, project, { tolerancePx: 10, skipVertex: (i) => i === v });
    // The bottom edges end at the skipped vertex; nothing else is within 10 px.
    expect(s.kind).toBe('none');
  });

  it('considers only candidates inside `near`', () => {
    const s = snapPoint(px([1.04, 0.03]), [1.04, 0.03], index, project, { tolerancePx: 10, near: [1.5, 0.5, 2, 1] });
    expect(s.kind).toBe('none');
  });
});

describe('snapPositions', () => {
  it('snaps a drawn outline onto the boundary it follows and drops the duplicates that makes', () => {
    const drawn: LonLat[] = [[0.02, 0.01], [0.5, 0.03], [0.51, 0.02], [0.97, 0.98]];
    expect(snapPositions(drawn, index, project, 5)).toEqual([[0, 0], [0.5, 0], [0.51, 0], [1, 1]]);
  });
});

describe('snapping to roads', () => {
  const road = { type: 'LineString' as const, coordinates: [[0, 2], [1, 2.5], [3, 2.5]] };
  const roads = buildLineSnapIndex([road, { type: 'Point', coordinates: [9, 9] }, null]);

  it('indexes the vertices and segments of road lines', () => {
    expect(roads.vertices).toHaveLength(3);
    expect(roads.edges).toHaveLength(2);
  });

  it('lands on a road within the tolerance, exactly on its segment', () => {
    const s = snapPointToAny(px([2, 2.45]), [2, 2.45], [index, roads], project, { tolerancePx: 10 });
    expect(s).toMatchObject({ kind: 'edge', at: [2, 2.5] });
  });

  it('prefers a grid boundary within reach to a road', () => {
    const both = buildLineSnapIndex([{ type: 'LineString', coordinates: [[0.5, 1.05], [0.6, 1.05]] }]);
    const s = snapPointToAny(px([0.55, 1.02]), [0.55, 1.02], [index, both], project, { tolerancePx: 10 });
    expect(s).toMatchObject({ kind: 'edge', at: [0.55, 1] });
  });

  it('snaps a drawn outline onto grids first, then roads, leaving the rest', () => {
    const out = snapPositions([[0.02, 0.03], [1.5, 2.46], [2.5, 1.5]], [index, roads], project, 10);
    expect(out[0]).toEqual([0, 0]);
    expect(out[1][1]).toBeCloseTo(2.5, 12);
    expect(out[2]).toEqual([2.5, 1.5]);
  });

  it('stays put beyond the tolerance of every index', () => {
    expect(snapPointToAny(px([2, 2.3]), [2, 2.3], [index, roads], project, { tolerancePx: 10 })).toEqual({ kind: 'none', at: [2, 2.3] });
  });
});
