import { afterEach, describe, expect, it } from 'vitest';
import type { KpiEngine } from '../../../server/kpi/fast/engine.ts';
import { Admission } from '../../../server/live/admission.ts';
import { HEAVY_READS, isHeavyRead } from '../../../server/live/heavy-reads.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';

/**
 * A KPI engine stand-in whose counts hang until released, then leave the answer to SQL: the slow
 * step of an aggregate read, without timing anything.
 */
function slowEngine() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let calls = 0;
  const engine = {
    state: { state: 'ready', issues: 0, loadMs: 0, error: null, lastCatchUpRows: null },
    heldIssues: null,
    counts: async () => {
      calls++;
      await released;
      return undefined;
    },
    countsWithTotal: async () => undefined,
  } as unknown as KpiEngine;
  return { engine, release, calls: () => calls };
}

/** Waits until `done()` holds (polling; no timing is asserted). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 5));
}

describe('aggregate reads taking turns', () => {
  let t: TestApp | undefined;
  afterEach(async () => t?.cleanup());

  it('keeps health and other reads answering while an aggregate holds the only place, and queues the next aggregate', async () => {
    const slow = slowEngine();
    const gate = new Admission(1);
    t = await cityApp({ engine: slow.engine, heavyReads: gate });
    const first = t.app.request('/api/stats/summary?from=2026-05-01&to=2026-05-31');
    await until(() => slow.calls() > 0);
    const countsOfFirst = slow.calls();
    const second = t.app.request('/api/stats/ranking?level=street&from=2026-05-01&to=2026-05-31');
    await until(() => gate.queued === 1);
    // The second aggregate waits its turn without starting to count.
    expect(slow.calls()).toBe(countsOfFirst);

    const health = await t.app.request('/api/health');
    expect(health.status).toBe(200);
    expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
    expect((await t.app.request('/api/meta')).status).toBe(200);

    slow.release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(slow.calls()).toBeGreaterThan(countsOfFirst);
  });

  it('names the aggregate reads, GET only', () => {
    expect(isHeavyRead('GET', '/api/stats/summary')).toBe(true);
    expect(isHeavyRead('GET', '/api/grids')).toBe(true);
    expect(isHeavyRead('GET', '/api/heat/frames')).toBe(true);
    expect(isHeavyRead('GET', '/api/health')).toBe(false);
    expect(isHeavyRead('GET', '/api/issues')).toBe(false);
    expect(isHeavyRead('POST', '/api/stats/summary')).toBe(false);
    expect(HEAVY_READS.length).toBeGreaterThan(0);
  });
});
