/**
 * Issue and site points for live plan metrics, and their assignment to the grids of one plan. The
 * issue points are the KPI engine's columns (server/kpi/fast/columns.ts), not a copy: shared by
 * every plan, each plan keeps only a column of grid slots (16-bit up to 32 767 grids, as the engine's codes). After an edit only points inside
 * the box of the changed grids are located again.
 */
import { bboxOf, boxesMeet } from '../domain/geometry.ts';
import { ISSUE_STATUSES } from '../domain/vocabulary.ts';
import { codeColumn, COORD_SCALE, type CodeColumn, type IssueColumns } from '../kpi/fast/columns.ts';
import type { StatusCodes } from '../kpi/fast/codes.ts';
import { PolygonIndex } from '../spatial/point-in-polygon.ts';
import type { PlanState } from './state.ts';

/**
 * The issues' first `count` rows of the engine's columns, as the planner reads them: position in
 * {@link COORD_SCALE} units, times in epoch milliseconds (a missing deadline is NaN), `status` in
 * the codes `codes` names, `flags` the bits of the KPI rules' facts (server/kpi/fast/kernels.ts).
 */
export type IssuePoints = Pick<IssueColumns, 'lon' | 'lat' | 'reported' | 'deadline' | 'status' | 'flags'> & { count: number; codes: StatusCodes };

/** A view of the columns as they are now (the arrays themselves: nothing is copied). */
export function issuePointsOf(cols: IssueColumns): IssuePoints {
  const { lon, lat, reported, deadline, status, flags } = cols;
  const codes = Object.fromEntries(Object.keys(ISSUE_STATUSES).map((s) => [s, cols.dict.status.code(s) ?? -1]));
  return { count: cols.length, lon, lat, reported, deadline, status, flags, codes };
}

/** Key sites by the point they are assigned to grids by (as the import does). */
export type SitePoints = { ids: string[]; names: string[]; types: string[]; lon: Float64Array; lat: Float64Array };

/** Which grid (slot into `codes`, or -1) every issue and site falls in under one plan. */
export class PointAssignment {
  private constructor(
    /** Grid codes by slot; codes removed by edits keep their slot but no longer own points. */
    readonly codes: readonly string[],
    private readonly slots: ReadonlyMap<string, number>,
    readonly issues: CodeColumn,
    readonly sites: Int32Array,
  ) {}

  /** Locates every point in the plan's grids. */
  static build(state: PlanState, issues: IssuePoints, sites: SitePoints): PointAssignment {
    const codes = state.codes();
    const index = new PolygonIndex(codes.map((code, slot) => ({ id: slot, geometry: state.geometry(code)! })));
    const located = codeColumn(codes.length, issues.count);
    for (let i = 0; i < issues.count; i++) located[i] = index.locateIndex(issues.lon[i] / COORD_SCALE, issues.lat[i] / COORD_SCALE);
    return new PointAssignment(codes, new Map(codes.map((c, i) => [c, i])), located, index.locateMany(sites.lon, sites.lat));
  }

  /** The grid code of a slot, or null for -1. */
  codeOf(slot: number): string | null {
    return slot < 0 ? null : this.codes[slot];
  }

  /** The slot of a code, if it has one. */
  slotOf(code: string): number | undefined {
    return this.slots.get(code);
  }

  /**
   * The assignment after `before` became `after` by changing the `touched` grids: only points in
   * the box around their old and new shapes can have moved, so only those are located again,
   * against the grids whose boxes meet it (a point is always in a grid whose box holds it).
   */
  update(before: PlanState, after: PlanState, touched: readonly string[], issues: IssuePoints, sites: SitePoints): PointAssignment {
    const boxes = touched.flatMap((c) => [before.geometry(c), after.geometry(c)]).filter((g) => g !== undefined).map((g) => bboxOf(g));
    if (!boxes.length) return this;
    const box = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
    const codes = [...this.codes];
    const slots = new Map(this.slots);
    for (const c of after.codes()) {
      if (!slots.has(c)) {
        slots.set(c, codes.length);
        codes.push(c);
      }
    }
    const near = after.codes().filter((c) => boxesMeet(bboxOf(after.geometry(c)!), box, 0));
    const index = new PolygonIndex(near.map((c) => ({ id: slots.get(c)!, geometry: after.geometry(c)! })));
    // Issue positions in the engine's units, site positions in degrees.
    const relocate = <T extends CodeColumn>(lon: ArrayLike<number>, lat: ArrayLike<number>, scale: number, from: T, out: T): T => {
      out.set(from);
      for (let i = 0; i < out.length; i++) {
        const x = lon[i] / scale;
        const y = lat[i] / scale;
        if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) continue;
        out[i] = index.locate(x, y) ?? -1;
      }
      return out;
    };
    // New codes past 32 767 widen the issues' slots to 32 bits.
    const issueSlots = relocate(issues.lon, issues.lat, COORD_SCALE, this.issues, codeColumn(codes.length, this.issues.length));
    return new PointAssignment(codes, slots, issueSlots, relocate(sites.lon, sites.lat, 1, this.sites, new Int32Array(this.sites.length)));
  }
}
