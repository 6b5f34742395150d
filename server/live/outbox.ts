import type { Turns } from './turns.ts';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One live-feed client's queue of frames. Under load reports are committed in batches, so a burst
 * of events reaches every client at once; written one frame at a time that is a socket write per
 * event per client (30 events × 500 clients = 15 000 writes in one turn of the event loop, over a
 * second of blocked loop in the 10 M load test). The outbox hands the writer everything that piled
 * up by the time it asks, as one chunk: one write per client per burst, the same bytes in order.
 */
export class Outbox {
  private frames: Uint8Array[] = [];
  private bytes = 0;
  private wake: (() => void) | null = null;
  private overrun = false;
  private closed = false;

  /**
   * `maxFrames`: a client that falls this far behind is dropped instead of buffered without bound.
   * `turn`: resolves on a later turn of the event loop (the live feed shares one {@link Turns} among
   * its clients, so a burst is written to a few clients per turn).
   */
  constructor(private readonly maxFrames: number, private readonly turn: () => Promise<void> = nextTurn) {}

  /** Queues a frame (shared between clients: it is copied, never changed). */
  push(frame: Uint8Array): void {
    if (this.frames.length >= this.maxFrames) this.overrun = true;
    else this.append(frame);
    this.wake?.();
  }

  /** Queues what a reconnecting client missed, however much: the bus's replay buffer bounds it already. */
  preload(frames: readonly Uint8Array[]): void {
    for (const f of frames) this.append(f);
    this.wake?.();
  }

  private append(frame: Uint8Array): void {
    this.frames.push(frame);
    this.bytes += frame.length;
  }

  /** Ends `next()`'s wait: the client went away. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** Whether frames were dropped because the client fell too far behind. */
  get overrunning(): boolean {
    return this.overrun;
  }

  /**
   * Everything queued, as one chunk, once there is something (waiting a turn of the event loop so
   * the rest of a burst joins it); null once closed or overrun.
   */
  async next(): Promise<Uint8Array | null> {
    while (!this.frames.length && !this.closed && !this.overrun) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
      await this.turn();
    }
    if (this.closed || this.overrun) return null;
    const frames = this.frames;
    const chunk = frames.length === 1 ? frames[0]! : new Uint8Array(this.bytes);
    if (frames.length > 1) {
      let at = 0;
      for (const f of frames) (chunk.set(f, at), (at += f.length));
    }
    this.frames = [];
    this.bytes = 0;
    return chunk;
  }
}
