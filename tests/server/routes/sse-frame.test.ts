import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../server/live/bus.ts';
import { busFrames, commentFrame, sseFrame } from '../../../server/live/sse-frame.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('SSE frames', () => {
  it('are written as hono writes them: event, one data line per line, id, a blank line', () => {
    expect(text(sseFrame({ event: 'issue.created', id: 'ab-1', data: '{"a":1}\nsecond' }))).toBe('event: issue.created\ndata: {"a":1}\ndata: second\nid: ab-1\n\n');
    expect(text(sseFrame({ event: 'kpi', data: '{}' }))).toBe('event: kpi\ndata: {}\n\n');
    expect(text(commentFrame('heartbeat'))).toBe(': heartbeat\n\n');
    expect(() => sseFrame({ event: 'x\ny', data: '' })).toThrow(/line break/);
  });

  it('serialise an event once, whatever the number of clients', () => {
    const bus = new EventBus(10, 'ab');
    let serialised = 0;
    const data = { toJSON: () => (serialised++, { id: 'I1' }) };
    const event = bus.publish('issue.created', data);
    const frames = busFrames();
    const sent = Array.from({ length: 500 }, () => frames.of(event));
    expect(serialised).toBe(1);
    expect(new Set(sent).size).toBe(1);
    expect(text(sent[0]!)).toBe(`event: issue.created\ndata: {"id":"I1"}\nid: ${event.id}\n\n`);
  });
});
