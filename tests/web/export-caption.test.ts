import { describe, expect, it } from 'vitest';
import type { ClassedScale } from '../../web/map/layers/colours';
import { exportCaptionLines, type CaptionWords } from '../../web/workspace/export-caption';
import { legendRows, type LegendWords } from '../../web/workspace/legend';

const words: CaptionWords = {
  period: 'Period: {v}',
  range: (from, to) => `${from} – ${to}`,
  filter: { categories: 'Category: {v}', sources: 'Source: {v}', statuses: 'Status: {v}', siteTypes: 'Site type: {v}' },
  noFilter: 'Filters: none',
  metric: 'Colour: Reported',
  exportedAt: 'Exported {v}',
  separator: ', ',
  more: (n) => ` and ${n} more`,
};
const names = { categories: (c: string) => `cat ${c}`, sources: (c: string) => c.toUpperCase(), statuses: (c: string) => c, siteTypes: (c: string) => c };
const at = Date.parse('2026-12-07T05:00:00Z');

describe('the exported map image says what it shows', () => {
  it('lists the period, every active filter by name, the metric and the time of export', () => {
    const lines = exportCaptionLines({ from: '2026-12-01', to: '2026-12-07' }, { categories: ['0101'], sources: ['hotline', 'camera'], statuses: [], siteTypes: [] }, words, names, at, 'en');
    expect(lines).toEqual(['Period: 1 Dec 2026 – 7 Dec 2026', 'Category: cat 0101', 'Source: HOTLINE, CAMERA', 'Colour: Reported', 'Exported 7 Dec 2026, 13:00']);
  });

  it('says when no filter is set and shortens long lists', () => {
    const none = exportCaptionLines({ from: '2026-12-01', to: '2026-12-07' }, { categories: [], sources: [], statuses: [], siteTypes: [] }, words, names, at, 'en');
    expect(none).toContain('Filters: none');
    const many = exportCaptionLines({ from: '2026-12-01', to: '2026-12-07' }, { categories: ['1', '2', '3', '4', '5', '6', '7', '8'], sources: [], statuses: [], siteTypes: [] }, words, names, at, 'en');
    expect(many[1]).toBe('Category: cat 1, cat 2, cat 3, cat 4, cat 5, cat 6 and 2 more');
  });

  it('carries the legend of the layers that are on, from the grids scale', () => {
    const scale: ClassedScale = { breaks: [0.5, 0.8], colours: ['#a', '#b', '#c'] } as ClassedScale;
    const legendWords = {
      metric: 'On-time rate', noData: 'No data', sites: 'Key sites', issues: 'Issues', heat: 'Heat', heatLow: 'few', heatHigh: 'many',
      siteStatus: { red: 'red', amber: 'amber', green: 'green' }, issueState: { ok: 'closed', open: 'open', overdue: 'overdue' },
    } satisfies LegendWords;
    const rows = legendRows((l) => l === 'grids' || l === 'heat', scale, 'onTimeRate', legendWords, 'en');
    expect(rows.map((r) => r.layer)).toEqual(['grids', 'heat']);
    expect(rows[0].items.map((i) => i.text)).toEqual(['<50 %', '50 %+', '80 %+', 'No data']);
    expect(rows[1].ramp).toMatchObject({ low: 'few', high: 'many' });
  });
});
