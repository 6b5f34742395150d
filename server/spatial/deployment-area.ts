/**
 * Where a deployment's data belongs: the boxes of its top-level regions. A file whose every
 * feature lands outside them was almost always read in the wrong CRS (a wrong central meridian
 * puts a district ~950 km away), so imports refuse it unless told otherwise, and CRS detection
 * ranks its candidates by it.
 */
import type { Bbox } from '../domain/geometry.ts';

/** The top-level regions' boxes and names; empty before any region is imported. */
export type DeploymentArea = { boxes: Bbox[]; names: string[] };

/** Slack around the regions (degrees, ≈ 1 km): features on a district's edge still count as inside. */
const PAD = 0.01;

/** True when `box` meets the deployment's area (with {@link PAD} slack). */
export function inArea(area: DeploymentArea, box: readonly number[]): boolean {
  return area.boxes.some((b) => box[0] <= b[2] + PAD && b[0] <= box[2] + PAD && box[1] <= b[3] + PAD && b[1] <= box[3] + PAD);
}

/** Distance in km from a lon/lat position to the nearest region box (0 inside); planar, for ranking only. */
export function kmFromArea(area: DeploymentArea, lon: number, lat: number): number {
  let best = Infinity;
  for (const b of area.boxes) {
    const dx = Math.max(b[0] - lon, 0, lon - b[2]) * 111.32 * Math.cos((lat * Math.PI) / 180);
    const dy = Math.max(b[1] - lat, 0, lat - b[3]) * 110.57;
    best = Math.min(best, Math.hypot(dx, dy));
  }
  return best;
}
