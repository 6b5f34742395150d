import { describe, expect, it } from 'vitest';
import { carouselOrder, dueIndex, imageSize, pairPlace, pairToShow, wantedUrls, type CarouselPair } from '../../web/screen/photo-carousel';

const urls = (name: string) => ({ urls: { thumb: `/t/${name}`, view: `/v/${name}` } });
const pair = (issueId: string, closedAt: string | null): CarouselPair => ({ issueId, closedAt, before: urls(`${issueId}b`), after: urls(`${issueId}a`) });

describe('the 整改前后对比 carousel', () => {
  it('shows the newest closure first, ties by issue id, undated last', () => {
    const ordered = carouselOrder([
      pair('B', '2026-11-20T02:00:00Z'), pair('C', null), pair('A', '2026-11-20T02:00:00Z'), pair('D', '2026-11-24T09:30:00Z'),
    ]);
    expect(ordered.map((p) => p.issueId)).toEqual(['D', 'A', 'B', 'C']);
  });

  it('turns to the next pair every `seconds`, on the clock\'s beat, and wraps around', () => {
    const t0 = Date.parse('2026-11-25T04:00:00Z'); // a multiple of 10 s
    expect(dueIndex(t0, 10, 3)).toBe(dueIndex(t0 + 9_999, 10, 3));
    const first = dueIndex(t0, 10, 3)!;
    expect([1, 2, 3].map((k) => dueIndex(t0 + k * 10_000, 10, 3))).toEqual([1, 2, 3].map((k) => (first + k) % 3));
    expect(dueIndex(t0, 10, 1)).toBe(0);
  });

  it('has nothing due when there are no pairs', () => {
    expect(dueIndex(Date.parse('2026-11-25T04:00:00Z'), 10, 0)).toBeNull();
    expect(pairToShow(null, 'A', [], () => true)).toBeNull();
    expect(wantedUrls([], null, null, 'thumb')).toEqual([]);
  });

  it('keeps the pair on the wall until the next one\'s images are in: no blank frame', () => {
    const keys = ['A', 'B', 'C'];
    expect(pairToShow('B', 'A', keys, () => false)).toBe('A');
    expect(pairToShow('B', 'A', keys, (k) => k === 'B')).toBe('B');
    // The first pair of all, or one whose predecessor left the list, is shown at once (its caption while images come).
    expect(pairToShow('B', null, keys, () => false)).toBe('B');
    expect(pairToShow('B', 'Z', keys, () => false)).toBe('B');
  });

  it('holds the images of the pair shown, the due one and the one after it, at the size asked', () => {
    const pairs = [pair('A', null), pair('B', null), pair('C', null), pair('D', null)];
    expect(wantedUrls(pairs, 'A', 1, 'view')).toEqual(['/v/Ab', '/v/Aa', '/v/Bb', '/v/Ba', '/v/Cb', '/v/Ca']);
    expect(wantedUrls(pairs, 'D', 3, 'thumb')).toEqual(['/t/Db', '/t/Da', '/t/Ab', '/t/Aa']);
  });

  it('uses thumbnails while a photo box is at most 320 device px wide', () => {
    expect([imageSize(224), imageSize(320), imageSize(448)]).toEqual(['thumb', 'thumb', 'view']);
  });

  it('says where: the key site and its unit, else the address, with street and community', () => {
    const base = { address: '关上中路 12 号', street: '关上街道', community: '关上社区' };
    expect(pairPlace({ ...base, site: { name: '双桥村综合农贸市场', unit: '关上街道办事处' } }))
      .toEqual({ place: '双桥村综合农贸市场', area: '关上街道 · 关上社区', unit: '关上街道办事处' });
    expect(pairPlace({ ...base, site: null })).toEqual({ place: '关上中路 12 号', area: '关上街道 · 关上社区', unit: null });
    expect(pairPlace({ address: null, street: '关上街道', community: '关上社区', site: null })).toEqual({ place: '关上社区', area: '关上街道', unit: null });
  });
});
