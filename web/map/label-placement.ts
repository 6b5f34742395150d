/** Decides which map labels to show, and where, so that none overlap each other or the map's own panels. */

/** A label's screen box, centred on (x, y), in CSS pixels. */
export interface LabelBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Higher wins a collision (e.g. area, so big streets keep their names when zoomed out). */
  priority: number;
  /**
   * A label that must be shown (a street's name at district zoom): when its place is taken it is
   * moved beside it, then shortened to `shortWidth`, rather than dropped.
   */
  required?: boolean;
  /** Width of the label's short form (e.g. the name without 街道), when it has one. */
  shortWidth?: number;
}

/** An area no label may cover (a legend or banner drawn over the map), as screen edges. */
export interface Obstacle {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Where a kept label goes: moved by (dx, dy) pixels from its anchor, in its short form or not. */
export interface Placement {
  dx: number;
  dy: number;
  short: boolean;
}

/** Options of {@link arrangeLabels}. */
export interface ArrangeOptions {
  /** Clearance between labels, in pixels. */
  gap?: number;
  obstacles?: readonly Obstacle[];
  /** The visible area: a moved label must stay inside it. */
  viewport?: { width: number; height: number };
}

/** Moves tried for a required label, in order: its place, then beside it, then a little further. */
function moves(width: number, height: number, gap: number): [number, number][] {
  const across = width / 2 + gap;
  const down = height + gap;
  const out: [number, number][] = [[0, 0]];
  for (const r of [1, 2]) {
    out.push([0, -down * r], [0, down * r], [across * r, 0], [-across * r, 0], [across * r, -down * r], [-across * r, -down * r], [across * r, down * r], [-across * r, down * r]);
  }
  return out;
}

/**
 * Greedy placement: labels in priority order (ties by id, so the result is stable between
 * frames) are kept where they do not overlap a kept label or an obstacle, with `gap` pixels of
 * clearance; an optional label that clashes is dropped, a required one tries the moves above
 * (full name, then short), and as a last resort keeps its place. Returns the kept labels' placements.
 */
export function arrangeLabels(boxes: readonly LabelBox[], options: ArrangeOptions = {}): Map<string, Placement> {
  const gap = options.gap ?? 4;
  const obstacles = options.obstacles ?? [];
  const view = options.viewport;
  const ordered = [...boxes].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const kept: { x: number; y: number; width: number; height: number }[] = [];
  const out = new Map<string, Placement>();
  const free = (x: number, y: number, width: number, height: number, moved: boolean) => {
    if (moved && view && (x - width / 2 < 0 || y - height / 2 < 0 || x + width / 2 > view.width || y + height / 2 > view.height)) return false;
    const clashes = kept.some((k) => Math.abs(k.x - x) * 2 < k.width + width + 2 * gap && Math.abs(k.y - y) * 2 < k.height + height + 2 * gap);
    if (clashes) return false;
    return !obstacles.some((o) => x + width / 2 + gap > o.left && x - width / 2 - gap < o.right && y + height / 2 + gap > o.top && y - height / 2 - gap < o.bottom);
  };
  for (const box of ordered) {
    const forms = box.required ? [{ width: box.width, short: false }, ...(box.shortWidth ? [{ width: box.shortWidth, short: true }] : [])] : [{ width: box.width, short: false }];
    let placed: Placement | null = null;
    let width = box.width;
    search: for (const form of forms) {
      for (const [dx, dy] of box.required ? moves(form.width, box.height, gap) : [[0, 0] as [number, number]]) {
        if (free(box.x + dx, box.y + dy, form.width, box.height, dx !== 0 || dy !== 0)) {
          placed = { dx, dy, short: form.short };
          width = form.width;
          break search;
        }
      }
    }
    if (!placed && box.required) {
      placed = { dx: 0, dy: 0, short: Boolean(box.shortWidth) };
      width = box.shortWidth ?? box.width;
    }
    if (!placed) continue;
    kept.push({ x: box.x + placed.dx, y: box.y + placed.dy, width, height: box.height });
    out.set(box.id, placed);
  }
  return out;
}

/** The ids {@link arrangeLabels} keeps, for callers that only show or hide labels. */
export function placeLabels(boxes: LabelBox[], gap = 4): Set<string> {
  return new Set(arrangeLabels(boxes, { gap }).keys());
}
