import { describe, expect, it } from 'vitest';
import { entriesFromIssues, entryFromEvent, inScope, mergeTicker, type TickerIssue } from '../../web/screen/ticker.ts';
import { siteBoard } from '../../web/screen/site-board.ts';

function issue(id: string, over: Partial<TickerIssue> = {}): TickerIssue {
  return {
    id, category: '0201', categoryName: '暴露垃圾', status: 'reported', immediate: false,
    reportedAt: '2026-11-25T01:00:00.000Z', closedAt: null, lon: 102.7, lat: 25.0,
    street: { code: '530111001', name: '关上街道' }, community: { code: '530111001001', name: '关上社区' }, ...over,
  };
}

describe('screen ticker', () => {
  it('shows a closed issue from the list as a closure at its closing time', () => {
    const [e] = entriesFromIssues([issue('A', { status: 'closed', closedAt: '2026-11-25T02:00:00.000Z' })]);
    expect(e).toMatchObject({ kind: 'closed', at: '2026-11-25T02:00:00.000Z', key: 'A:closed' });
  });

  it('turns issue.created into a report line', () => {
    expect(entryFromEvent('issue.created', { issue: issue('B') })).toMatchObject({ kind: 'new', id: 'B', category: '暴露垃圾', street: '关上街道' });
  });

  it('shows only the closing step of issue.updated', () => {
    expect(entryFromEvent('issue.updated', { issue: issue('C'), event: { type: 'dispatched' } })).toBeNull();
    expect(entryFromEvent('issue.updated', { issue: issue('C', { closedAt: '2026-11-25T03:00:00.000Z' }), event: { type: 'closed' } }))
      .toMatchObject({ kind: 'closed', at: '2026-11-25T03:00:00.000Z' });
  });

  it('ignores payloads the feed does not document', () => {
    expect(entryFromEvent('issue.created', null)).toBeNull();
    expect(entryFromEvent('issue.created', { nope: 1 })).toBeNull();
  });

  it('keeps the newest lines first, once each, and never more than the bound', () => {
    const old = entriesFromIssues([issue('A'), issue('B', { reportedAt: '2026-11-25T00:30:00.000Z' })]);
    const fresh = [entryFromEvent('issue.created', { issue: issue('D', { reportedAt: '2026-11-25T05:00:00.000Z' }) })!];
    expect(mergeTicker(old, [...fresh, old[0]]).map((e) => e.id)).toEqual(['D', 'A', 'B']);
    const many = Array.from({ length: 100 }, (_, i) => entriesFromIssues([issue(`X${i}`)])[0]);
    expect(mergeTicker([], many, 30)).toHaveLength(30);
  });

  it('keeps a street\'s own lines at street scope', () => {
    const e = entriesFromIssues([issue('A')])[0];
    expect(inScope(e, { level: 'street', code: '530111001' })).toBe(true);
    expect(inScope(e, { level: 'street', code: '530111002' })).toBe(false);
    expect(inScope(e, { level: 'district', code: '530111' })).toBe(true);
  });

  it('keeps a district\'s own streets at a city\'s district stop, and everything at the city', () => {
    const e = entriesFromIssues([issue('A')])[0];
    expect(inScope(e, { level: 'district', code: '530102' })).toBe(false);
    expect(inScope(e, { level: 'city', code: '530100' })).toBe(true);
    expect(inScope({ ...e, streetCode: null }, { level: 'district', code: '530111' })).toBe(false);
  });
});

describe('key-site board', () => {
  const types = [{ code: 'market', name: '农贸市场' }, { code: 'school', name: '校园周边' }];
  const sites = [
    { type: 'market', street: 'A', status: 'green' as const },
    { type: 'market', street: 'A', status: 'red' as const },
    { type: 'market', street: 'B', status: 'amber' as const },
    { type: 'park', street: 'A', status: 'amber' as const },
  ];

  it('counts green, amber and red sites per type, in the configured order', () => {
    expect(siteBoard(sites, types)).toEqual([
      { type: 'market', name: '农贸市场', total: 3, green: 1, amber: 1, red: 1 },
      { type: 'school', name: '校园周边', total: 0, green: 0, amber: 0, red: 0 },
    ]);
  });

  it('counts one street only at street scope', () => {
    expect(siteBoard(sites, types, { level: 'street', code: 'B' })[0]).toMatchObject({ total: 1, amber: 1, red: 0 });
  });
});
