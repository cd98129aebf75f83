import type { CallLogEntry } from './CallLogModel';

/** The entries of one calendar day, under the heading the log shows for it. */
export interface CallLogDay {
  /** The day, as days since 1970-01-01 in the time zone used: stable across renders. */
  day: number;
  heading: string;
  entries: CallLogEntry[];
}

/** Where and how to read the days: the user's locale and time zone unless given (tests give them). */
export interface DayFormat {
  now: number;
  locale?: string;
  timeZone?: string;
}

const MS_PER_DAY = 86_400_000;
/** Days before today that a weekday name still points to unambiguously. */
const WEEKDAY_NAMES_FOR = 6;

/** The calendar day of `ms` in the time zone, as a day count, so that days compare by subtraction. */
function dayOf(ms: number, timeZone: string | undefined): number {
  // Numeric parts read in a fixed locale: only the time zone decides which day it is.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / MS_PER_DAY;
}

function headingFor(startedAt: number, daysAgo: number, format: DayFormat): string {
  // A call dated after now (a clock ahead of ours) still happened today.
  if (daysAgo <= 0) return 'Today';
  if (daysAgo === 1) return 'Yesterday';
  const { locale, timeZone } = format;
  if (daysAgo <= WEEKDAY_NAMES_FOR) {
    return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long' }).format(startedAt);
  }
  const yearOf = (ms: number) =>
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(ms);
  const sameYear = yearOf(startedAt) === yearOf(format.now);
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(startedAt);
}

/**
 * The log's entries grouped by the calendar day they started on, newest day first, each under
 * "Today", "Yesterday", a weekday name within the last week, or else its date (with the year when
 * it is not this year's), in the user's locale and time zone.
 */
export function callLogDays(entries: readonly CallLogEntry[], format: DayFormat): CallLogDay[] {
  const today = dayOf(format.now, format.timeZone);
  const days = new Map<number, CallLogDay>();
  for (const entry of entries) {
    const day = dayOf(entry.startedAt, format.timeZone);
    let group = days.get(day);
    if (!group) {
      group = { day, heading: headingFor(entry.startedAt, today - day, format), entries: [] };
      days.set(day, group);
    }
    group.entries.push(entry);
  }
  return [...days.values()].sort((a, b) => b.day - a.day);
}
