import type { LiveEvent } from './bus.ts';

/** One Server-Sent Event, before it is written. */
export type SseMessage = { event?: string; id?: string; data: string };

const encoder = new TextEncoder();

/**
 * The bytes of one event on the wire (the format of hono's `writeSSE`: `event:`, one `data:` line
 * per line of data, `id:`, a blank line).
 */
export function sseFrame(m: SseMessage): Uint8Array {
  for (const value of [m.event, m.id]) if (value && /[\r\n]/.test(value)) throw new Error('an SSE event name or id must not contain a line break');
  const lines = [m.event && `event: ${m.event}`, ...m.data.split(/\r\n|\r|\n/).map((l) => `data: ${l}`), m.id !== undefined && `id: ${m.id}`];
  return encoder.encode(`${lines.filter(Boolean).join('\n')}\n\n`);
}

/** A comment line (keeps idle connections open). */
export const commentFrame = (text: string): Uint8Array => encoder.encode(`: ${text}\n\n`);

/**
 * Frames of shared values, made once however many live-feed clients get them: with hundreds of
 * clients, serialising each event per client would block the event loop on every report.
 */
export class FrameCache<T extends object> {
  private readonly frames = new WeakMap<T, Uint8Array>();

  constructor(private readonly toMessage: (value: T) => SseMessage) {}

  /** The frame of `value`, serialised on first use. */
  of(value: T): Uint8Array {
    let frame = this.frames.get(value);
    if (!frame) this.frames.set(value, (frame = sseFrame(this.toMessage(value))));
    return frame;
  }
}

/** Frames of the bus's events: `event: <type>`, `id: <id>`, the data as JSON. */
export const busFrames = () => new FrameCache<LiveEvent>((e) => ({ event: e.type, id: e.id, data: JSON.stringify(e.data) }));
