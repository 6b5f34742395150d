/**
 * In-memory working set of the planner: the latest state of each plan that was asked for, the
 * issue and site points, and each state's point assignment. Loading is lazy and checked against
 * cheap fingerprints of the tables, so an import into a draft (or new issues) is picked up on
 * the next request, while an edit made here updates everything incrementally.
 */
import type { Database } from '../db/database.ts';
import { communitiesStamp, communityShapes, gridsStamp, loadIssuePoints, loadSitePoints, planGrids, pointsStamp } from '../queries/plans.ts';
import { PointAssignment, type IssuePoints, type SitePoints } from './points.ts';
import { PlanState, type CommunityShapes } from './state.ts';

type Points = { stamp: string; issues: IssuePoints; sites: SitePoints };

/** Cached plan states, points and assignments of one database. */
export class PlanStore {
  private readonly states = new Map<number, { stamp: string; state: PlanState }>();
  private readonly assignments = new WeakMap<PlanState, { points: Points; asg: PointAssignment }>();
  private points?: Points;
  private loadingPoints?: Promise<Points>;
  private communities?: { stamp: string; shapes: CommunityShapes };

  constructor(private readonly db: Database) {}

  /** The current state of a plan (which must exist), reloaded when its grids changed underneath. */
  async state(planId: number): Promise<PlanState> {
    const stamp = await gridsStamp(this.db, planId);
    const cached = this.states.get(planId);
    if (cached?.stamp === stamp) return cached.state;
    const state = PlanState.build(await planGrids(this.db, planId), await this.shapes());
    this.states.set(planId, { stamp, state });
    return state;
  }

  /**
   * Records the state an edit produced (already written), carrying the previous state's point
   * assignment forward by relocating only the points around the `touched` grids.
   */
  async remember(planId: number, before: PlanState, after: PlanState, touched: readonly string[]): Promise<void> {
    this.states.set(planId, { stamp: await gridsStamp(this.db, planId), state: after });
    const prev = this.assignments.get(before);
    if (prev && prev.points === this.points) {
      this.assignments.set(after, { points: prev.points, asg: prev.asg.update(before, after, touched, prev.points.issues, prev.points.sites) });
    }
  }

  /** Forgets a plan (discarded or published), so the next request reloads it. */
  forget(planId: number): void {
    this.states.delete(planId);
  }

  /** The points, loaded once and reloaded when issues or sites changed. */
  async currentPoints(): Promise<Points> {
    const stamp = await pointsStamp(this.db);
    if (this.points?.stamp === stamp) return this.points;
    // One load at a time: concurrent requests share it.
    this.loadingPoints ??= (async () => {
      const [issues, sites] = [await loadIssuePoints(this.db), await loadSitePoints(this.db)];
      return { stamp, issues, sites };
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

  private async shapes(): Promise<CommunityShapes> {
    const stamp = await communitiesStamp(this.db);
    if (this.communities?.stamp !== stamp) this.communities = { stamp, shapes: await communityShapes(this.db) };
    return this.communities.shapes;
  }
}
