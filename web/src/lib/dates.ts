// Dates and times: the server stores instants in UTC; people see them in their own time zone
// (the user's time_zone setting, else the browser's) and in their language's format.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { dateTimeFormat } from './intl';

dayjs.extend(utc);
dayjs.extend(timezone);

// The browser's zone is kept, and a zone is checked with the shared formatter cache
// (lib/intl.ts): every formatted cell asks (through useFormat), and making an
// Intl.DateTimeFormat each time took about a quarter of a list page's rendering.
let browserZone: string | undefined;
export function browserTimeZone(): string {
  if (browserZone === undefined) {
    try {
      browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch {
      browserZone = 'UTC';
    }
  }
  return browserZone;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    dateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function formatDateTime(iso: string | null | undefined, locale: string, tz: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz }).format(d);
}

// A calendar date ("2027-06-15") has no time zone: format it as that same day everywhere.
export function formatDate(date: string | null | undefined, locale: string): string {
  if (!date) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return dateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

export function formatRelative(iso: string, locale: string, now: Date = new Date()): string {
  const diffMs = new Date(iso).getTime() - now.getTime();
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const minutes = Math.round(diffMs / 60000);
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}

// The wall-clock time ("2026-11-24T16:30:00") an instant shows in a time zone; date pickers
// work in wall time.
export function isoToWall(iso: string, tz: string): string {
  return dayjs.utc(iso).tz(tz).format('YYYY-MM-DDTHH:mm:ss');
}

// The instant of a wall-clock time in a time zone, as the UTC string the API stores.
export function wallToIso(wall: string, tz: string): string {
  return dayjs.tz(wall, tz).utc().format('YYYY-MM-DDTHH:mm:ss.SSS[Z]');
}

// Start and end (exclusive) of "today" in a time zone, as UTC instants.
export function todayBounds(tz: string, now: Date = new Date()): { start: string; end: string } {
  const start = dayjs(now).tz(tz).startOf('day');
  return {
    start: start.utc().format('YYYY-MM-DDTHH:mm:ss.SSS[Z]'),
    end: start.add(1, 'day').utc().format('YYYY-MM-DDTHH:mm:ss.SSS[Z]'),
  };
}

export type DueBucket = 'overdue' | 'today' | 'upcoming' | 'noDate';

// Where an open task belongs on "My tasks": overdue once its due time has passed, today when
// due before the end of the user's day.
export function dueBucket(dueAt: string | null | undefined, tz: string, now: Date = new Date()): DueBucket {
  if (!dueAt) return 'noDate';
  const due = new Date(dueAt).getTime();
  if (due < now.getTime()) return 'overdue';
  if (due < new Date(todayBounds(tz, now).end).getTime()) return 'today';
  return 'upcoming';
}

export function nowIso(): string {
  return new Date().toISOString();
}
