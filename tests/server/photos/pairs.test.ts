/**
 * The wall's 整改前后对比 source, `GET /api/photos?pairs=1`: the scope's latest closures holding a
 * 整改前 and a 整改后 photo, newest closure first, the period filtering closures, with where the
 * issue was, the key site's accountable unit and each photo's flags.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PhotoPair } from '../../../server/queries/photos.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { jpeg, png } from '../../helpers/photos.ts';

let t: TestApp;
beforeEach(async () => {
  t = await cityApp();
});
afterEach(async () => t.cleanup());

const upload = async (id: string, kind: string, body: Buffer) => {
  const res = await t.app.request(`/api/issues/${id}/photos?kind=${kind}`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(body) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { hash: string }).hash;
};
const pairs = async (query = '') => ((await (await t.app.request(`/api/photos?pairs=1${query}`)).json()) as { pairs: PhotoPair[] }).pairs;

describe('整改前后 pairs', () => {
  it('lists closures with both photos, newest closure first; the period filters closures, not reports', async () => {
    // I01 closed 2 Nov, I03 closed 6 Nov, I05 closed 21 Oct; I05 has no after photo.
    for (const [id, colour] of [['I01', 1], ['I03', 3]] as const) {
      await upload(id, 'before', await png(`#0${colour}0000`));
      await upload(id, 'after', await png(`#00${colour}000`));
    }
    await upload('I05', 'before', await png('#050000'));
    expect((await pairs()).map((p) => p.issueId)).toEqual(['I03', 'I01']);
    // I03 was reported on 4 Nov, before the window: it still counts, being closed in it.
    expect((await pairs('&from=2026-11-05&to=2026-11-25')).map((p) => p.issueId)).toEqual(['I03']);
    expect((await pairs('&from=2026-11-03&to=2026-11-04')).map((p) => p.issueId)).toEqual([]);
    expect((await pairs('&limit=1')).map((p) => p.issueId)).toEqual(['I03']);
  });

  it('pairs the first 整改前 with the latest 整改后, and carries their flags', async () => {
    const before = await upload('I01', 'before', await png('#111111'));
    await upload('I01', 'before', await png('#121212'));
    await upload('I01', 'after', await png('#131313'));
    // Taken a week before the report: stale, and before the report although it is an after photo.
    const latest = await upload('I01', 'after', await jpeg({ takenAt: new Date('2026-10-26T01:00:00Z') }));
    const [p] = await pairs();
    expect([p.before.hash, p.after.hash]).toEqual([before, latest]);
    expect(p.before.flags).toEqual(['no_exif']);
    expect(p.after.flags).toEqual(['stale', 'before_report']);
  });

  it('says where the issue was: category, address, street and community names, the key site and its unit', async () => {
    await upload('I01', 'before', await png('#212121'));
    await upload('I01', 'after', await png('#222222'));
    const [p] = await pairs();
    const detail = (await (await t.app.request('/api/issues/I01')).json()) as { street: { name: string }; community: { name: string }; sites: { id: string }[] };
    expect(p).toMatchObject({
      issueId: 'I01', category: '0201', address: '测试地址', street: detail.street.name, community: detail.community.name,
      closedAt: '2026-11-02T02:00:00.000Z',
    });
    expect(detail.sites.map((s) => s.id)).toEqual(['S1']);
    expect(p.site).toEqual({ id: 'S1', name: '双桥村综合农贸市场', unit: '关上街道办事处' });
  });

  it('keeps to the scope', async () => {
    await upload('I01', 'before', await png('#313131'));
    await upload('I01', 'after', await png('#323232'));
    const detail = (await (await t.app.request('/api/issues/I01')).json()) as { street: { code: string } };
    expect((await pairs(`&scope=street:${detail.street.code}`)).map((p) => p.issueId)).toEqual(['I01']);
    const other = (await t.db.one<{ code: string }>(`SELECT code FROM regions WHERE level = 'street' AND code <> $c LIMIT 1`, { c: detail.street.code }))!.code;
    expect(await pairs(`&scope=street:${other}`)).toEqual([]);
  });
});
