/**
 * The planner's operations over the database: drafts, edits with their change log, undo/redo,
 * validation, metrics, diff and publishing. Every plan divides one district: a draft is made for a
 * district, checked against that district's communities and the neighbours' published grids, and
 * publishing it replaces that district's published plan only. Each write is one job of the database's write queue:
 * it reads the state, decides and writes with no other write in between, so the change log's
 * sequence and the cached states never race.
 */
import type { DataChanges } from '../db/data-version.ts';
import type { Database, Writer } from '../db/database.ts';
import { Assigner, reassignAll } from '../import/assignment.ts';
import { districtRows, publishedPlanOf } from '../queries/published-grids.ts';
import type { ImportReport } from '../import/pipeline.ts';
import * as q from '../queries/plans.ts';
import { arcsOf } from './arcs.ts';
import { diffPlans, type PlanDiff } from './diff.ts';
import { ConflictError, invalidParameter, NotFoundError } from '../domain/errors.ts';
import { applyEdit, type PlanEdit } from './edits.ts';
import { historyStacks } from './history.ts';
import { planMetrics, type MetricsWindow, type PlanMetrics } from './metrics.ts';
import { neighbourFindings } from './neighbours.ts';
import { changedGrids, replaceGrids, type GridFeature, type PlanState } from './state.ts';
import { PlanStore } from './store.ts';
import type { KpiEngine } from '../kpi/fast/engine.ts';
import { DEFAULT_VALIDATION, publishFindings, validatePlan, type Finding, type ValidationOptions } from './validate.ts';

/** What an edit (or undo/redo) did, for the UI to patch its copy of the plan. */
export type EditOutcome = {
  seq: number | null;
  added: string[];
  removed: string[];
  changed: string[];
  /** The added and changed grids as they are now. */
  grids: GridFeature[];
  history: { undo: number; redo: number };
};

/** Draft edits change only the planner's working set. */
const DRAFTS: DataChanges = ['drafts'];
/** Publishing changes what every dashboard draws and re-assigns the district's issues. */
const PUBLISH: DataChanges = ['drafts', 'reference', 'issuesRewritten'];

/** Plan operations for the routes; one instance per app (it holds the in-memory working set). */
export class PlanService {
  private readonly store: PlanStore;

  /** `engine`: the app's KPI engine, whose columns the planner reads its issue points from. */
  constructor(private readonly db: Database, engine?: KpiEngine) {
    this.store = new PlanStore(db, engine);
  }

  /** Every plan. */
  list(): Promise<q.PlanRow[]> {
    return q.listPlans(this.db);
  }

  /** The change log of a plan, newest first, naming the grids each change touched. */
  async changes(id: number) {
    await this.plan(id);
    return (await q.changes(this.db, id)).map((c) => ({
      seq: c.seq, at: c.at, author: c.author, op: c.op, payload: c.payload,
      before: c.before.map((f) => f.properties.code), after: c.after.map((f) => f.properties.code),
    }));
  }

  /** A plan row, or 404. */
  async plan(id: number): Promise<q.PlanRow> {
    const row = await q.getPlan(this.db, id);
    if (!row) throw new NotFoundError('plan_not_found', `grid plan ${id} does not exist`, { parameter: 'id' });
    return row;
  }

  /** The plan's current state (grids noded into topologies). */
  async state(id: number): Promise<PlanState> {
    await this.plan(id);
    return this.store.state(id);
  }

  /** Undo/redo depth of a plan. */
  async history(id: number): Promise<{ undo: number; redo: number }> {
    const { undo, redo } = historyStacks(await q.changeOps(this.db, id));
    return { undo: undo.length, redo: redo.length };
  }

  /**
   * A new draft of a district copying plan `from` (undefined: the district's published plan, if
   * any; null: empty). The district may be left out when the deployment has one, or when `from`
   * names it; a copy of another district's plan is refused.
   */
  create(p: { district?: string; from: number | null | undefined; name: string; author: string }): Promise<q.PlanRow> {
    const { from, name, author } = p;
    return this.db.write(DRAFTS, async (w) => {
      const copied = typeof from === 'number' ? await this.plan(from) : null;
      const district = await this.districtOf(p.district ?? copied?.district);
      if (copied && copied.district !== district) {
        throw invalidParameter('from', `plan ${copied.id} divides district ${copied.district}, not ${district}; a draft copies a plan of its own district`);
      }
      const source = from === undefined ? await publishedPlanOf(this.db, district) : from;
      const id = await w.transaction(async (tx) => {
        const created = await q.createDraft(tx, { name, district, from: source, author });
        await q.appendChange(tx, { planId: created, author, op: 'create', payload: { from: source, name, district } });
        return created;
      });
      return this.plan(id);
    });
  }

  /** Renames a draft. */
  rename(id: number, name: string, author: string): Promise<q.PlanRow> {
    return this.db.write(DRAFTS, async (w) => {
      const before = await this.draft(id);
      await w.transaction(async (tx) => {
        await q.renamePlan(tx, id, name);
        await q.appendChange(tx, { planId: id, author, op: 'rename', payload: { from: before.name, to: name } });
      });
      return this.plan(id);
    });
  }

  /** Discards a draft; its change log is kept, ending with the discard. */
  discard(id: number, author: string): Promise<void> {
    return this.db.write(DRAFTS, async (w) => {
      const row = await this.draft(id);
      await w.transaction(async (tx) => {
        await q.appendChange(tx, { planId: id, author, op: 'discard', payload: { name: row.name, grids: row.grids } });
        await q.deletePlan(tx, id);
      });
      this.store.forget(id);
    });
  }

  /** Applies an edit to a draft, writes the changed grids and logs the change. */
  edit(id: number, author: string, edit: PlanEdit): Promise<EditOutcome> {
    return this.db.write(DRAFTS, async (w) => {
      await this.draft(id);
      const before = await this.store.state(id);
      const after = applyEdit(before, edit);
      return this.commit(w, id, author, edit.kind, edit.edit, before, after);
    });
  }

  /**
   * Imports a grid file into a draft (`run` does the import through the pipeline, which upserts
   * by code, with the Writer of this job) and logs it as one change with the grids before and
   * after, so it can be undone like an edit. A rejected import changes nothing and logs nothing.
   */
  importInto(id: number, author: string, file: string, run: (w: Writer) => Promise<ImportReport>): Promise<ImportReport & { seq: number | null }> {
    return this.db.write(DRAFTS, async (w) => {
      await this.draft(id);
      const before = await this.store.state(id);
      const report = await run(w);
      // The import moved the data version on: the store rebuilds the state.
      const after = await this.store.state(id);
      const { added, removed, changed } = changedGrids(before, after);
      if (!added.length && !removed.length && !changed.length) return { ...report, seq: null };
      const seq = await w.transaction(async (tx) => {
        await q.touchPlan(tx, id);
        return q.appendChange(tx, {
          planId: id, author, op: 'import', payload: { file, features: report.features },
          before: [...removed, ...changed].map((c) => before.feature(c)!),
          after: [...added, ...changed].map((c) => after.feature(c)!),
        });
      });
      return { ...report, seq };
    });
  }

  /** Reverts the latest change that is not undone yet. */
  undo(id: number, author: string): Promise<EditOutcome> {
    return this.replay(id, author, 'undo');
  }

  /** Re-applies the latest undone change. */
  redo(id: number, author: string): Promise<EditOutcome> {
    return this.replay(id, author, 'redo');
  }

  /** Validation findings of a plan: its own (in its district) and those at the border with the neighbours. */
  async validate(id: number, opts?: ValidationOptions): Promise<{ errors: Finding[]; warnings: Finding[] }> {
    const row = await this.plan(id);
    const state = await this.state(id);
    return this.withNeighbours(row.district, state, validatePlan(state, opts), opts?.toleranceM ?? DEFAULT_VALIDATION.toleranceM);
  }

  /** Metrics of a plan and, side by side, of its district's published plan. */
  async metrics(id: number, window: MetricsWindow, band: number): Promise<{ plan: PlanMetrics; published: (PlanMetrics & { id: number }) | null }> {
    const row = await this.plan(id);
    const state = await this.state(id);
    const { points, asg } = await this.store.assignment(state);
    const plan = planMetrics(state, asg, points.issues, points.sites, window, band);
    const pid = await publishedPlanOf(this.db, row.district);
    if (pid === null) return { plan, published: null };
    if (pid === id) return { plan, published: { id: pid, ...plan } };
    const pstate = await this.store.state(pid);
    const p = await this.store.assignment(pstate);
    return { plan, published: { id: pid, ...planMetrics(pstate, p.asg, p.points.issues, p.points.sites, window, band) } };
  }

  /** What changes from plan `a` to plan `b`. */
  async diff(a: number, b: number): Promise<PlanDiff> {
    const [sa, sb] = [await this.state(a), await this.state(b)];
    const [x, y] = [await this.store.assignment(sa), await this.store.assignment(sb)];
    return diffPlans(sa, sb, x.asg, y.asg, y.points.issues, y.points.sites);
  }

  /** Nodes and arcs of one community's grids (or of every community). */
  async topology(id: number, community?: string) {
    const state = await this.state(id);
    const topos = community ? [state.topology(community)] : [...state.topologies.values()];
    return topos.map((t) => ({ community: t.community, ...arcsOf(t) }));
  }

  /**
   * Publishes a draft in one transaction: the district's outgoing plan's assignment of the
   * district's issues goes to issue_grid_history, that plan is archived, this one published, and
   * the district's issues and sites re-assigned; the other districts' plans, grids and issues are
   * not touched. Refused (409) while validation finds errors (its own or at the border).
   */
  publish(id: number, author: string): Promise<{ plan: q.PlanRow; archived: number | null; reassigned: { issues: number; sites: number } }> {
    // Re-assigning a district rewrites millions of rows in one transaction at city scale, as a
    // file import does: it runs under the import memory limit, not the small serving cap.
    return this.db.duringImport(() => this.db.write(PUBLISH, async (w) => {
      const { district } = await this.draft(id);
      const state = await this.store.state(id);
      if (!state.attrs.size) throw new ConflictError('empty_plan', `plan ${id} has no grids; publishing it would leave every issue without a grid`, { parameter: 'id' });
      const { errors } = await this.withNeighbours(district, state, publishFindings(state), DEFAULT_VALIDATION.toleranceM);
      if (errors.length) {
        throw new ConflictError('validation_failed', `plan ${id} has ${errors.length} validation error(s); fix them before publishing`, { errors });
      }
      const outgoing = await publishedPlanOf(this.db, district);
      const reassigned = await w.transaction(async (tx) => {
        await q.publishPlan(tx, id, outgoing, district);
        // The published grids of every district place the district's points: a point near the
        // border lands in the neighbour's grid if that is where it lies.
        const only = { sql: q.IN_DISTRICT, params: { scopeId: district } };
        const counts = await reassignAll(tx, await Assigner.load(tx), { sites: false, only });
        await q.appendChange(tx, { planId: id, author, op: 'publish', payload: { replaces: outgoing, district, ...counts } });
        if (outgoing !== null) await q.appendChange(tx, { planId: outgoing, author, op: 'archive', payload: { replacedBy: id } });
        return counts;
      });
      return { plan: await this.plan(id), archived: outgoing, reassigned };
    }));
  }

  /** The plan's grids as features. */
  async features(id: number): Promise<GridFeature[]> {
    return (await this.state(id)).features();
  }

  private async replay(id: number, author: string, op: 'undo' | 'redo'): Promise<EditOutcome> {
    return this.db.write(DRAFTS, async (w) => {
      await this.draft(id);
      const stacks = historyStacks(await q.changeOps(this.db, id));
      const seq = (op === 'undo' ? stacks.undo : stacks.redo).at(-1);
      if (seq === undefined) throw new ConflictError(`nothing_to_${op}`, `plan ${id} has nothing to ${op}`);
      const [change] = await q.changes(this.db, id, seq);
      const [from, to] = op === 'undo' ? [change.after, change.before] : [change.before, change.after];
      const before = await this.store.state(id);
      const after = replaceGrids(before, from.map((f) => f.properties.code), to);
      return this.commit(w, id, author, op, { seq }, before, after);
    });
  }

  /** Writes what changed between two states and logs it as one change. */
  private async commit(w: Writer, id: number, author: string, op: string, payload: unknown, before: PlanState, after: PlanState): Promise<EditOutcome> {
    const { added, removed, changed } = changedGrids(before, after);
    const touched = [...added, ...removed, ...changed];
    if (!touched.length) return { seq: null, added, removed, changed, grids: [], history: await this.history(id) };
    const old = [...removed, ...changed].map((c) => before.feature(c)!);
    const now = [...added, ...changed].map((c) => after.feature(c)!);
    const seq = await w.transaction(async (tx) => {
      await q.replaceGrids(tx, id, removed, now);
      await q.touchPlan(tx, id);
      return q.appendChange(tx, { planId: id, author, op, payload, before: old, after: now });
    });
    this.store.remember(id, before, after, touched);
    return { seq, added, removed, changed, grids: now, history: await this.history(id) };
  }

  /** The district a new draft is for: the one named (which must exist), or the deployment's only one; else 400 naming the choices. */
  private async districtOf(named: string | undefined): Promise<string> {
    const districts = await districtRows(this.db);
    const choices = districts.map((d) => `${d.code} ${d.name}`).join(', ');
    if (named === undefined) {
      if (districts.length === 1) return districts[0].code;
      throw invalidParameter('district', districts.length ? `a city holds one plan per district: name the district, one of ${choices}` : 'no district has been imported yet');
    }
    if (!districts.some((d) => d.code === named)) {
      throw invalidParameter('district', districts.length ? `unknown district ${named}; one of ${choices}` : `unknown district ${named}: no district has been imported yet`);
    }
    return named;
  }

  /** A plan's own findings joined by those at its district's border with the neighbours' published grids. */
  private async withNeighbours(district: string, state: PlanState, own: { errors: Finding[]; warnings: Finding[] }, toleranceM: number) {
    const border = neighbourFindings(state, await this.store.neighbours(district), toleranceM);
    return { errors: [...own.errors, ...border.errors], warnings: [...own.warnings, ...border.warnings] };
  }

  /** A draft's row; 404 when the plan does not exist, 409 when it is not a draft. */
  async draft(id: number): Promise<q.PlanRow> {
    const row = await this.plan(id);
    if (row.status !== 'draft') throw new ConflictError('not_editable', `grid plan ${id} is ${row.status}; only drafts can change`, { parameter: 'id' });
    return row;
  }
}
