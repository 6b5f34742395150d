import { describe, expect, it } from 'vitest';
import { Admission } from '../../../server/live/admission.ts';

/** Lets every pending promise callback run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('Admission', () => {
  it('lets `limit` callers in at once and the rest in arrival order as places free up', async () => {
    const gate = new Admission(2);
    const entered: string[] = [];
    const leave = new Map<string, () => void>();
    for (const name of ['a', 'b', 'c', 'd']) void gate.enter().then((l) => (entered.push(name), leave.set(name, l)));
    await settle();
    expect(entered).toEqual(['a', 'b']);
    expect([gate.running, gate.queued]).toEqual([2, 2]);

    leave.get('b')!();
    await settle();
    expect(entered).toEqual(['a', 'b', 'c']);
    // A place handed to a waiter is not counted free in between: a newcomer cannot slip in.
    void gate.enter().then((l) => (entered.push('e'), leave.set('e', l)));
    await settle();
    expect(entered).toEqual(['a', 'b', 'c']);
    expect([gate.running, gate.queued]).toEqual([2, 2]);

    // Leaving twice frees one place only.
    leave.get('a')!();
    leave.get('a')!();
    await settle();
    expect(entered).toEqual(['a', 'b', 'c', 'd']);
    for (const name of ['c', 'd']) leave.get(name)!();
    await settle();
    expect(entered).toEqual(['a', 'b', 'c', 'd', 'e']);
    leave.get('e')!();
    expect([gate.running, gate.queued]).toEqual([0, 0]);
  });

  it('gives a place up however the task ends', async () => {
    const gate = new Admission(1);
    await expect(gate.run(async () => { throw new Error('failed'); })).rejects.toThrow('failed');
    expect(gate.running).toBe(0);
    expect(await gate.run(async () => 7)).toBe(7);
    expect(gate.running).toBe(0);
  });

  it('refuses a limit that admits no one', () => {
    expect(() => new Admission(0)).toThrow(/≥ 1/);
    expect(() => new Admission(1.5)).toThrow(/whole number/);
  });
});
