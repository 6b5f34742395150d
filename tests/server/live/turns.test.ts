import { describe, expect, it } from 'vitest';
import { Turns } from '../../../server/live/turns.ts';

/** A Turns whose later turns the test runs by hand. */
function stepped(perTurn: number) {
  const scheduled: (() => void)[] = [];
  const turns = new Turns(perTurn, (run) => scheduled.push(run));
  const step = async () => {
    scheduled.shift()!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { turns, scheduled, step };
}

describe('Turns', () => {
  it('lets waiters through a few per turn, in the order they came', async () => {
    const { turns, scheduled, step } = stepped(2);
    const through: number[] = [];
    for (let i = 0; i < 5; i++) void turns.wait().then(() => through.push(i));
    // One turn scheduled for the lot, not one per waiter.
    expect(scheduled.length).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(through).toEqual([]);
    await step();
    expect(through).toEqual([0, 1]);
    await step();
    expect(through).toEqual([0, 1, 2, 3]);
    expect(turns.queued).toBe(1);
    await step();
    expect(through).toEqual([0, 1, 2, 3, 4]);
    expect(scheduled.length).toBe(0);
  });

  it('schedules a turn again for waiters that come after the queue ran dry', async () => {
    const { turns, scheduled, step } = stepped(3);
    let through = 0;
    void turns.wait().then(() => through++);
    await step();
    expect(through).toBe(1);
    void turns.wait().then(() => through++);
    expect(scheduled.length).toBe(1);
    await step();
    expect(through).toBe(2);
  });

  it('waits for a real turn of the event loop by default', async () => {
    const turns = new Turns(1);
    const order: string[] = [];
    const waited = turns.wait().then(() => order.push('turn'));
    await Promise.resolve().then(() => order.push('microtask'));
    await waited;
    expect(order).toEqual(['microtask', 'turn']);
  });
});
