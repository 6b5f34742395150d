import { describe, expect, it } from 'vitest';
import { CATEGORY_MIX } from '../../../server/demo/issue-mix.ts';
import { loadTaxonomy, validateTaxonomy, type Category } from '../../../server/demo/taxonomy.ts';

const taxonomy = loadTaxonomy();
const minor = taxonomy.filter((c) => c.parent !== null);

describe('data/taxonomy.json', () => {
  it('has about ten 大类 of both kinds and about 45 小类', () => {
    const major = taxonomy.filter((c) => c.parent === null);
    expect(major.length).toBeGreaterThanOrEqual(9);
    expect(new Set(major.map((c) => c.kind))).toEqual(new Set(['component', 'event']));
    expect(minor.length).toBeGreaterThanOrEqual(40);
  });

  it('covers what the civilized-city campaign inspects', () => {
    const names = minor.map((c) => c.name).join('|');
    for (const n of ['暴露垃圾', '乱张贴', '占道经营', '流动摊贩', '机动车乱停', '非机动车乱停', '飞线充电', '公益广告破损', '遛狗不牵绳', '楼道堆物', '消防通道占用', '建筑垃圾渣土', '道路破损', '井盖缺失']) {
      expect(names).toContain(n);
    }
  });

  it('gives 暴露垃圾 a 2 working-hour limit and an English name', () => {
    expect(minor.find((c) => c.name === '暴露垃圾')).toMatchObject({ code: '0101', parent: '01', name_en: 'Exposed rubbish', limit: 2, limit_unit: 'work_hours' });
  });
});

describe('validateTaxonomy', () => {
  const base: Category[] = [
    { code: '01', parent: null, kind: 'event', name: '市容环境', name_en: 'City appearance', limit: null, limit_unit: null },
    { code: '0101', parent: '01', kind: 'event', name: '暴露垃圾', name_en: 'Exposed rubbish', limit: 2, limit_unit: 'work_hours' },
  ];

  it('accepts a well-formed taxonomy', () => {
    expect(() => validateTaxonomy(base)).not.toThrow();
  });

  it('rejects a 小类 code that does not extend its parent', () => {
    expect(() => validateTaxonomy([...base, { ...base[1], code: '0201' }])).toThrow(/parent \+ 2 digits/);
  });

  it('rejects a category without an English name', () => {
    expect(() => validateTaxonomy([base[0], { ...base[1], name_en: ' ' }])).toThrow(/English name/);
  });

  it('rejects a 小类 without a time limit', () => {
    expect(() => validateTaxonomy([base[0], { ...base[1], limit: null }])).toThrow(/positive limit/);
  });
});

it('issue category mixes only use 小类 codes of the taxonomy', () => {
  const codes = new Set(minor.map((c) => c.code));
  const used = Object.values(CATEGORY_MIX).flatMap((mix) => Object.keys(mix));
  expect(used.filter((c) => !codes.has(c))).toEqual([]);
});
