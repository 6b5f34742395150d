/** The bulletin's period grammar and its template language: pure rules, each refusal naming why. */
import { describe, expect, it } from 'vitest';
import { bulletinPeriodChoices, parseNamedPeriod } from '../../../server/domain/periods.ts';
import { fillText, parseTemplate, TemplateError } from '../../../server/bulletin/template.ts';
import { changeText, figureText, rankChangeText } from '../../../server/bulletin/format.ts';

const TODAY = '2026-11-25';

describe('parseNamedPeriod', () => {
  it('reads months, quarters and ranges of days', () => {
    expect(parseNamedPeriod('2026-10', TODAY)).toEqual({ kind: 'month', text: '2026-10', from: '2026-10-01', to: '2026-10-31', label: '2026年10月' });
    expect(parseNamedPeriod('2024-02', TODAY)).toMatchObject({ to: '2024-02-29' });
    expect(parseNamedPeriod('2026-Q3', TODAY)).toMatchObject({ kind: 'quarter', from: '2026-07-01', to: '2026-09-30', label: '2026年第三季度' });
    expect(parseNamedPeriod('2025-12-20..2026-01-10', TODAY)).toMatchObject({ kind: 'range', label: '2025年12月20日至2026年1月10日' });
  });

  it('ends a running period today and says so', () => {
    expect(parseNamedPeriod('2026-11', TODAY)).toMatchObject({ from: '2026-11-01', to: TODAY, label: '2026年11月（截至11月25日）' });
    expect(parseNamedPeriod('2026-Q4', TODAY)).toMatchObject({ to: TODAY });
  });

  it('refuses the future, more than a year, reversed and malformed periods', () => {
    expect(parseNamedPeriod('2026-12', TODAY)).toEqual({ error: expect.stringContaining('has not started') });
    expect(parseNamedPeriod('2025-01-01..2026-01-05', TODAY)).toEqual({ error: expect.stringContaining('longer than a year') });
    expect(parseNamedPeriod('2026-10-05..2026-10-01', TODAY)).toEqual({ error: expect.stringContaining('ends before') });
    for (const bad of ['2026-13', '2026-Q5', '2026/11', '2026-02-30..2026-03-01']) expect(parseNamedPeriod(bad, TODAY), bad).toHaveProperty('error');
  });
});

describe('bulletinPeriodChoices', () => {
  it('offers this month, the twelve before it and the last quarters, all valid periods', () => {
    const choices = bulletinPeriodChoices(TODAY);
    expect(choices.slice(0, 3)).toEqual(['2026-11', '2026-10', '2026-09']);
    expect(choices[12]).toBe('2025-11');
    expect(choices.slice(13)).toEqual(['2026-Q4', '2026-Q3', '2026-Q2', '2026-Q1', '2025-Q4']);
    for (const c of choices) expect(parseNamedPeriod(c, TODAY), c).not.toHaveProperty('error');
  });
});

describe('the template', () => {
  const text = '# {{scope.name}}通报\n\n## intro\n第一段\n接续。\n\n第二段{{x}}\n\n## ranking: 红黑榜\n{{x}}';

  it('has a title, named sections with optional headings and paragraphs', () => {
    expect(parseTemplate(text, 't.md')).toEqual({
      title: '{{scope.name}}通报',
      sections: [
        { name: 'intro', heading: null, paragraphs: ['第一段接续。', '第二段{{x}}'] },
        { name: 'ranking', heading: '红黑榜', paragraphs: ['{{x}}'] },
      ],
    });
  });

  it('refuses a template it cannot use, naming the file and the line', () => {
    expect(() => parseTemplate('## intro\n段', 't.md')).toThrow('t.md: no "# title" line');
    expect(() => parseTemplate('# T\n段', 't.md')).toThrow('t.md: line 2: text before the first "## section"');
    expect(() => parseTemplate('# T\n## Intro\n', 't.md')).toThrow(/line 2: a section is/);
    expect(() => parseTemplate('# T\n## a\n## a\n', 't.md')).toThrow('section "a" appears twice');
  });

  it('fills placeholders and refuses an unknown one by name', () => {
    expect(fillText('共{{ n }}件', { n: '9' }, 't.md')).toBe('共9件');
    expect(() => fillText('共{{m}}件', { n: '9' }, 't.md')).toThrow(TemplateError);
    expect(() => fillText('共{{m}}件', { n: '9' }, 't.md')).toThrow('unknown placeholder {{m}}');
  });
});

describe('how numbers are written', () => {
  it('counts, rates, scores and changes', () => {
    expect([figureText(12345, 'count'), figureText(0.8751, 'rate'), figureText(91.26, 'score'), figureText(null, 'rate')]).toEqual(['12,345', '87.5%', '91.3', '—']);
    expect([changeText({ value: 3.21, kind: 'pct' }), changeText({ value: -1.5, kind: 'pts' }), changeText({ value: 0, kind: 'abs' }), changeText(null)])
      .toEqual(['上升3.2%', '下降1.5个百分点', '持平', '—']);
    expect([rankChangeText(2), rankChangeText(-1), rankChangeText(0), rankChangeText(null)]).toEqual(['↑2', '↓1', '持平', '—']);
  });
});
