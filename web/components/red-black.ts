/**
 * The red and black lists of a ranking answer as a board shows them, in the workspace and on the
 * wall. Pure.
 */

/** The part of a `/api/stats/ranking` answer the lists read. */
export interface RankingLike<E extends { code: string; rank: number | null }> {
  ranked: number;
  red: readonly E[];
  black: readonly E[];
}

/** Best and worst, never the same unit on both, and those between. */
export interface RedBlack<E> {
  red: E[];
  black: E[];
  /** Ranked units on neither list, best first (known only when the answer lists every ranked one). */
  middle: E[];
}

/**
 * Splits a ranking into the red list (best `size`, best first) and the black list (worst `size`,
 * worst first). With fewer than 2 × `size` ranked units the lists share them out — the better
 * half red, the rest black — so no unit is praised and blamed at once; the ones between follow
 * in rank order.
 */
export function redBlackLists<E extends { code: string; rank: number | null }>(ranking: RankingLike<E>, size: number): RedBlack<E> {
  const redCount = Math.min(size, Math.ceil(ranking.ranked / 2));
  const blackCount = Math.min(size, ranking.ranked - redCount);
  const red = ranking.red.slice(0, redCount);
  const black = ranking.black.slice(0, blackCount);
  const onLists = new Set([...red, ...black].map((e) => e.code));
  const complete = ranking.red.length >= ranking.ranked;
  return { red, black, middle: complete ? ranking.red.filter((e) => !onLists.has(e.code)) : [] };
}
