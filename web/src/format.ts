// Dates and times with Intl, always in the ente's time zone (schedules are local to the ente),
// and always relative to the server's "now" (which tests inject), never the browser's clock.

import type { DayHours, OpenStatus, TimeRange } from './api';
import { locale, t } from './i18n';

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(opts: Intl.DateTimeFormatOptions, loc = locale()): Intl.DateTimeFormat {
  const key = loc + JSON.stringify(opts);
  let f = fmtCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(loc, opts);
    fmtCache.set(key, f);
  }
  return f;
}

/** Local calendar date "YYYY-MM-DD" of an instant in `tz`. */
export function localDate(instant: string | Date, tz: string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  const parts = fmt({ timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA')
    .formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "08:00": local time of an instant in `tz`, 24-hour clock. */
export function formatTime(instant: string, tz: string): string {
  return fmt({ timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(instant),
  );
}

// A local date is formatted at noon UTC in the UTC zone, so no zone can move it to another day.
function dateAtNoon(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, 12));
}

/** "lunedì" */
export function formatWeekday(date: string): string {
  return fmt({ timeZone: 'UTC', weekday: 'long' }).format(dateAtNoon(date));
}

/** "lun 23 novembre" */
export function formatDayShort(date: string): string {
  return fmt({ timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'long' })
    .format(dateAtNoon(date))
    .replace(',', '');
}

/** "lunedì 23 novembre 2026" */
export function formatDateLong(date: string): string {
  return fmt({ timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .format(dateAtNoon(date))
    .replace(',', '');
}

function daysBetween(a: string, b: string): number {
  return Math.round((dateAtNoon(b).getTime() - dateAtNoon(a).getTime()) / 86400000);
}

/** "08:00–19:00" ("24:00" kept as the end of the day). */
export function formatRange(r: TimeRange): string {
  return `${r.start}\u2013${r.end}`;
}

export function formatRanges(rs: TimeRange[]): string {
  return rs.map(formatRange).join(', ');
}

/** The text of a day's row: hours, or "Chiuso", or the holiday's name; an exception's note added. */
export function formatDayHours(d: DayHours): string {
  let s: string;
  if (!d.closed && d.intervals.length > 0) s = formatRanges(d.intervals);
  else if (d.holiday) s = `${t('offices.closed')} · ${d.holiday}`;
  else s = t('offices.closed');
  if (d.note) s += ` (${d.note})`;
  return s;
}

/**
 * A day name for an instant relative to today (in `tz`): "domani" for tomorrow, the weekday
 * within 6 days, else the full date.
 */
function dayPhrase(instant: string, now: string, tz: string): string {
  const day = localDate(instant, tz);
  const diff = daysBetween(localDate(now, tz), day);
  if (diff === 1) return t('status.tomorrow');
  if (diff >= 0 && diff <= 6) return formatWeekday(day);
  return fmt({ timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' })
    .format(dateAtNoon(day))
    .replace(',', '');
}

/** "Aperto ora · chiude alle 19:00" / "Chiuso · apre domani alle 08:00" / "… apre lunedì alle 08:00". */
export function describeStatus(status: OpenStatus, now: string, tz: string): string {
  const today = localDate(now, tz);
  if (status.open) {
    if (!status.closes_at) return t('status.open');
    const time = formatTime(status.closes_at, tz);
    const closeDay = localDate(status.closes_at, tz);
    if (closeDay === today) return t('status.openUntil', { time });
    // Closing at the midnight that ends today reads "chiude alle 24:00".
    if (time === '00:00' && daysBetween(today, closeDay) === 1)
      return t('status.openUntil', { time: '24:00' });
    return t('status.openUntilDay', { day: dayPhrase(status.closes_at, now, tz), time });
  }
  if (!status.next_opens_at) return t('status.closed');
  const time = formatTime(status.next_opens_at, tz);
  if (localDate(status.next_opens_at, tz) === today) return t('status.opensToday', { time });
  return t('status.opensDay', { day: dayPhrase(status.next_opens_at, now, tz), time });
}
