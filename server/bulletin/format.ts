/**
 * How a bulletin writes its numbers, the same in every format: counts as integers, rates as
 * percentages with one decimal, scores with one decimal, and changes in words (环比上升 3.2%,
 * 同比下降 1.5 个百分点). Pure.
 */
import type { FigureChange, FigureUnit } from './model.ts';

/** A figure as text; '—' when there is none (a rate with nothing due). */
export function figureText(value: number | null, unit: FigureUnit): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'count':
      return String(Math.round(value));
    case 'rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'score':
      return value.toFixed(1);
    case 'hours':
      return `${value.toFixed(1)}小时`;
  }
}

/** A change in words: `上升3.2%`, `下降1.5个百分点`, `增加2.0分`, `持平`; `none` without a comparison (a zero base or no data). */
export function changeText(change: FigureChange | null, none = '—'): string {
  if (!change) return none;
  const v = change.value;
  if (v === 0) return '持平';
  const size = Math.abs(v).toFixed(1);
  switch (change.kind) {
    case 'pct':
      return `${v > 0 ? '上升' : '下降'}${size}%`;
    case 'pts':
      return `${v > 0 ? '上升' : '下降'}${size}个百分点`;
    case 'delta':
      return `${v > 0 ? '增加' : '减少'}${size}分`;
  }
}

/** A rank change: `↑2`, `↓1`, `—` (no previous rank), `持平`. */
export function rankChangeText(change: number | null): string {
  if (change === null) return '—';
  if (change === 0) return '持平';
  return change > 0 ? `↑${change}` : `↓${-change}`;
}
