/**
 * The wall's 整改前后对比 carousel, as pure logic: the order of the pairs, which one is due at an
 * instant, which one to show while the next one's images are still coming (never a blank frame),
 * which images to hold, and the caption of a pair.
 */

/** What the carousel needs of a pair (`PhotoPair` of `GET /api/photos?pairs=1`). */
export interface CarouselPair {
  issueId: string;
  closedAt: string | null;
  before: { urls: { thumb: string; view: string } };
  after: { urls: { thumb: string; view: string } };
}

/** Newest closure first, then by issue id, so every wall and every refresh agree on the order. */
export function carouselOrder<P extends CarouselPair>(pairs: readonly P[]): P[] {
  const at = (p: CarouselPair) => (p.closedAt ? Date.parse(p.closedAt) : -Infinity);
  return [...pairs].sort((a, b) => at(b) - at(a) || (a.issueId < b.issueId ? -1 : a.issueId > b.issueId ? 1 : 0));
}

/**
 * The index of the pair due at `now` (epoch ms): a new pair every `seconds`, on the clock's own
 * beat, so walls side by side turn together and a refresh does not restart the cycle. Null
 * when there is nothing to show.
 */
export function dueIndex(now: number, seconds: number, count: number): number | null {
  if (count <= 0) return null;
  const slot = Math.floor(now / (Math.max(1, seconds) * 1000));
  return ((slot % count) + count) % count;
}

/**
 * The pair to show: the due one once its images are in (or have failed: a broken image must not
 * stop the carousel); until then the one on the wall, if the list still has it; else the due one
 * anyway, with its caption while its images come — there is nothing better to show.
 */
export function pairToShow(due: string | null, shown: string | null, keys: readonly string[], ready: (key: string) => boolean): string | null {
  if (due === null) return null;
  if (ready(due) || shown === null || shown === due || !keys.includes(shown)) return due;
  return shown;
}

/** The images the panel holds: those of the pair shown, the due one and the one after it (loaded ahead). */
export function wantedUrls<P extends CarouselPair>(pairs: readonly P[], shown: string | null, due: number | null, size: ImageSize): string[] {
  const keep = new Set<P>();
  const byKey = pairs.find((p) => p.issueId === shown);
  if (byKey) keep.add(byKey);
  if (due !== null && pairs.length > 0) {
    keep.add(pairs[due]);
    keep.add(pairs[(due + 1) % pairs.length]);
  }
  return [...keep].flatMap((p) => [p.before.urls[size], p.after.urls[size]]);
}

export type ImageSize = 'thumb' | 'view';

/** Thumbnails are 320 px wide: enough for a photo box up to that many device pixels, else the view size. */
export function imageSize(boxPx: number): ImageSize {
  return boxPx <= 320 ? 'thumb' : 'view';
}

/** What a pair's caption says of where it was and who answers for it. */
export interface PairPlace {
  /** The key site, else the address, else the community. */
  place: string | null;
  /** Street · community, when they add to the place. */
  area: string | null;
  /** The key site's accountable unit (责任单位), when the spot is in one's zone. */
  unit: string | null;
}

/** The place lines of a pair's caption. */
export function pairPlace(p: { address: string | null; street: string | null; community: string | null; site: { name: string; unit: string | null } | null }): PairPlace {
  const place = p.site?.name ?? p.address ?? p.community ?? null;
  const area = [p.street, p.community].filter((x): x is string => Boolean(x) && x !== place).join(' · ') || null;
  return { place, area, unit: p.site?.unit ?? null };
}
