/** Decides which HTML map labels to show so that none overlap, at any zoom. */

/** A label's screen box, centred on (x, y), in CSS pixels. */
export interface LabelBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Higher wins a collision (e.g. area, so big streets keep their names when zoomed out). */
  priority: number;
}

/**
 * Greedy placement: labels in priority order (ties by id, so the result is stable between
 * frames) are kept unless they would overlap one already kept, with `gap` pixels of clearance.
 * Returns the ids to show.
 */
export function placeLabels(boxes: LabelBox[], gap = 4): Set<string> {
  const ordered = [...boxes].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const kept: LabelBox[] = [];
  for (const box of ordered) {
    const clashes = kept.some(
      (k) =>
        Math.abs(k.x - box.x) * 2 < k.width + box.width + 2 * gap &&
        Math.abs(k.y - box.y) * 2 < k.height + box.height + 2 * gap,
    );
    if (!clashes) kept.push(box);
  }
  return new Set(kept.map((k) => k.id));
}
