import { describe, expect, it } from 'vitest';
import { scriptsBefore } from '../../../scripts/bench/browser.ts';

describe('scriptsBefore', () => {
  it('counts each script the page asked for up to the first data, and none asked for later', () => {
    const loads = [
      { path: '/assets/index.js', startedAt: 100 },
      { path: '/assets/map.js', startedAt: 400 },
      { path: '/assets/map.js', startedAt: 450 },
      { path: '/assets/worker.mjs', startedAt: 1200 },
      { path: '/assets/charts.js', startedAt: 1201 },
    ];
    expect(scriptsBefore(loads, 1200)).toEqual(['/assets/index.js', '/assets/map.js', '/assets/worker.mjs']);
  });
});
