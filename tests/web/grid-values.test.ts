/**
 * Geometry once, values per filter on the web side: the loader fetches shapes only for a new
 * geometry version, and the choropleth swaps only its fill colours when the values change.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/api/client';
import { buildGridChoropleth, gridValuesOf, valueOf, type GridCollection, type ValuesAnswer } from '../../web/map/layers';
import { loadChoropleth, type ChoroplethFetchers } from '../../web/stores/choropleth-load';

const square = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 24.9], [x + 0.01, 24.9], [x + 0.01, 24.91], [x, 24.91], [x, 24.9]]] });
const shapesOf = (codes: string[]): GridCollection => ({
  type: 'FeatureCollection',
  features: codes.map((code, i) => ({ type: 'Feature', geometry: square(102.7 + i * 0.01), properties: { code, name: code, community: 'C1', street: 'S1' } })),
});
const answer = (version: string, reported: (number | null)[], outside?: number[]): ValuesAnswer => ({ version, count: reported.length, values: { reported }, ...(outside ? { outside } : {}) });

/** Fetchers over a fake server at `version` holding `codes`, recording each call. */
function fetchers(server: { version: string; codes: string[]; reported: number[] }) {
  const calls: string[] = [];
  const f: ChoroplethFetchers<GridCollection> = {
    values: async (version) => {
      calls.push(`values@${version ?? '-'}`);
      if (version !== null && version !== server.version) throw new ApiError('http', 'stale', 409, 'stale_geometry');
      return answer(server.version, server.reported);
    },
    shapes: async (version) => {
      calls.push(`shapes@${version}`);
      return shapesOf(server.codes);
    },
  };
  return { f, calls };
}

const signal = new AbortController().signal;

describe('loadChoropleth', () => {
  it('fetches the shapes once and then only values, keeping the same shapes object', async () => {
    const server = { version: 'v1', codes: ['a', 'b'], reported: [1, 2] };
    const { f, calls } = fetchers(server);
    const first = await loadChoropleth(null, 'reported', f, signal);
    server.reported = [7, 0];
    const second = await loadChoropleth(first, 'reported', f, signal);
    expect(calls).toEqual(['values@-', 'shapes@v1', 'values@v1']);
    expect(second.shapes).toBe(first.shapes);
    expect(second.values.metrics.reported).toEqual([7, 0]);
    expect(second.values.key).not.toBe(first.values.key);
  });

  it('on a stale version asks for the current values and fetches the new shapes', async () => {
    const server = { version: 'v1', codes: ['a'], reported: [1] };
    const { f, calls } = fetchers(server);
    const first = await loadChoropleth(null, 'reported', f, signal);
    Object.assign(server, { version: 'v2', codes: ['a', 'b'], reported: [3, 4] });
    const second = await loadChoropleth(first, 'reported', f, signal);
    expect(calls).toEqual(['values@-', 'shapes@v1', 'values@v1', 'values@-', 'shapes@v2']);
    expect(second.version).toBe('v2');
    expect(second.shapes.features.map((x) => x.properties.code)).toEqual(['a', 'b']);
  });

  it('refuses values that do not align with the shapes', async () => {
    const { f } = fetchers({ version: 'v1', codes: ['a', 'b'], reported: [1, 2, 3] });
    await expect(loadChoropleth(null, 'reported', f, signal)).rejects.toMatchObject({ kind: 'invalid' });
  });
});

describe('gridValuesOf', () => {
  it('reads values[i] as feature i\'s, and nothing for another version or length', () => {
    const v = gridValuesOf(answer('v1', [5, null, 2]), { version: 'v1', features: 3 })!;
    expect([0, 1, 2].map((i) => valueOf(v, 'reported', i))).toEqual([5, null, 2]);
    expect(valueOf(v, 'score', 0)).toBeNull();
    expect(gridValuesOf(answer('v1', [5]), { version: 'v2', features: 1 })).toBeNull();
    expect(gridValuesOf(answer('v1', [5]), { version: 'v1', features: 2 })).toBeNull();
  });
});

describe('the choropleth\'s value swap', () => {
  const grids = shapesOf(['a', 'b']);
  const scale = { metric: 'reported' as const, breaks: [10], colours: ['#000010', '#000020'] };
  const build = (values: ValuesAnswer) => buildGridChoropleth({ grids, values: gridValuesOf(values, { version: 'v1', features: 2 }), metric: 'reported', scale, opacity: 255 });
  const fill = (layer: ReturnType<typeof build>, i: number) =>
    (layer.props.getFillColor as unknown as (f: unknown, o: { index: number }) => number[])(grids.features[i], { index: i });

  it('keeps the layer\'s data and changes only the fill colours\' trigger when the values change', () => {
    const a = build(answer('v1', [1, 50]));
    const b = build(answer('v1', [50, 1]));
    expect(b.id).toBe(a.id);
    expect(b.props.data).toBe(a.props.data);
    expect(b.props.updateTriggers.getFillColor).not.toEqual(a.props.updateTriggers.getFillColor);
    expect(b.props.updateTriggers.getLineWidth).toEqual(a.props.updateTriggers.getLineWidth);
    expect([fill(a, 0), fill(a, 1)]).toEqual([[0, 0, 16, 255], [0, 0, 32, 255]]);
    expect([fill(b, 0), fill(b, 1)]).toEqual([[0, 0, 32, 255], [0, 0, 16, 255]]);
  });

  it('draws nothing of a grid outside the scope', () => {
    const layer = build(answer('v1', [1, null], [1]));
    expect(fill(layer, 1)[3]).toBe(0);
    expect(fill(layer, 0)[3]).toBe(255);
  });
});
