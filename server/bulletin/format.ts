/**
 * How a bulletin writes its numbers: with the screens' own formatter (web/components/format.ts,
 * Chinese locale), so 87.6% in print is 87.6% on the wall; changes in words (环比上升3.2%,
 * 同比下降1.5个百分点) as 公文 write them. Pure.
 */
import { formatValue } from '../../web/components/format.ts';
import type { FigureChange, FigureUnit } from './model.ts';

/** A figure as the screens print it; '—' when there is none (a rate with nothing due). */
export function figureText(value: number | null, unit: FigureUnit): string {
  return formatValue(value, unit, 'zh-CN');
}

/** A change in words: `上升3.2%`, `下降1.5个百分点`, `增加2.0分`, `持平`; `none` without a comparison (a zero base or no data). */
export function changeText(change: FigureChange | null, none = '—'): string {
  if (!change) return none;
  const v = change.value;
  const size = formatValue(Math.abs(v), 'score', 'zh-CN');
  // A change too small to print is no change in words either.
  if (/^0(\.0)?$/.test(size)) return '持平';
  switch (change.kind) {
    case 'pct':
      return `${v > 0 ? '上升' : '下降'}${size}%`;
    case 'pts':
      return `${v > 0 ? '上升' : '下降'}${size}个百分点`;
    case 'abs':
      return `${v > 0 ? '增加' : '减少'}${size}分`;
  }
}

/** A rank change: `↑2`, `↓1`, `—` (no previous rank), `持平`. */
export function rankChangeText(change: number | null): string {
  if (change === null) return '—';
  if (change === 0) return '持平';
  return change > 0 ? `↑${change}` : `↓${-change}`;
}
