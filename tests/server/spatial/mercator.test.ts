import { describe, expect, it } from 'vitest';
import { lonLatToWorldPixel, MAX_MERCATOR_LAT, worldPixelToLonLat } from '../../../server/domain/mercator.ts';

describe('lonLatToWorldPixel', () => {
  it('puts (0, 0) at the centre of the zoom-0 tile', () => {
    const [x, y] = lonLatToWorldPixel(0, 0, 0);
    expect(x).toBeCloseTo(128, 9);
    expect(y).toBeCloseTo(128, 9);
  });

  it('maps the world corners to the tile corners', () => {
    const [x0, y0] = lonLatToWorldPixel(-180, MAX_MERCATOR_LAT, 0);
    const [x1, y1] = lonLatToWorldPixel(180, -MAX_MERCATOR_LAT, 0);
    expect([x0, y0, x1, y1].map((v) => Math.round(v * 1e6) / 1e6 + 0)).toEqual([0, 0, 256, 256]);
  });

  it('doubles with each zoom level', () => {
    const [x, y] = lonLatToWorldPixel(102.75, 24.95, 3);
    const [x4, y4] = lonLatToWorldPixel(102.75, 24.95, 4);
    expect(x4).toBeCloseTo(2 * x, 9);
    expect(y4).toBeCloseTo(2 * y, 9);
  });

  it('agrees with the slippy-map tile formula for Guandu at zoom 12', () => {
    const z = 12;
    const lat = (24.95 * Math.PI) / 180;
    const tileX = Math.floor(((102.75 + 180) / 360) * 2 ** z);
    const tileY = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** z);
    const [x, y] = lonLatToWorldPixel(102.75, 24.95, z);
    expect([Math.floor(x / 256), Math.floor(y / 256)]).toEqual([tileX, tileY]);
    expect([tileX, tileY]).toEqual([3217, 1754]);
  });

  it('clamps the poles instead of returning infinity', () => {
    expect(lonLatToWorldPixel(0, 90, 0)[1]).toBeCloseTo(0, 6);
    expect(lonLatToWorldPixel(0, -90, 0)[1]).toBeCloseTo(256, 6);
  });
});

describe('worldPixelToLonLat', () => {
  it('inverts the projection', () => {
    const [x, y] = lonLatToWorldPixel(102.75, 24.95, 15.5);
    const [lon, lat] = worldPixelToLonLat(x, y, 15.5);
    expect(lon).toBeCloseTo(102.75, 10);
    expect(lat).toBeCloseTo(24.95, 10);
  });

  it('maps the zoom-0 centre back to (0, 0)', () => {
    expect(worldPixelToLonLat(128, 128, 0).map((v) => Math.abs(v) < 1e-12 ? 0 : v)).toEqual([0, 0]);
  });
});
