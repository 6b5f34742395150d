/**
 * The issue workflow of docs/domain.md as a pure state machine: which event may happen in which state,
 * and what it does to the issue's status, timestamps, deadline and flags. No I/O: the route loads
 * the issue, asks {@link transition}, and writes the result with the event in one transaction.
 *
 * Main line: reported → opened (立案) → dispatched (派遣; the clock starts) → handled (处置)
 * → verified (核查) → closed (结案). Side branches: cancelled (注销), returned (回退, one step back),
 * extended (延期, a new deadline), deferred (缓办/挂账) and resumed, reworked (返工, failed
 * verification), and 立行立改 (closing straight from reported/opened/dispatched within 24 h).
 */
import { addTimeLimit } from './deadline.ts';
import { DAY, MINUTE, shanghaiIso } from './time.ts';
import type { WorkCalendar } from './work-calendar.ts';
import type { IssueStatus, LimitUnit } from './vocabulary.ts';

/** Event types, named like the `issue_events.type` values imports write (the state reached, past tense). */
export const WORKFLOW_EVENTS = [
  'opened', 'dispatched', 'handled', 'verified', 'closed', 'cancelled',
  'returned', 'extended', 'deferred', 'resumed', 'reworked',
] as const;
export type WorkflowEvent = (typeof WORKFLOW_EVENTS)[number];

/** What the workflow reads and writes of an issue; times are epoch ms. */
export type IssueState = {
  status: IssueStatus;
  reportedAt: number;
  openedAt: number | null;
  dispatchedAt: number | null;
  deadline: number | null;
  closedAt: number | null;
  immediate: boolean;
  reworkCount: number;
};

/** The category's time limit, for the deadline set at dispatch. */
/** A category's time limit and the calendar its working time is counted on; null: no limit. */
export type TimeLimit = { limit: number; unit: LimitUnit; calendar: WorkCalendar } | null;

export type TransitionRequest = {
  event: WorkflowEvent;
  at: number;
  /** The new deadline of an `extended` event; or an explicit deadline given at dispatch. */
  deadline?: number;
  limit: TimeLimit;
};

export type TransitionResult =
  | { ok: true; next: IssueState }
  /** The event is not allowed in this state (→ 409). `to` is where it would have led, when that is known. */
  | { ok: false; code: 'illegal_transition'; from: IssueStatus; to: IssueStatus | null; reason: string }
  /** The event is allowed, but its data is not (→ 422), e.g. an extension without a later deadline. */
  | { ok: false; code: 'invalid_event'; reason: string };

/**
 * How far past the server's clock a reported time may lie, by default: patrol phones and feeds
 * drift by minutes; a time further ahead is a typo or a broken device, and would count as done.
 */
export const DEFAULT_CLOCK_SKEW_MINUTES = 10;

/** The times an issue's events carry, in the order the workflow reaches them (handling and verification carry none). */
export const EVENT_TIMES = ['reportedAt', 'openedAt', 'dispatchedAt', 'closedAt'] as const;
export type EventTime = (typeof EVENT_TIMES)[number];

/** An issue record's times, epoch ms; absent when the record has none. */
export type IssueTimes = Partial<Record<EventTime | 'deadline', number>>;

/** A time that breaks a rule, named by its key in {@link IssueTimes}. */
export type TimeProblem = { field: EventTime | 'deadline'; code: 'in_future' | 'timestamps_out_of_order'; reason: string };

/** Why an event time is impossible (later than now plus the allowed skew), or null when it is fine. */
export function futureTimeProblem(at: number, now: number, skewMs: number, label: string): string | null {
  if (at <= now + skewMs) return null;
  return `${label} ${shanghaiIso(at)} is in the future (now is ${shanghaiIso(now)}, clock skew allowed ${Math.round(skewMs / MINUTE)} min)`;
}

/**
 * The time rules of one issue record, wherever it comes from (live ingest or a file): no event
 * later than now + `skewMs`, events in workflow order, the deadline not before the report. A
 * deadline may lie in the future: that is what a deadline is. `label` names a field in the
 * caller's vocabulary (the API's `closedAt`, a file's `closed_at`).
 */
export function issueTimeProblems(times: IssueTimes, now: number, skewMs: number, label: (f: EventTime | 'deadline') => string = (f) => f): TimeProblem[] {
  const problems: TimeProblem[] = [];
  let previous: EventTime | null = null;
  for (const field of EVENT_TIMES) {
    const t = times[field];
    if (t === undefined) continue;
    const future = futureTimeProblem(t, now, skewMs, label(field));
    if (future) problems.push({ field, code: 'in_future', reason: future });
    if (previous && t < times[previous]!) problems.push({ field, code: 'timestamps_out_of_order', reason: `${label(field)} is earlier than ${label(previous)}` });
    previous = field;
  }
  if (times.deadline !== undefined && times.reportedAt !== undefined && times.deadline < times.reportedAt) {
    problems.push({ field: 'deadline', code: 'timestamps_out_of_order', reason: `${label('deadline')} is earlier than ${label('reportedAt')}` });
  }
  return problems;
}

/**
 * The events that may name the department (责任单位) the case goes to: the dispatch, and so a
 * re-dispatch after 回退 to another department. Other events leave the department as it is.
 */
export const EVENTS_NAMING_DEPARTMENT: readonly WorkflowEvent[] = ['dispatched'];

/** 立行立改: an issue closed on the spot, within 24 h of its report. */
export const IMMEDIATE_WINDOW_MS = DAY;

const OPEN: readonly IssueStatus[] = ['reported', 'opened', 'dispatched', 'handled', 'verified', 'deferred'];
const MAIN_LINE: readonly IssueStatus[] = ['reported', 'opened', 'dispatched', 'handled', 'verified', 'closed'];
/** The one state each main-line event may start from. */
const STEP_FROM: Partial<Record<WorkflowEvent, IssueStatus>> = {
  opened: 'reported', dispatched: 'opened', handled: 'dispatched', verified: 'handled',
};
const IMMEDIATE_FROM: readonly IssueStatus[] = ['reported', 'opened', 'dispatched'];
const EXTEND_FROM: readonly IssueStatus[] = ['opened', 'dispatched', 'handled'];
const DEFER_FROM: readonly IssueStatus[] = ['reported', 'opened', 'dispatched', 'handled'];

/** One step back along the main line, or null at its start and for side states. */
function stepBack(status: IssueStatus): IssueStatus | null {
  const i = MAIN_LINE.indexOf(status);
  return i > 0 && status !== 'closed' ? MAIN_LINE[i - 1] : null;
}

/**
 * Where a deferred issue resumes: the furthest state its timestamps prove. A deferral can last
 * months, so a deferred `handled` issue resumes as `dispatched` and its handling is done again.
 */
function resumeTo(s: IssueState): IssueStatus {
  if (s.dispatchedAt !== null) return 'dispatched';
  if (s.openedAt !== null) return 'opened';
  return 'reported';
}

/**
 * The deadline at dispatch: an explicit one wins; otherwise the category limit counted from the
 * dispatch. A stored deadline is kept only when it is not the provisional one an import derives
 * from the report time (the clock starts at dispatch, docs/domain.md) — i.e. when someone set it.
 */
function dispatchDeadline(s: IssueState, at: number, limit: TimeLimit, explicit: number | undefined): number | null {
  if (explicit !== undefined) return explicit;
  if (!limit) return s.deadline;
  const provisional = s.deadline === null || s.deadline === addTimeLimit(s.dispatchedAt ?? s.reportedAt, limit.limit, limit.unit, limit.calendar);
  return provisional ? addTimeLimit(at, limit.limit, limit.unit, limit.calendar) : s.deadline;
}

/** Applies one workflow event to an issue, or says why it may not happen. */
export function transition(s: IssueState, req: TransitionRequest): TransitionResult {
  const { event, at } = req;
  const illegal = (to: IssueStatus | null, why: string): TransitionResult => ({
    ok: false, code: 'illegal_transition', from: s.status, to,
    reason: `cannot go from ${s.status} to ${to ?? '?'} by "${event}": ${why}`,
  });
  const invalid = (reason: string): TransitionResult => ({ ok: false, code: 'invalid_event', reason });
  const to = (status: IssueStatus, patch: Partial<IssueState> = {}): TransitionResult => ({ ok: true, next: { ...s, ...patch, status } });

  switch (event) {
    case 'opened':
    case 'handled':
    case 'verified':
    case 'dispatched': {
      const from = STEP_FROM[event]!;
      if (s.status !== from) return illegal(event, `only an issue in state ${from} can be ${event}`);
      if (event === 'opened') return to('opened', { openedAt: at });
      if (event !== 'dispatched') return to(event);
      if (req.deadline !== undefined && req.deadline <= at) return invalid('the deadline must be after the dispatch time');
      return to('dispatched', { dispatchedAt: at, deadline: dispatchDeadline(s, at, req.limit, req.deadline) });
    }
    case 'closed':
      if (s.status === 'verified') return to('closed', { closedAt: at });
      if (!IMMEDIATE_FROM.includes(s.status)) return illegal('closed', 'only a verified issue can be closed, or an early one fixed on the spot (立行立改)');
      if (at - s.reportedAt > IMMEDIATE_WINDOW_MS) return illegal('closed', '立行立改 is only possible within 24 h of the report; verify first');
      return to('closed', { closedAt: at, immediate: true });
    case 'cancelled':
      if (!OPEN.includes(s.status)) return illegal('cancelled', 'the issue is no longer open');
      return to('cancelled');
    case 'returned': {
      const back = stepBack(s.status);
      if (!back) return illegal(null, 'there is no earlier step to return to');
      // The left state's timestamp goes: it records when the issue last entered that state.
      if (s.status === 'opened') return to(back, { openedAt: null });
      if (s.status === 'dispatched') return to(back, { dispatchedAt: null });
      return to(back);
    }
    case 'extended':
      if (!EXTEND_FROM.includes(s.status)) return illegal(s.status, 'only an opened, dispatched or handled issue can be extended');
      if (req.deadline === undefined) return invalid('an extension needs the new deadline');
      if (req.deadline <= at || (s.deadline !== null && req.deadline <= s.deadline)) {
        return invalid('the new deadline must be later than both the current deadline and the time of the extension');
      }
      return to(s.status, { deadline: req.deadline });
    case 'deferred':
      if (!DEFER_FROM.includes(s.status)) return illegal('deferred', 'only an issue still being worked on can be deferred');
      return to('deferred');
    case 'resumed':
      if (s.status !== 'deferred') return illegal(null, 'only a deferred issue can be resumed');
      return to(resumeTo(s));
    case 'reworked':
      if (s.status !== 'verified') return illegal('dispatched', 'only a verified issue can fail verification');
      return to('dispatched', { reworkCount: s.reworkCount + 1 });
  }
}

/** The events legal for the issue at time `now` (for the detail view's action buttons). */
export function allowedEvents(s: IssueState, now: number): WorkflowEvent[] {
  const far = now + 365 * DAY;
  return WORKFLOW_EVENTS.filter((event) => {
    const deadline = event === 'extended' ? Math.max(far, (s.deadline ?? 0) + 1) : undefined;
    return transition(s, { event, at: now, deadline, limit: null }).ok;
  });
}
