import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { shanghaiDate } from '../../server/domain/time';
import type { PlanSummary } from '../../server/plan/metrics';
import { attributeChange, formOf, isFormProblem } from '../../web/plan/attrs';
import { bandClasses, compareSummaries, outsideGrids, siteRows } from '../../web/plan/compare';
import { authorText, formatArea, windowDays } from '../../web/plan/format';
import { applyOutcome, selectionAfter, type Grid, type Grids } from '../../web/plan/outcome';
import { isTypingTarget, shortcutFor, type KeyPress } from '../../web/plan/shortcuts';
import { addSample, median, summariseTimings, type TimingSample } from '../../web/plan/timing';

const square = (x: number): Polygon => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
const grid = (code: string, x: number, community = 'C1'): Grid => ({
  type: 'Feature', geometry: square(x), properties: { code, name: `网格${code}`, community, inspector: '张伟', households: 100 },
});
const fc = (...features: Grid[]): Grids => ({ type: 'FeatureCollection', features });

describe('applyOutcome', () => {
  it('replaces a split grid by its two parts, in code order, keeping the untouched ones as they were', () => {
    const b = grid('B', 1);
    const before = fc(grid('A', 0), b, grid('C', 2));
    const after = applyOutcome(before, { added: ['A-1', 'A-2'], removed: ['A'], changed: [], grids: [grid('A-2', 0.5), grid('A-1', 0)] });
    expect(after.features.map((f) => f.properties.code)).toEqual(['A-1', 'A-2', 'B', 'C']);
    expect(after.features[2]).toBe(b);
  });

  it('drops merged grids and takes the surviving one as sent', () => {
    const after = applyOutcome(fc(grid('A', 0), grid('B', 1)), { added: [], removed: ['B'], changed: ['A'], grids: [grid('A', 0)] });
    expect(after.features.map((f) => f.properties.code)).toEqual(['A']);
  });
});

describe('selectionAfter', () => {
  it('keeps a selection that survived, follows a split to its first part and a merge to the surviving grid', () => {
    expect(selectionAfter('B', { added: ['A-1', 'A-2'], removed: ['A'], changed: [], grids: [] })).toBe('B');
    expect(selectionAfter('A', { added: ['A-1', 'A-2'], removed: ['A'], changed: [], grids: [] })).toBe('A-1');
    expect(selectionAfter('B', { added: [], removed: ['B'], changed: ['A'], grids: [] })).toBe('A');
    expect(selectionAfter(null, { added: ['X'], removed: [], changed: [], grids: [] })).toBeNull();
  });
});

describe('shortcutFor', () => {
  const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, typing: false, ...mods });

  it('maps undo and both redo chords, on Ctrl and on Cmd', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(shortcutFor(key('z', { metaKey: true }))).toEqual({ kind: 'undo' });
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
    expect(shortcutFor(key('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
  });

  it('maps the tool letters, Esc and Delete', () => {
    expect(shortcutFor(key('s'))).toEqual({ kind: 'tool', tool: 'split' });
    expect(shortcutFor(key('M'))).toEqual({ kind: 'tool', tool: 'merge' });
    expect(shortcutFor(key('v'))).toEqual({ kind: 'tool', tool: 'vertex' });
    expect(shortcutFor(key('r'))).toEqual({ kind: 'tool', tool: 'redraw' });
    expect(shortcutFor(key('Escape'))).toEqual({ kind: 'cancel' });
    expect(shortcutFor(key('Delete'))).toEqual({ kind: 'deleteVertex' });
  });

  it('leaves letters, Delete and Ctrl+Z to a text field being typed into, but Esc still cancels', () => {
    expect(shortcutFor(key('s', { typing: true }))).toBeNull();
    expect(shortcutFor(key('Delete', { typing: true }))).toBeNull();
    expect(shortcutFor(key('z', { ctrlKey: true, typing: true }))).toBeNull();
    expect(shortcutFor(key('Escape', { typing: true }))).toEqual({ kind: 'cancel' });
  });

  it('ignores chords it does not own', () => {
    expect(shortcutFor(key('s', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('s', { altKey: true }))).toBeNull();
    expect(shortcutFor(key('x'))).toBeNull();
  });

  it('tells text fields from other elements', () => {
    expect(isTypingTarget({ tagName: 'INPUT' } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'CANVAS' } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('compareSummaries', () => {
  const summary = (over: Partial<PlanSummary>): PlanSummary => ({
    grids: 8, issues: 100, mean: 10, max: 20, maxOverMean: 2, cv: 0.5,
    band: { ratio: 0.3, low: 7, high: 13, above: ['A'], below: ['B', 'C'], outside: 3 }, ...over,
  });

  it('judges the balance figures (lower is fairer) and leaves the context figures unjudged', () => {
    const rows = compareSummaries(summary({ maxOverMean: 1.5, cv: 0.6, band: { ratio: 0.3, low: 7, high: 13, above: [], below: ['B', 'C'], outside: 2 } }), summary({}));
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.maxOverMean.better).toBe(true);
    expect(by.cv.better).toBe(false);
    expect(by.outside).toMatchObject({ draft: 2, published: 3, better: true });
    expect(by.grids.better).toBeNull();
    expect(by.issues.better).toBeNull();
  });

  it('shows the draft alone when nothing is published', () => {
    const rows = compareSummaries(summary({}), null);
    expect(rows.every((r) => r.published === null && r.better === null)).toBe(true);
  });
});

describe('band helpers', () => {
  const g = (code: string, issuesPer30d: number, band: 'above' | 'below' | null) => ({ code, name: code, issuesPer30d, band });

  it('classes each grid by band, null meaning within', () => {
    expect(bandClasses([g('A', 1, 'above'), g('B', 1, null)])).toEqual(new Map([['A', 'above'], ['B', 'within']]));
  });

  it('lists the grids furthest from the mean first and counts the rest', () => {
    const out = outsideGrids([g('A', 20, 'above'), g('B', 40, 'above'), g('C', 30, 'above'), g('D', 2, 'below'), g('E', 1, 'below'), g('F', 10, null)], 2);
    expect(out.above.map((x) => x.code)).toEqual(['B', 'C']);
    expect(out.below.map((x) => x.code)).toEqual(['E', 'D']);
    expect(out).toMatchObject({ moreAbove: 1, moreBelow: 0 });
  });

  it('sorts sites by type, most first', () => {
    expect(siteRows({ market: 1, bus_stop: 3, park: 1 })).toEqual([{ type: 'bus_stop', count: 3 }, { type: 'market', count: 1 }, { type: 'park', count: 1 }]);
  });
});

describe('format', () => {
  it('reads days in Asia/Shanghai, and the exclusive end of a window as its last day', () => {
    expect(shanghaiDate(new Date('2026-08-27T16:00:00Z'))).toBe('2026-08-28');
    expect(windowDays({ from: '2026-08-27T16:00:00.000Z', to: '2026-11-25T16:00:00.000Z' })).toEqual({ from: '2026-08-28', to: '2026-11-25' });
  });

  it('prints slivers in m² and grids in km²', () => {
    expect(formatArea(0.00022)).toBe('220 m²');
    expect(formatArea(1.23456)).toBe('1.235 km²');
    expect(formatArea(null)).toBe('—');
  });

  it('shows an import run as such, never as the raw name the server records for it', () => {
    expect(authorText('cli', 'command-line import')).toBe('command-line import');
    expect(authorText('import', 'command-line import')).toBe('command-line import');
    expect(authorText('张三', 'command-line import')).toBe('张三');
  });
});

describe('timing', () => {
  const sample = (totalMs: number): TimingSample => ({ label: 'split', totalMs, editMs: 0, metricsMs: 0, paintMs: 0, serverMs: 10 });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('summarises the samples for the status line', () => {
    expect(summariseTimings([])).toBeNull();
    expect(summariseTimings([sample(100), sample(300), sample(120)])).toMatchObject({ count: 3, medianMs: 120, maxMs: 300, last: { totalMs: 120 } });
  });

  it('keeps only the latest samples', () => {
    let s: TimingSample[] = [];
    for (let i = 0; i < 5; i++) s = addSample(s, sample(i), 3);
    expect(s.map((x) => x.totalMs)).toEqual([2, 3, 4]);
  });
});

describe('attributeChange', () => {
  const props = grid('A', 0).properties;

  it('is no edit for an untouched form', () => {
    expect(attributeChange(props, formOf(props))).toBeNull();
  });

  it('sends only what changed; an emptied inspector becomes null', () => {
    expect(attributeChange(props, { ...formOf(props), name: ' 新名称 ', inspector: '' })).toEqual({ name: '新名称', inspector: null });
    expect(attributeChange(props, { ...formOf(props), code: 'A2', households: '' })).toEqual({ code: 'A2', households: null });
  });

  it('refuses an empty code and a household count that is not a whole number', () => {
    const empty = attributeChange(props, { ...formOf(props), code: '  ' });
    expect(isFormProblem(empty) && empty).toEqual({ field: 'code', reason: 'empty' });
    const bad = attributeChange(props, { ...formOf(props), households: '12.5' });
    expect(isFormProblem(bad) && bad).toEqual({ field: 'households', reason: 'not_a_count' });
  });
});
