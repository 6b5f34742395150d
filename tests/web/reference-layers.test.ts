import { describe, expect, it } from 'vitest';
import { lineAnchor, placeReferenceLabels, referenceLabels, type ReferenceLabel } from '../../web/map/layers/reference';
import { referenceWindow, windowServes } from '../../web/map/use-reference-layers';

const fc = (features: { geometry: unknown; properties: { name: string | null; class: string } }[]) =>
  ({ type: 'FeatureCollection', truncated: false, features: features.map((f) => ({ type: 'Feature', ...f })) }) as never;

describe('road names', () => {
  it('sit on the longest segment, turned with it and never upside down', () => {
    const a = lineAnchor([[[102.70, 25.0], [102.701, 25.0], [102.711, 25.0]]])!;
    expect(a.position[0]).toBeCloseTo(102.706, 9);
    expect(a.angle).toBeCloseTo(0, 6);
    // Drawn east to west, the text still reads left to right.
    expect(lineAnchor([[[102.71, 25.0], [102.70, 25.0]]])!.angle).toBeCloseTo(0, 6);
    expect(lineAnchor([[[102.7, 25.0], [102.7, 25.01]]])!.angle).toBeCloseTo(90, 6);
  });

  it('are made for named roads, rivers and landmarks only, main roads first', () => {
    const labels = referenceLabels({
      roads: fc([
        { geometry: { type: 'LineString', coordinates: [[102.7, 25], [102.71, 25]] }, properties: { name: '春城路', class: 'main' } },
        { geometry: { type: 'LineString', coordinates: [[102.7, 25], [102.71, 25]] }, properties: { name: null, class: 'minor' } },
        { geometry: { type: 'LineString', coordinates: [[102.7, 25], [102.71, 25]] }, properties: { name: '双桥巷', class: 'minor' } },
      ]),
      water: fc([{ geometry: { type: 'LineString', coordinates: [[102.7, 25], [102.71, 25.01]] }, properties: { name: '宝象河', class: 'river' } }]),
      poi: fc([{ geometry: { type: 'Point', coordinates: [102.705, 25.005] }, properties: { name: '关上医院', class: '医院' } }]),
    });
    expect(labels.map((l) => [l.name, l.kind])).toEqual([['春城路', 'road'], ['双桥巷', 'road'], ['宝象河', 'water'], ['关上医院', 'poi']]);
    expect(labels[0].minZoom).toBeLessThan(labels[1].minZoom);
    expect(labels[0].priority).toBeGreaterThan(labels[1].priority);
  });
});

describe('placeReferenceLabels', () => {
  const label = (id: string, x: number, priority: number, minZoom = 12): ReferenceLabel => ({ id, name: '测试路', position: [x, 0], angle: 0, kind: 'road', minZoom, priority });
  const project = (p: [number, number]): [number, number] => [p[0], 100 + p[1]];
  const viewport = { width: 400, height: 200 };

  it('keeps clear of region names and of each other, higher priority first', () => {
    const shown = placeReferenceLabels([label('a', 100, 1), label('b', 110, 3), label('c', 300, 1)], 14, project, viewport, [
      { id: 'street:1', x: 300, y: 100, width: 60, height: 20, priority: 0 },
    ]);
    expect(shown.map((l) => l.id)).toEqual(['b']);
  });

  it('waits for its zoom and leaves off-screen names out', () => {
    expect(placeReferenceLabels([label('a', 100, 1, 15), label('b', 900, 1)], 14, project, viewport)).toEqual([]);
  });
});

describe('the reference window', () => {
  const view = { bounds: [102.70, 24.95, 102.75, 24.98] as [number, number, number, number], zoom: 13.4 };

  it('covers the view with room to pan, at the whole zoom', () => {
    const w = referenceWindow(view);
    expect(w.zoom).toBe(13);
    expect(w.bbox[0]).toBeLessThan(102.70 - 0.02);
    expect(w.bbox[2]).toBeGreaterThan(102.75 + 0.02);
    expect(windowServes(w, view)).toBe(true);
  });

  it('is reused for a small pan, not for a new zoom or a view outside it', () => {
    const w = referenceWindow(view);
    const pan = { ...view, bounds: [102.71, 24.955, 102.76, 24.985] as [number, number, number, number] };
    expect(windowServes(w, pan)).toBe(true);
    expect(windowServes(w, { ...view, zoom: 14.1 })).toBe(false);
    expect(windowServes(w, { ...view, bounds: [102.9, 24.95, 102.95, 24.98] })).toBe(false);
  });

  it('stops asking again past the zoom the server sends full detail at', () => {
    const w = referenceWindow({ ...view, zoom: 18.5 });
    expect(w.zoom).toBe(17);
    expect(windowServes(w, { ...view, zoom: 19 })).toBe(true);
  });
});
