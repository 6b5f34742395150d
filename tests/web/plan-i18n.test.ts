import { describe, expect, it } from 'vitest';
import { plan } from '../../web/i18n/plan';

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`])).sort();
}

describe('planner messages', () => {
  it('say the same things in Chinese and English', () => {
    expect(keys(plan.en)).toEqual(keys(plan['zh-CN']));
  });

  it('name every validation finding and every edit refusal the server sends', () => {
    const findings = ['overlap', 'gap', 'self_intersection', 'multipart', 'sliver', 'outside_community', 'unknown_community', 'duplicate_code', 'empty_code', 'no_inspector', 'neighbour_overlap'];
    expect(Object.keys(plan['zh-CN'].validation.code).sort()).toEqual([...findings].sort());
    const refusals = ['line_must_cross_twice', 'not_adjacent', 'pinned_vertex', 'junction_vertex', 'invalid_edit', 'duplicate_code', 'validation_failed', 'unauthorized', 'forbidden'];
    for (const code of refusals) expect(plan['zh-CN'].error).toHaveProperty(code);
  });
});
