import { describe, expect, it } from 'vitest';
import { lonLatToWorldPixel } from '../../../server/domain/mercator.ts';
import { binCenter, binGrid, binOf, parseBbox, pixelSql } from '../../../server/kpi/heat.ts';
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
