import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { arcsOf } from '../../server/plan/arcs';
import { buildTopology } from '../../server/plan/topology';
import { findVertex, moveVertex } from '../../server/plan/vertex-ops';
import type { LonLat } from '../../web/plan/geometry';
import type { Project } from '../../web/plan/snap';
import { buildVertexModel, constrainMove, dragPreview, edgePointAt, vertexAt, type TopologyPart } from '../../web/plan/vertices';

const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

/**
 * The answer of GET /topology for one community of two grids side by side (built by the server's
 * own topology code, so the model is tested against the shape the route really sends):
 *
 *   (0,1)──(1,1)──(2,1)
 *     │  A   │  B   │
 *   (0,0)──(1,0)──(2,0)
 */
function twoGrids(): TopologyPart[] {
  const topo = buildTopology('C1', [{ code: 'A', geometry: rect(0, 0, 1, 1) }, { code: 'B', geometry: rect(1, 0, 2, 1) }]);
  return [{ community: 'C1', ...arcsOf(topo) }];
}

const vertex = (parts: TopologyPart[], at: LonLat) => {
  const m = buildVertexModel(parts);
  return m.vertices.find((v) => v.at[0] === at[0] && v.at[1] === at[1])!;
};

describe('buildVertexModel', () => {
  it('lists each vertex once with the grids around it', () => {
    const m = buildVertexModel(twoGrids());
    expect(m.vertices).toHaveLength(6);
    expect(vertex(twoGrids(), [1, 0]).grids).toEqual(['A', 'B']);
    expect(vertex(twoGrids(), [0, 0]).grids).toEqual(['A']);
  });

  it('marks outline corners pinned and outline T-junctions sliding along the outline', () => {
    expect(vertex(twoGrids(), [0, 0]).kind).toBe('pinned');
    const t = vertex(twoGrids(), [1, 0]);
    expect(t.kind).toBe('slide');
    expect(t.slide?.map((p) => p.join(',')).sort()).toEqual(['0,0', '2,0']);
  });

  it('marks vertices inside the community free', () => {
    // A third grid on top makes (1,1) an inner junction: A, B below, C above.
    const topo = buildTopology('C1', [{ code: 'A', geometry: rect(0, 0, 1, 1) }, { code: 'B', geometry: rect(1, 0, 2, 1) }, { code: 'C', geometry: rect(0, 1, 2, 2) }]);
    const parts = [{ community: 'C1', ...arcsOf(topo) }];
    const v = vertex(parts, [1, 1]);
    expect(v.kind).toBe('free');
    expect(v.node).toBe(true);
    expect(v.grids).toEqual(['A', 'B', 'C']);
  });

  it('merges a border vertex that two communities both list', () => {
    const left = buildTopology('C1', [{ code: 'A', geometry: rect(0, 0, 1, 1) }]);
    const right = buildTopology('C2', [{ code: 'B', geometry: rect(1, 0, 2, 1) }]);
    const m = buildVertexModel([{ community: 'C1', ...arcsOf(left) }, { community: 'C2', ...arcsOf(right) }]);
    expect(m.vertices).toHaveLength(6);
    expect(m.edges).toHaveLength(7);
    expect(m.outline.every(Boolean)).toBe(true);
  });

  it('knows which edges lie on the outline', () => {
    const m = buildVertexModel(twoGrids());
    const inner = m.edges.filter((_, i) => !m.outline[i]).map(([a, b]) => [m.vertices[a].at, m.vertices[b].at].map((p) => p.join(',')).sort());
    expect(inner).toEqual([['1,0', '1,1']]);
  });
});

describe('constrainMove', () => {
  it('lets a free vertex follow the pointer', () => {
    expect(constrainMove({ at: [1, 1], kind: 'free', slide: null, neighbours: [], node: true, grids: [] }, [1.2, 1.3])).toEqual([1.2, 1.3]);
  });

  it('keeps a sliding vertex on its stretch of outline, off its ends', () => {
    const v = vertex(twoGrids(), [1, 0]);
    expect(constrainMove(v, [1.5, 0.4])).toEqual([1.5, 0]);
    const end = constrainMove(v, [5, 0])!;
    expect(end[0]).toBeLessThan(2);
    expect(end[0]).toBeGreaterThan(1.9);
  });

  it('refuses to move a pinned vertex', () => {
    expect(constrainMove(vertex(twoGrids(), [0, 0]), [0.1, 0.1])).toBeNull();
  });
});

describe('agrees with the server', () => {
  const topo = buildTopology('C1', [{ code: 'A', geometry: rect(0, 0, 1, 1) }, { code: 'B', geometry: rect(1, 0, 2, 1) }]);
  const serverMove = (at: LonLat, to: LonLat) => moveVertex(topo, findVertex(topo, at, 1e-9)!, to);

  it('the server accepts the move the preview shows for a sliding vertex', () => {
    const to = constrainMove(vertex(twoGrids(), [1, 0]), [1.4, 0.2])!;
    expect(serverMove([1, 0], to).at).toEqual(to);
  });

  it('the server refuses to move a vertex the model calls pinned', () => {
    expect(() => serverMove([0, 0], [0.1, 0.1])).toThrow(/outline/);
  });
});

describe('picking', () => {
  const project: Project = (p) => [p[0] * 100, -p[1] * 100];
  const m = buildVertexModel(twoGrids());

  it('finds the vertex under the pointer within the pick radius', () => {
    const i = vertexAt(m, [101, -99], project, 5);
    expect(m.vertices[i].at).toEqual([1, 1]);
    expect(vertexAt(m, [150, -50], project, 5)).toBe(-1);
  });

  it('finds where on an edge a vertex would be inserted, on the edge in lon/lat', () => {
    const at = edgePointAt(m, [103, -50], project, 6)!;
    expect(at[0]).toBe(1);
    expect(at[1]).toBeCloseTo(0.5, 12);
    expect(edgePointAt(m, [150, -50], project, 6)).toBeNull();
    // An edge whose box misses `near` is not considered.
    expect(edgePointAt(m, [103, -50], project, 6, [1.5, 0, 2, 1])).toBeNull();
  });

  it('previews the edges around a dragged vertex', () => {
    const v = vertex(twoGrids(), [1, 0]);
    const preview = dragPreview(v, [1.2, 0]);
    expect(preview).toHaveLength(3);
    for (const path of preview) expect(path[1]).toEqual([1.2, 0]);
  });
});
