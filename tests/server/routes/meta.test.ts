import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityApp, type TestApp } from '../../helpers/app.ts';

let t: TestApp;
beforeAll(async () => (t = await cityApp()));
afterAll(async () => t.cleanup());

describe('GET /api/meta', () => {
  it('describes the taxonomy, vocabularies, regions, plan and data range', async () => {
    const res = await t.app.request('/api/meta');
    expect(res.status).toBe(200);
    const meta = (await res.json()) as Record<string, any>;
    expect(meta.version).toBe('test');
    expect(meta.categories.map((c: { code: string }) => c.code)).toEqual(['01', '02']);
    expect(meta.categories[0].children.map((c: { name: string }) => c.name)).toEqual(['暴露垃圾', '乱张贴小广告']);
    expect(meta.categories[0].children[0]).toMatchObject({ kind: 'event', limit: 2, limitUnit: 'work_hours' });
    expect(meta.siteTypes.find((s: { code: string }) => s.code === 'market')).toMatchObject({ name: '农贸市场', sites: 1, bufferM: 100 });
    expect(meta.statuses.find((s: { code: string }) => s.code === 'closed').name).toBe('结案');
    expect(meta.sources.map((s: { code: string }) => s.code)).toEqual(['patrol', 'inspection', 'camera', 'hotline', 'assigned']);
    expect(meta.regions).toHaveLength(1);
    expect(meta.regions[0].children.map((s: { name: string }) => s.name)).toEqual(['关上街道', '太和街道']);
    expect(meta.regions[0].children[0].children).toHaveLength(2);
    expect(meta.publishedPlan).toMatchObject({ name: '初始方案', grids: 8 });
    expect(meta.dataRange).toEqual({ first: '2026-09-01T01:00:00.000Z', last: '2026-11-11T03:00:00.000Z', issues: 8 });
  });
});
