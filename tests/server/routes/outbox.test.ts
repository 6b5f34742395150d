import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../server/live/outbox.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe('a live-feed client outbox', () => {
  it('hands a burst of frames to the writer as one chunk, the same bytes in order', async () => {
    const box = new Outbox(10);
    const chunk = box.next();
    // A batch of reports committed together: its events arrive over a few microtasks.
    box.push(bytes('a\n\n'));
    await Promise.resolve();
    box.push(bytes('b\n\n'));
    box.push(bytes('c\n\n'));
    expect(text(await chunk)).toBe('a\n\nb\n\nc\n\n');
    box.push(bytes('d\n\n'));
    expect(text(await box.next())).toBe('d\n\n');
  });

  it('shares a single frame without copying it', async () => {
    const box = new Outbox(10);
    const frame = bytes('x\n\n');
    box.push(frame);
    expect(await box.next()).toBe(frame);
  });

  it('ends when the client goes away, or when it falls more than its limit behind', async () => {
    const closing = new Outbox(10);
    const waiting = closing.next();
    closing.close();
    expect(await waiting).toBeNull();

    const slow = new Outbox(2);
    for (const f of ['1', '2', '3']) slow.push(bytes(f));
    expect(slow.overrunning).toBe(true);
    expect(await slow.next()).toBeNull();
  });

  it('takes a replay larger than the limit: the bus bounds it', async () => {
    const box = new Outbox(2);
    box.preload(['1', '2', '3', '4'].map(bytes));
    expect(box.overrunning).toBe(false);
    expect(text(await box.next())).toBe('1234');
  });
});
