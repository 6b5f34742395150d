/**
 * Repair of polygons that are invalid only in ways that lose nothing when fixed: repeated
 * vertices, spikes (the ring runs out and back along the same line), rings that touch themselves
 * (outlines rounded to ~100 m pinch where two stretches come close) and ring orientation.
 *
 * No vertex is ever moved: vertices are dropped (duplicates, spike tips, which enclose no area),
 * inserted where the ring already passes (a vertex of the ring lying on one of its own edges), and
 * rings are cut where they touch themselves into simple loops that are regrouped by even–odd
 * nesting into shells and holes. So two neighbours repaired the same way keep their shared
 * boundary exactly where it was. polyclip-ts would also regroup the loops, but its output drops
 * vertices in the middle of straight edges, which a neighbour may share; this keeps them.
 * Crossing rings (a bow tie) are not repaired: which side is inside is a guess.
 */
import type { Position } from 'geojson';
import { ringInside } from './ring-nesting.ts';
import { findRingContact } from './self-intersection.ts';

/** What a repair did. */
export type RepairKind = 'repeated_vertex' | 'spike' | 'self_touch' | 'orientation';

/** One repair: what, on which ring (named as in validation messages), at which position of the file. */
export type RepairFix = { what: RepairKind; ring: string; at: [number, number]; detail: string };

/** A sound Polygon/MultiPolygon structure: rings of at least 4 finite positions, closed in x/y. */
function polygonParts(geom: unknown): { multi: boolean; parts: Position[][][] } | null {
  if (geom === null || typeof geom !== 'object') return null;
  const { type, coordinates } = geom as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') return null;
  const isPos = (p: unknown) => Array.isArray(p) && p.length >= 2 && p.length <= 4 && p.every((v) => typeof v === 'number' && Number.isFinite(v));
  const isRing = (r: unknown) => Array.isArray(r) && r.length >= 4 && r.every(isPos) && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1];
  const isPoly = (p: unknown) => Array.isArray(p) && p.length > 0 && p.every(isRing);
  if (type === 'Polygon') return isPoly(coordinates) ? { multi: false, parts: [coordinates as Position[][]] } : null;
  return Array.isArray(coordinates) && coordinates.length > 0 && coordinates.every(isPoly)
    ? { multi: true, parts: coordinates as Position[][][] }
    : null;
}

const sameXY = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1];
const cross = (o: readonly number[], a: readonly number[], b: readonly number[]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

function signedArea(loop: readonly Position[]): number {
  let sum = 0;
  for (let i = 0, n = loop.length; i < n; i++) {
    const a = loop[i];
    const b = loop[(i + 1) % n];
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

/** Strictly inside segment a–b (collinear, between, not an end). */
function onSegmentInterior(p: readonly number[], a: readonly number[], b: readonly number[]): boolean {
  if (cross(a, b, p) !== 0 || sameXY(p, a) || sameXY(p, b)) return false;
  return p[0] >= Math.min(a[0], b[0]) && p[0] <= Math.max(a[0], b[0]) && p[1] >= Math.min(a[1], b[1]) && p[1] <= Math.max(a[1], b[1]);
}

/** Repairs of one feature, collected with the ring names used in validation messages. */
class Log {
  readonly fixes: RepairFix[] = [];
  add(what: RepairKind, ring: string, at: readonly number[], detail: string): void {
    this.fixes.push({ what, ring, at: [at[0], at[1]], detail });
  }
}

/** Drops repeated consecutive positions of an open ring (wrapping around), logging how many. */
function dropRepeats(loop: Position[], ring: string, log: Log): Position[] {
  const out: Position[] = [];
  let dropped = 0;
  let first: Position | undefined;
  for (const p of loop) {
    if (out.length && sameXY(out[out.length - 1], p)) {
      dropped++;
      first ??= p;
      continue;
    }
    out.push(p);
  }
  while (out.length > 1 && sameXY(out[0], out[out.length - 1])) {
    const last = out.pop()!;
    first ??= last;
    dropped++;
  }
  if (dropped) log.add('repeated_vertex', ring, first!, `${dropped} repeated position(s) removed`);
  return out;
}

/** Removes spike tips: a vertex where the ring turns back along the line it came on. */
function dropSpikes(loop: Position[], ring: string, log: Log): Position[] {
  const out = [...loop];
  const backtracks = (a: Position, b: Position, c: Position) =>
    sameXY(a, c) || (cross(a, b, c) === 0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0);
  let changed = true;
  while (changed && out.length >= 3) {
    changed = false;
    for (let i = 0; i < out.length && out.length >= 3; ) {
      const n = out.length;
      const a = out[(i - 1 + n) % n];
      const b = out[i];
      if (sameXY(a, b)) {
        // What is left of an out-and-back spike: its base, twice.
        out.splice(i, 1);
        changed = true;
        continue;
      }
      if (backtracks(a, b, out[(i + 1) % n])) {
        log.add('spike', ring, b, 'spike removed (the ring ran out and back along one line)');
        out.splice(i, 1);
        changed = true;
        i = Math.max(0, i - 1);
        continue;
      }
      i++;
    }
  }
  return out;
}

/** Cuts an open loop at its first repeated position into two loops, or returns null when there is none. */
function splitAtRepeat(loop: Position[]): [Position[], Position[], Position] | null {
  const seen = new Map<string, number>();
  for (let j = 0; j < loop.length; j++) {
    const key = `${loop[j][0]},${loop[j][1]}`;
    const i = seen.get(key);
    if (i !== undefined) return [loop.slice(i, j), [...loop.slice(0, i), ...loop.slice(j)], loop[j]];
    seen.set(key, j);
  }
  return null;
}

/**
 * Inserts the vertices of segments `a` and `b` (indices into the open loop) that lie inside the
 * other segment, so that a touch or shared stretch becomes a repeated position. Returns the new
 * loop, or null when nothing could be inserted (the contact is a crossing).
 */
function nodeContact(loop: Position[], a: number, b: number): Position[] | null {
  const n = loop.length;
  const inserts: { after: number; p: Position }[] = [];
  for (const [seg, other] of [[a, b], [b, a]]) {
    const p0 = loop[other];
    const p1 = loop[(other + 1) % n];
    const s0 = loop[seg];
    const s1 = loop[(seg + 1) % n];
    for (const p of [p0, p1]) if (onSegmentInterior(p, s0, s1)) inserts.push({ after: seg, p });
  }
  if (inserts.length === 0) return null;
  const out: Position[] = [];
  for (let i = 0; i < n; i++) {
    out.push(loop[i]);
    const here = inserts.filter((x) => x.after === i);
    // Ordered along the segment, so two insertions on one edge keep the edge straight.
    const s = loop[i];
    here.sort((x, y) => Math.hypot(x.p[0] - s[0], x.p[1] - s[1]) - Math.hypot(y.p[0] - s[0], y.p[1] - s[1]));
    for (const x of here) if (!sameXY(out[out.length - 1], x.p)) out.push(x.p);
  }
  return out;
}

/** Cuts one ring into simple loops at every place it touches itself; null when it crosses itself. */
function simpleLoops(ring: Position[], name: string, log: Log): Position[][] | null {
  const work = [dropRepeats(ring.slice(0, -1), name, log)];
  const done: Position[][] = [];
  // Each round finishes a loop, cuts one in two or inserts a vertex where it touches itself; the
  // bound only guards against a contact that inserting cannot resolve.
  for (let rounds = 10 * ring.length + 100; work.length; rounds--) {
    if (rounds === 0) return null;
    let loop = dropSpikes(dropRepeats(work.pop()!, name, log), name, log);
    if (loop.length < 3) continue;
    const cut = splitAtRepeat(loop);
    if (cut) {
      log.add('self_touch', name, cut[2], 'ring cut where it touches itself');
      work.push(cut[0], cut[1]);
      continue;
    }
    const contact = findRingContact([[...loop, loop[0]]]);
    if (!contact) {
      if (signedArea(loop) !== 0) done.push(loop);
      else log.add('spike', name, loop[0], 'zero-area loop removed');
      continue;
    }
    const noded = contact.kind === 'crossing' ? null : nodeContact(loop, contact.segA, contact.segB);
    if (!noded) return null;
    loop = noded;
    work.push(loop);
  }
  return done;
}

/** Groups simple, non-crossing loops by even–odd nesting into polygons: shell CCW, holes CW. */
function nest(loops: Position[][], name: (shell: boolean) => string, log: Log, flagOrientation: boolean): Position[][][] {
  const boxes = loops.map((l) => {
    const xs = l.map((p) => p[0]);
    const ys = l.map((p) => p[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  });
  const within = (a: number[], b: number[]) => a[0] >= b[0] && a[1] >= b[1] && a[2] <= b[2] && a[3] <= b[3];
  const containers = loops.map((l, i) => loops.map((_, j) => j).filter((j) => j !== i && within(boxes[i], boxes[j]) && ringInside(l, loops[j])));
  const depth = containers.map((c) => c.length);
  const polygons = new Map<number, Position[][]>();
  const orient = (loop: Position[], ccw: boolean, shell: boolean): Position[] => {
    if (signedArea(loop) > 0 === ccw) return loop;
    if (flagOrientation) log.add('orientation', name(shell), loop[0], `${shell ? 'outer ring turned counter-clockwise' : 'hole turned clockwise'} (RFC 7946)`);
    return [loop[0], ...loop.slice(1).reverse()];
  };
  loops.forEach((loop, i) => {
    if (depth[i] % 2 === 0) polygons.set(i, [orient(loop, true, true)]);
  });
  loops.forEach((loop, i) => {
    if (depth[i] % 2 === 0) return;
    const parent = containers[i].find((j) => depth[j] === depth[i] - 1)!;
    polygons.get(parent)!.push(orient(loop, false, false));
  });
  return [...polygons.values()].map((rings) => rings.map((r) => [...r, r[0]]));
}

/**
 * Repairs a Polygon or MultiPolygon (in any CRS) as described above and lists every fix. Anything
 * else, and polygons whose rings cross, come back unchanged for validation to report.
 */
export function repairGeometry(geom: unknown): { geometry: unknown; fixes: RepairFix[] } {
  const found = polygonParts(geom);
  if (!found) return { geometry: geom, fixes: [] };
  const log = new Log();
  const out: Position[][][] = [];
  found.parts.forEach((rings, pi) => {
    const label = found.multi ? `part ${pi} ` : '';
    const partLog = new Log();
    const loops: Position[][] = [];
    let split = false;
    for (let ri = 0; ri < rings.length; ri++) {
      const name = `${label}${ri === 0 ? 'outer ring' : `hole ${ri}`}`;
      const pieces = simpleLoops(rings[ri], name, partLog);
      if (!pieces) {
        out.push(rings);
        return;
      }
      split ||= pieces.length > 1;
      loops.push(...pieces);
    }
    // A ring that was cut is named by its cut; orientation is only news for rings left whole.
    const nested = nest(loops, (shell) => `${label}${shell ? 'outer ring' : 'hole'}`, partLog, !split);
    log.fixes.push(...partLog.fixes);
    out.push(...nested);
  });
  if (log.fixes.length === 0) return { geometry: geom, fixes: [] };
  const geometry = out.length === 1 && !found.multi ? { type: 'Polygon', coordinates: out[0] } : { type: 'MultiPolygon', coordinates: out };
  return { geometry, fixes: log.fixes };
}
