/** A change other clients should hear about over `GET /api/events`. */
export type LiveEvent = { id: number; type: 'issue.created' | 'issue.updated' | 'kpi'; data: unknown; at: string };

/**
 * In-process publish/subscribe with a replay buffer: each event gets an increasing id, and a
 * client that reconnects with `Last-Event-ID` receives everything it missed while the buffer
 * still holds it (a reconnect within minutes loses nothing).
 */
export class EventBus {
  private nextId = 1;
  private readonly buffer: LiveEvent[] = [];
  private readonly listeners = new Set<(e: LiveEvent) => void>();

  constructor(private readonly capacity = 10_000) {}

  publish(type: LiveEvent['type'], data: unknown): LiveEvent {
    const event: LiveEvent = { id: this.nextId++, type, data, at: new Date().toISOString() };
    this.buffer.push(event);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events after `lastId` still in the buffer, oldest first. */
  since(lastId: number): LiveEvent[] {
    return this.buffer.filter((e) => e.id > lastId);
  }

  /**
   * What a client that last saw `lastId` missed. `complete` is false when the buffer can't say:
   * events after `lastId` were already evicted, or `lastId` is from before a server restart
   * (ids start again at 1) — the client must then reload instead of replaying.
   */
  replay(lastId: number): { events: LiveEvent[]; complete: boolean } {
    const events = this.since(lastId);
    const oldest = this.buffer[0]?.id ?? this.nextId;
    return { events, complete: lastId <= this.lastId && oldest <= lastId + 1 };
  }

  /** The id of the newest event published (0 before any). */
  get lastId(): number {
    return this.nextId - 1;
  }

  /** Subscribes; returns the unsubscribe function (call it when the client goes away). */
  subscribe(listener: (e: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
