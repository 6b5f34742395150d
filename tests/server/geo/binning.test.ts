import { describe, expect, it } from 'vitest';
import type { Bbox } from '../../../server/domain/geometry.ts';
import { lonLatToWorldPixel, worldSize } from '../../../server/domain/mercator.ts';
import { COORD_SCALE } from '../../../server/kpi/fast/columns.ts';
import { binCenter, binGrid, binIndex, binnerOf, binOf, binRow, latRows, parseBbox, pixelSql, rowAt } from '../../../server/kpi/heat.ts';
import { Rng } from '../../../server/demo/rng.ts';
import { freshDb } from '../../helpers/db.ts';

describe('parseBbox', () => {
  it('reads four numbers', () => {
    expect(parseBbox('102.7,24.9,102.8,25')).toEqual({ bbox: [102.7, 24.9, 102.8, 25] });
  });

  it.each([
    ['102.7,24.9,102.8', 'expected minLon'],
    ['102.7,,102.8,25', 'four numbers'],
    ['102.7,24.9,abc,25', 'finite'],
    ['102.7,24.9,Infinity,25', 'finite'],
    ['-181,24.9,102.8,25', '±180'],
    ['102.7,-86,102.8,25', 'latitudes'],
    ['102.8,24.9,102.7,25', 'min must be less'],
    ['102.7,25,102.8,25', 'min must be less'],
  ])('rejects %s', (text, reason) => {
    const parsed = parseBbox(text);
    expect('error' in parsed && parsed.error).toContain(reason);
  });
});

describe('bins', () => {
  it('aligns bins to the world origin, so panning does not move them', () => {
    const a = binGrid([102.7, 24.9, 102.8, 25.0], 13, 16);
    const b = binGrid([102.71, 24.91, 102.81, 25.01], 13, 16);
    expect(b.col0).not.toBe(a.col0);
    // One point, two viewports: its bin has the same centre in both.
    const [col, row] = binOf(102.75, 24.95, 13, 16);
    expect(binCenter(a, col - a.col0, row - a.row0)).toEqual(binCenter(b, col - b.col0, row - b.row0));
  });

  it('puts the north-west corner in bin (0, 0) and the south-east one in the last bin', () => {
    const bbox: [number, number, number, number] = [102.7, 24.9, 102.8, 25.0];
    const g = binGrid(bbox, 12, 8);
    expect(binOf(102.7, 25.0, 12, 8)).toEqual([g.col0, g.row0]);
    expect(binOf(102.8, 24.9, 12, 8)).toEqual([g.col0 + g.cols - 1, g.row0 + g.rows - 1]);
  });

  it('gives a bin centre that falls back into the same bin', () => {
    const g = binGrid([102.7, 24.9, 102.8, 25.0], 14, 8);
    const [lon, lat] = binCenter(g, 5, 7);
    expect(binOf(lon, lat, 14, 8)).toEqual([g.col0 + 5, g.row0 + 7]);
  });
});

describe('bin rows by lookup', () => {
  // A city, a street, a bbox reaching far north and one crossing the equator; coarse and fine zooms and cells.
  const boxes: Bbox[] = [[102.154068, 24.683992, 103.092026, 25.162224], [102.70, 25.03, 102.72, 25.04], [10, 60, 11, 85.05], [-1, -0.5, 1, 0.5]];
  const cases = boxes.flatMap((bbox) => [[11, 8], [13, 4], [15, 64], [18, 4], [22, 4]].map(([zoom, cell]) => ({ bbox, grid: binGrid(bbox, zoom, cell) })))
    .filter(({ grid }) => grid.rows <= 20_000);

  it('gives binRow of every latitude: at each row edge, a unit either side of it, and throughout the bbox', () => {
    const rng = new Rng(7, 'lat-rows');
    for (const { bbox, grid } of cases) {
      const size = worldSize(grid.zoom);
      const rows = latRows(bbox, grid, size);
      const lo = Math.ceil(bbox[1] * COORD_SCALE);
      const hi = Math.floor(bbox[3] * COORD_SCALE);
      const edges = [...rows.edge.subarray(1)].flatMap((e) => [e - 1, e, e + 1]);
      const spread = Array.from({ length: 20_000 }, () => lo + Math.floor(rng.next() * (hi - lo + 1)));
      const within = [lo, hi, ...edges, ...spread].filter((units) => units >= lo && units <= hi);
      expect(within.length).toBeGreaterThan(20_000);
      const wrong = within.filter((units) => rowAt(rows, units) !== binRow(units / COORD_SCALE, grid, size));
      expect(wrong, `z${grid.zoom}/${grid.cell} in ${bbox}`).toEqual([]);
      // Each edge is where the row changes, found by the rule itself.
      const misplaced = [...rows.edge.subarray(1)].filter((e, i) => binRow(e / COORD_SCALE, grid, size) !== i || binRow((e - 1) / COORD_SCALE, grid, size) !== i + 1);
      expect(misplaced).toEqual([]);
    }
  });

  it('bins positions in engine units as binIndex does, inside and around the bbox, whether it looks rows up or projects them', () => {
    const rng = new Rng(11, 'binner');
    for (const { bbox, grid } of cases) {
      const size = worldSize(grid.zoom);
      const lookup = binnerOf(bbox, grid, size, Number.MAX_SAFE_INTEGER);
      const projected = binnerOf(bbox, grid, size, 0);
      const [w, h] = [bbox[2] - bbox[0], bbox[3] - bbox[1]];
      const wrong: number[][] = [];
      for (let i = 0; i < 20_000; i++) {
        // About a tenth of them outside, and some exactly on the edges.
        const lon = Math.round((i % 97 === 0 ? bbox[i % 2 === 0 ? 0 : 2] : bbox[0] - 0.05 * w + rng.next() * 1.1 * w) * COORD_SCALE);
        const lat = Math.round((i % 89 === 0 ? bbox[i % 2 === 0 ? 1 : 3] : Math.min(85.05, bbox[1] - 0.05 * h + rng.next() * 1.1 * h)) * COORD_SCALE);
        const expected = binIndex(lon / COORD_SCALE, lat / COORD_SCALE, bbox, grid, size);
        if (lookup(lon, lat) !== expected || projected(lon, lat) !== expected) wrong.push([lon, lat]);
      }
      expect(wrong, `z${grid.zoom}/${grid.cell} in ${bbox}`).toEqual([]);
    }
  });
});

describe('pixelSql', () => {
  it('projects like lonLatToWorldPixel, in DuckDB', async () => {
    const { db, cleanup } = await freshDb();
    try {
      const px = pixelSql('lon', 'lat');
      const points = [[102.72, 24.97], [0, 0], [-122.4, 37.8], [151.2, -33.9], [10, 85]];
      for (const zoom of [0, 11, 18]) {
        for (const [lon, lat] of points) {
          const row = await db.one<{ x: number; y: number }>(
            `SELECT ${px.x} AS x, ${px.y} AS y FROM (SELECT $lon::DOUBLE AS lon, $lat::DOUBLE AS lat)`,
            { lon, lat, size: 256 * 2 ** zoom },
          );
          const [x, y] = lonLatToWorldPixel(lon, lat, zoom);
          expect(row!.x).toBeCloseTo(x, 6);
          expect(row!.y).toBeCloseTo(y, 6);
        }
      }
    } finally {
      await cleanup();
    }
  });
});
