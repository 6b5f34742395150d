/**
 * In-memory working set of the planner: the latest state of each plan that was asked for, the
 * issue and site points, and each state's point assignment. Loading is lazy and keyed on the
 * database's data version, so an import into a draft (or new issues) is picked up on the next
 * request, while an edit made here updates everything incrementally. The issue points are the KPI
 * engine's columns, caught up by the engine: one copy of the issues in the process.
 */
import type { DataKind } from '../db/data-version.ts';
import type { Database } from '../db/database.ts';
import { KpiEngine } from '../kpi/fast/engine.ts';
import { communityShapes, loadSitePoints, planDistrict, planGrids } from '../queries/plans.ts';
import { neighbourGrids } from '../queries/published-grids.ts';
import { bboxOf } from '../domain/geometry.ts';
import type { NeighbourGrid } from './neighbours.ts';
import { issuePointsOf, PointAssignment, type IssuePoints, type SitePoints } from './points.ts';
import { PlanState, type CommunityShapes } from './state.ts';

/** What each part of the working set is derived from. */
const STATE_OF: DataKind[] = ['reference', 'drafts'];
const POINTS_OF: DataKind[] = ['issues', 'issuesRewritten', 'reference'];
const COMMUNITIES_OF: DataKind[] = ['reference'];

/** A part of the working set and the data version it was read at. */
type Versioned = { version: number };
type Points = Versioned & { issues: IssuePoints; sites: SitePoints };

/** Cached plan states, points and assignments of one database. */
export class PlanStore {
  private readonly states = new Map<number, Versioned & { state: PlanState }>();
  private readonly assignments = new WeakMap<PlanState, { points: Points; asg: PointAssignment }>();
  private points?: Points;
  private loadingPoints?: Promise<Points>;
  /** The other districts' published grids, per district (the border checks of its plans). */
  private readonly neighbourSets = new Map<string, Versioned & { grids: NeighbourGrid[] }>();
  /** The communities of each district: a plan is checked against its own district's. */
  private readonly communities = new Map<string, Versioned & { shapes: CommunityShapes }>();

  private readonly engine: KpiEngine;

  /**
   * `engine`: the app's KPI engine, whose columns are the issue points. Without one (the engine
   * switched off) the planner keeps an engine of its own, counting on this thread, loaded on first use.
   */
  constructor(private readonly db: Database, engine?: KpiEngine) {
    this.engine = engine ?? new KpiEngine(db, undefined, { workers: 0 });
  }

  /** The current state of a plan (which must exist), rebuilt when a write changed plans since. */
  async state(planId: number): Promise<PlanState> {
    const cached = this.states.get(planId);
    if (cached && this.fresh(cached, STATE_OF)) return cached.state;
    const version = this.db.version.current;
    const state = PlanState.build(await planGrids(this.db, planId), await this.shapes(await planDistrict(this.db, planId)));
    // An edit may have remembered a newer state meanwhile.
    if ((this.states.get(planId)?.version ?? -1) <= version) this.states.set(planId, { version, state });
    return state;
  }

  /**
   * Records the state an edit produced, written by the write job running now (so no other write
   * came after it), carrying the previous state's point assignment forward by relocating only the
   * points around the `touched` grids.
   */
  remember(planId: number, before: PlanState, after: PlanState, touched: readonly string[]): void {
    this.states.set(planId, { version: this.db.version.current, state: after });
    const prev = this.assignments.get(before);
    if (prev && prev.points === this.points) {
      this.assignments.set(after, { points: prev.points, asg: prev.asg.update(before, after, touched, prev.points.issues, prev.points.sites) });
    }
  }

  /** Forgets a plan (discarded), so its state does not stay in memory. */
  forget(planId: number): void {
    this.states.delete(planId);
  }

  /** The points, loaded once and reloaded when issues or sites changed. */
  async currentPoints(): Promise<Points> {
    if (this.points && this.fresh(this.points, POINTS_OF)) return this.points;
    // One load at a time: concurrent requests share it.
    this.loadingPoints ??= (async () => {
      const version = this.db.version.current;
      const sites = await loadSitePoints(this.db);
      const cols = await this.engine.columns();
      if (!cols) throw new Error(`the issues could not be loaded (${this.engine.state.error ?? 'the KPI engine is closed'})`);
      // A view taken after the await: the columns as caught up, read synchronously from here.
      return { version, issues: issuePointsOf(cols), sites };
    })().finally(() => (this.loadingPoints = undefined));
    this.points = await this.loadingPoints;
    return this.points;
  }

  /** The point assignment of a state, built once per state (or carried forward by {@link remember}). */
  async assignment(state: PlanState): Promise<{ points: Points; asg: PointAssignment }> {
    const points = await this.currentPoints();
    const cached = this.assignments.get(state);
    if (cached?.points === points) return cached;
    const fresh = { points, asg: PointAssignment.build(state, points.issues, points.sites) };
    this.assignments.set(state, fresh);
    return fresh;
  }

  /** The published grids of every district but `district`, reloaded when reference data changed. */
  async neighbours(district: string): Promise<NeighbourGrid[]> {
    const cached = this.neighbourSets.get(district);
    if (cached && this.fresh(cached, COMMUNITIES_OF)) return cached.grids;
    const version = this.db.version.current;
    const grids = (await neighbourGrids(this.db, district)).map((r) => {
      const geometry = JSON.parse(r.geometry) as NeighbourGrid['geometry'];
      return { code: r.code, district: r.district, geometry, bbox: bboxOf(geometry) };
    });
    this.neighbourSets.set(district, { version, grids });
    return grids;
  }

  private async shapes(district: string): Promise<CommunityShapes> {
    const cached = this.communities.get(district);
    if (cached && this.fresh(cached, COMMUNITIES_OF)) return cached.shapes;
    const version = this.db.version.current;
    const shapes = await communityShapes(this.db, district);
    this.communities.set(district, { version, shapes });
    return shapes;
  }

  private fresh(part: Versioned, kinds: DataKind[]): boolean {
    return this.db.version.unchangedSince(part.version, ...kinds);
  }
}
