import { randomBytes } from 'node:crypto';

/** A change other clients should hear about over `GET /api/events`. */
export type LiveEvent = {
  /** The SSE id: `<epoch>-<seq>`, unique across restarts (see {@link EventBus}). */
  id: string;
  /** Position in this process's stream, from 1. */
  seq: number;
  type: 'issue.created' | 'issue.updated' | 'kpi';
  data: unknown;
  at: string;
};

/** `<epoch>-<seq>`: the epoch names one bus (one server process), the sequence counts its events. */
const EVENT_ID = /^([0-9a-f]{1,32})-(\d{1,15})$/;

/**
 * In-process publish/subscribe with a replay buffer: a client that reconnects with
 * `Last-Event-ID` receives everything it missed while the buffer still holds it (a reconnect
 * within minutes loses nothing).
 *
 * Event ids are `<epoch>-<seq>`, where the epoch is random per bus, so per server process. A
 * counter alone starts again at 1 after a restart, and a client that saw event 5 of the old
 * process would be replayed 6, 7 … of the new one — events it never missed — while silently
 * losing the ones in between. A random epoch needs nothing stored, cannot go back after a restore
 * or a clock change, and makes every id of an earlier process unknown, so such a client is told
 * to resync: what happened between its last event and the restart cannot be told from here.
 */
export class EventBus {
  /** This bus's part of every event id. */
  readonly epoch: string;
  private nextSeq = 1;
  private readonly buffer: LiveEvent[] = [];
  private readonly listeners = new Set<(e: LiveEvent) => void>();

  constructor(private readonly capacity = 10_000, epoch: string = randomBytes(8).toString('hex')) {
    if (!/^[0-9a-f]{1,32}$/.test(epoch)) throw new Error(`an event epoch is 1–32 hex digits, got ${epoch}`);
    this.epoch = epoch;
  }

  publish(type: LiveEvent['type'], data: unknown): LiveEvent {
    const seq = this.nextSeq++;
    const event: LiveEvent = { id: this.idOf(seq), seq, type, data, at: new Date().toISOString() };
    this.buffer.push(event);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events after sequence number `lastSeq` still in the buffer, oldest first. */
  since(lastSeq: number): LiveEvent[] {
    return this.buffer.filter((e) => e.seq > lastSeq);
  }

  /**
   * What a client whose last event was `lastEventId` missed. `complete` is false when the buffer
   * can't say: the id is of another process (before a restart or a restore) or not an id of
   * ours at all, events after it were already evicted, or it is ahead of this process — the
   * client must then reload instead of replaying.
   */
  replay(lastEventId: string): { events: LiveEvent[]; complete: boolean } {
    const m = EVENT_ID.exec(lastEventId.trim());
    if (!m || m[1] !== this.epoch) return { events: [], complete: false };
    const lastSeq = Number(m[2]);
    const oldest = this.buffer[0]?.seq ?? this.nextSeq;
    if (lastSeq > this.lastSeq || oldest > lastSeq + 1) return { events: [], complete: false };
    return { events: this.since(lastSeq), complete: true };
  }

  /** The sequence number of the newest event published (0 before any). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The id of the newest event published (`<epoch>-0` before any): where a resynced client resumes. */
  get lastId(): string {
    return this.idOf(this.lastSeq);
  }

  /** Subscribes; returns the unsubscribe function (call it when the client goes away). */
  subscribe(listener: (e: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  private idOf(seq: number): string {
    return `${this.epoch}-${seq}`;
  }
}
