import { describe, expect, it } from 'vitest';
import { workCalendar } from '../../../server/calendar.ts';
import { addTimeLimit } from '../../../server/domain/deadline.ts';
import { allowedEvents, transition, type IssueState, type TimeLimit, type WorkflowEvent } from '../../../server/domain/workflow.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-11-02T01:00:00Z'); // Monday 09:00 Asia/Shanghai
const calendar = workCalendar();
const LIMIT: TimeLimit = { limit: 24, unit: 'hours', calendar };

function issue(patch: Partial<IssueState> = {}): IssueState {
  return { status: 'reported', reportedAt: T0, openedAt: null, dispatchedAt: null, deadline: null, closedAt: null, immediate: false, reworkCount: 0, ...patch };
}

function apply(s: IssueState, event: WorkflowEvent, at: number, extra: { deadline?: number; limit?: TimeLimit } = {}) {
  return transition(s, { event, at, deadline: extra.deadline, limit: extra.limit === undefined ? LIMIT : extra.limit });
}

function ok(s: IssueState, event: WorkflowEvent, at: number, extra: { deadline?: number; limit?: TimeLimit } = {}): IssueState {
  const r = apply(s, event, at, extra);
  if (!r.ok) throw new Error(r.reason);
  return r.next;
}

describe('main line', () => {
  it('walks reported → opened → dispatched → handled → verified → closed with its timestamps', () => {
    let s = issue();
    s = ok(s, 'opened', T0 + H);
    expect(s).toMatchObject({ status: 'opened', openedAt: T0 + H });
    s = ok(s, 'dispatched', T0 + 2 * H);
    expect(s).toMatchObject({ status: 'dispatched', dispatchedAt: T0 + 2 * H, deadline: T0 + 26 * H });
    s = ok(s, 'handled', T0 + 3 * H);
    s = ok(s, 'verified', T0 + 4 * H);
    s = ok(s, 'closed', T0 + 30 * H);
    expect(s).toMatchObject({ status: 'closed', closedAt: T0 + 30 * H, immediate: false });
  });

  it('refuses skipping a step, naming from and to', () => {
    const r = apply(issue(), 'dispatched', T0 + H);
    expect(r).toMatchObject({ ok: false, code: 'illegal_transition', from: 'reported', to: 'dispatched' });
    expect(apply(issue({ status: 'dispatched' }), 'verified', T0 + H)).toMatchObject({ ok: false, from: 'dispatched', to: 'verified' });
  });

  it('refuses every event on a closed or cancelled issue', () => {
    for (const status of ['closed', 'cancelled'] as const) {
      expect(allowedEvents(issue({ status }), T0 + H)).toEqual([]);
      expect(apply(issue({ status }), 'opened', T0 + H)).toMatchObject({ ok: false, code: 'illegal_transition', from: status });
    }
  });
});

describe('deadline at dispatch', () => {
  it('restarts the clock when the stored deadline is the provisional one counted from the report', () => {
    const provisional = addTimeLimit(T0, 24, 'hours', calendar);
    const s = ok(issue({ status: 'opened', deadline: provisional }), 'dispatched', T0 + 5 * H);
    expect(s.deadline).toBe(T0 + 29 * H);
  });

  it('keeps a deadline someone set, and takes an explicit one from the event', () => {
    const set = T0 + 100 * H;
    expect(ok(issue({ status: 'opened', deadline: set }), 'dispatched', T0 + H).deadline).toBe(set);
    expect(ok(issue({ status: 'opened' }), 'dispatched', T0 + H, { deadline: T0 + 7 * H }).deadline).toBe(T0 + 7 * H);
  });

  it('counts working hours for a work_hours category (2 h from Monday 16:30 ends Tuesday 10:30 Shanghai)', () => {
    const at = Date.parse('2026-11-02T08:30:00Z');
    const s = ok(issue({ status: 'opened' }), 'dispatched', at, { limit: { limit: 2, unit: 'work_hours', calendar } });
    expect(new Date(s.deadline!).toISOString()).toBe('2026-11-03T02:30:00.000Z');
  });

  it('leaves the deadline alone for a category without a limit', () => {
    expect(ok(issue({ status: 'opened' }), 'dispatched', T0 + H, { limit: null }).deadline).toBeNull();
  });
});

describe('立行立改 (immediate close)', () => {
  for (const status of ['reported', 'opened', 'dispatched'] as const) {
    it(`closes a ${status} issue within 24 h and flags it immediate`, () => {
      expect(ok(issue({ status }), 'closed', T0 + 23 * H)).toMatchObject({ status: 'closed', immediate: true, closedAt: T0 + 23 * H });
    });
  }

  it('is illegal after 24 h and from handled', () => {
    expect(apply(issue({ status: 'dispatched' }), 'closed', T0 + 25 * H)).toMatchObject({ ok: false, code: 'illegal_transition', to: 'closed' });
    expect(apply(issue({ status: 'handled' }), 'closed', T0 + H)).toMatchObject({ ok: false, code: 'illegal_transition', from: 'handled' });
  });

  it('a regular close from verified is not immediate', () => {
    expect(ok(issue({ status: 'verified' }), 'closed', T0 + H).immediate).toBe(false);
  });
});

describe('side branches', () => {
  it('cancels from every open state, deferred included', () => {
    for (const status of ['reported', 'opened', 'dispatched', 'handled', 'verified', 'deferred'] as const) {
      expect(ok(issue({ status }), 'cancelled', T0 + H).status).toBe('cancelled');
    }
  });

  it('returns one step back and forgets when the issue entered the state it leaves', () => {
    expect(ok(issue({ status: 'dispatched', dispatchedAt: T0 }), 'returned', T0 + H)).toMatchObject({ status: 'opened', dispatchedAt: null });
    expect(ok(issue({ status: 'opened', openedAt: T0 }), 'returned', T0 + H)).toMatchObject({ status: 'reported', openedAt: null });
    expect(ok(issue({ status: 'handled' }), 'returned', T0 + H).status).toBe('dispatched');
    expect(ok(issue({ status: 'verified' }), 'returned', T0 + H).status).toBe('handled');
    expect(apply(issue(), 'returned', T0 + H)).toMatchObject({ ok: false, code: 'illegal_transition', from: 'reported', to: null });
  });

  it('extends to a later deadline and stays in the state', () => {
    const s = ok(issue({ status: 'dispatched', deadline: T0 + 24 * H }), 'extended', T0 + H, { deadline: T0 + 72 * H });
    expect(s).toMatchObject({ status: 'dispatched', deadline: T0 + 72 * H });
  });

  it('an extension needs a deadline later than the current one', () => {
    const s = issue({ status: 'dispatched', deadline: T0 + 24 * H });
    expect(apply(s, 'extended', T0 + H)).toMatchObject({ ok: false, code: 'invalid_event' });
    expect(apply(s, 'extended', T0 + H, { deadline: T0 + 10 * H })).toMatchObject({ ok: false, code: 'invalid_event' });
    expect(apply(issue(), 'extended', T0 + H, { deadline: T0 + 72 * H })).toMatchObject({ ok: false, code: 'illegal_transition' });
  });

  it('defers and resumes to the furthest state the timestamps prove', () => {
    const dispatched = ok(issue({ status: 'handled', openedAt: T0, dispatchedAt: T0 + H }), 'deferred', T0 + 2 * H);
    expect(dispatched.status).toBe('deferred');
    expect(ok(dispatched, 'resumed', T0 + 3 * H).status).toBe('dispatched');
    expect(ok(issue({ status: 'deferred', openedAt: T0 }), 'resumed', T0 + H).status).toBe('opened');
    expect(ok(issue({ status: 'deferred' }), 'resumed', T0 + H).status).toBe('reported');
    expect(apply(issue({ status: 'dispatched' }), 'resumed', T0 + H)).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(apply(issue({ status: 'verified' }), 'deferred', T0 + H)).toMatchObject({ ok: false, code: 'illegal_transition' });
  });

  it('rework sends a verified issue back to dispatched and counts it', () => {
    const s = ok(issue({ status: 'verified', reworkCount: 1 }), 'reworked', T0 + H);
    expect(s).toMatchObject({ status: 'dispatched', reworkCount: 2 });
    expect(apply(issue({ status: 'handled' }), 'reworked', T0 + H)).toMatchObject({ ok: false, code: 'illegal_transition', from: 'handled' });
  });
});

describe('allowedEvents', () => {
  it('lists what a fresh report may do, and drops 立行立改 after 24 h', () => {
    expect(allowedEvents(issue(), T0 + H)).toEqual(['opened', 'closed', 'cancelled', 'deferred']);
    expect(allowedEvents(issue(), T0 + 25 * H)).toEqual(['opened', 'cancelled', 'deferred']);
    expect(allowedEvents(issue({ status: 'verified' }), T0 + H)).toEqual(['closed', 'cancelled', 'returned', 'reworked']);
  });
});
