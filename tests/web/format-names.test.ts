import { describe, expect, it } from 'vitest';
import { changeView, formatDate, formatValue } from '../../web/components/format';
import { displayName, nameTable } from '../../web/components/names';
import { queryForLocale } from '../../web/i18n/use-language';

describe('formatDate: one format per language, on the Shanghai clock', () => {
  const at = '2026-11-03T02:05:00.000Z';
  it('writes Chinese dates as GB/T 7408 does', () => {
    expect(formatDate(at, 'day')).toBe('2026-11-03');
    expect(formatDate(at, 'minute')).toBe('2026-11-03 10:05');
    expect(formatDate(at, 'minuteShort')).toBe('11-03 10:05');
    expect(formatDate('2026-11-03', 'dayShort')).toBe('11-03');
  });

  it('writes English dates day, month, year', () => {
    expect(formatDate(at, 'day', 'en')).toBe('3 Nov 2026');
    expect(formatDate(at, 'minute', 'en')).toBe('3 Nov 2026, 10:05');
    expect(formatDate(at, 'minuteShort', 'en')).toBe('3 Nov 10:05');
    expect(formatDate(Date.parse(at), 'time', 'en')).toBe('10:05');
  });

  it('prints a missing or broken date as an em dash', () => {
    expect(formatDate(null, 'minute')).toBe('—');
    expect(formatDate('soon', 'day', 'en')).toBe('—');
  });
});

describe('units in English', () => {
  it('puts a space before the percent sign in English only', () => {
    expect(formatValue(0.785, 'rate', 'en')).toBe('78.5 %');
    expect(formatValue(0.785, 'rate', 'zh-CN')).toBe('78.5%');
    expect(changeView(12.5, 'pct', null, 'en').text).toBe('+12.5 %');
  });

  it('calls a change that prints as 0.0 flat, not a red ▼ −0.0', () => {
    expect(changeView(-0.04, 'pts', 'up', 'en')).toEqual({ text: '±0.0 pts', direction: 'flat', good: null });
    expect(changeView(0.04, 'pct', 'down', 'zh-CN')).toEqual({ text: '±0.0%', direction: 'flat', good: null });
    expect(changeView(-0.06, 'pts', 'up', 'en')).toEqual({ text: '−0.1 pts', direction: 'down', good: false });
    expect(changeView(-0.05, 'pts', 'up', 'en').direction).toBe(changeView(0.05, 'pts', 'up', 'en').direction === 'up' ? 'down' : 'flat');
  });
});

describe('display names', () => {
  const categories = nameTable([
    { code: '01', name: '市容环境', nameEn: 'City appearance', children: [{ code: '0101', name: '暴露垃圾', nameEn: 'Exposed rubbish' }] },
    { code: '02', name: '街面秩序', nameEn: null, children: [{ code: '0201', name: '占道经营' }] },
  ]);

  it('uses the English name when the category file gave one, the Chinese name otherwise', () => {
    expect(displayName(categories, '0101', 'en')).toBe('Exposed rubbish');
    expect(displayName(categories, '0101', 'zh-CN')).toBe('暴露垃圾');
  });

  it('falls back to the Chinese name with its code in English', () => {
    expect(displayName(categories, '0201', 'en')).toBe('占道经营 (0201)');
    expect(displayName(categories, '9999', 'en', 'fallback')).toBe('fallback');
  });
});

describe('language switch', () => {
  it('drops lang from the address when switching back to Chinese and keeps the rest', () => {
    expect(queryForLocale({ lang: 'en', scope: 'street:1' }, 'zh-CN')).toEqual({ scope: 'street:1' });
    expect(queryForLocale({ scope: 'street:1' }, 'en')).toEqual({ scope: 'street:1', lang: 'en' });
  });
});
