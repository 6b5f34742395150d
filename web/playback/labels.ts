/**
 * How a frame is named on the time bar and the wall, pure: the frame's start in the language's
 * date format (web/components/format.ts) with what the step adds — the weekday of a day, the hour
 * span of an hour, the last day of a week.
 */
import { DAY, HOUR, shanghaiClock } from '../../server/domain/time';
import { formatDate } from '../components/format';
import type { PlaybackStep } from './frames';

/**
 * The frame's name: `2026-10-03 星期六` / `Saturday 3 Oct 2026` (day), `2026-10-03 14:00–15:00`
 * (hour), `2026-09-28 – 10-04` / `28 Sep 2026 – 4 Oct` (week). `weekdays` from Sunday, translated.
 */
export function frameLabel(start: number, step: PlaybackStep, locale: string, weekdays: readonly string[]): string {
  const day = formatDate(start, 'day', locale);
  if (step === 'hour') {
    const hour = Number(shanghaiClock(start).time.slice(0, 2));
    const two = (h: number) => String(h).padStart(2, '0');
    return `${day} ${two(hour)}:00–${two(hour + 1)}:00`;
  }
  if (step === 'week') return `${day} – ${formatDate(start + 7 * DAY - HOUR, 'dayShort', locale)}`;
  const weekday = weekdays[shanghaiClock(start).weekday] ?? '';
  return locale.startsWith('en') ? `${weekday} ${day}` : `${day} ${weekday}`;
}
