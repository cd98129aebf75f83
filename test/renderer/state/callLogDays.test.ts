import type { CallLogEntry } from '../../../renderer/state/CallLogModel';
import { callLogDays } from '../../../renderer/state/callLogDays';

/** An entry that started at `iso` (the rest does not matter to the grouping). */
function startedAt(iso: string, callId = iso): CallLogEntry {
  const ms = Date.parse(iso);
  return {
    callId,
    direction: 'incoming',
    peer: { username: 'bob', displayName: 'Bob' },
    media: 'audio',
    outcome: 'answered',
    startedAt: ms,
    answeredAt: ms,
    endedAt: ms + 60_000,
    durationMs: 60_000,
    count: 1,
  };
}

const headings = (days: ReturnType<typeof callLogDays>) =>
  days.map((d) => [d.heading, d.entries.map((e) => e.callId)]);

// Wednesday 10 June 2026, 09:30 in Berlin (07:30 UTC).
const now = Date.parse('2026-06-10T07:30:00Z');
const berlin = { now, locale: 'en-GB', timeZone: 'Europe/Berlin' };

describe('the call log grouped by day', () => {
  test('today, yesterday, weekday names for the last week, then dates', () => {
    const entries = [
      startedAt('2026-06-10T07:00:00Z', 'this morning'),
      startedAt('2026-06-09T22:30:00Z', 'just after midnight'), // 00:30 on the 10th in Berlin
      startedAt('2026-06-09T21:30:00Z', 'late yesterday'), // 23:30 on the 9th in Berlin
      startedAt('2026-06-09T08:00:00Z', 'yesterday morning'),
      startedAt('2026-06-08T12:00:00Z', 'monday'),
      startedAt('2026-06-04T12:00:00Z', 'thursday a week ago'),
      startedAt('2026-06-03T12:00:00Z', 'a week ago'),
      startedAt('2026-05-20T12:00:00Z', 'in may'),
    ];
    expect(headings(callLogDays(entries, berlin))).toEqual([
      ['Today', ['this morning', 'just after midnight']],
      ['Yesterday', ['late yesterday', 'yesterday morning']],
      ['Monday', ['monday']],
      ['Thursday', ['thursday a week ago']],
      // Seven days back would read as the coming Wednesday: a date instead.
      ['3 June', ['a week ago']],
      ['20 May', ['in may']],
    ]);
  });

  test('the day is the one of the time zone used, not of UTC', () => {
    const entries = [startedAt('2026-06-09T22:30:00Z', 'call')];
    // 00:30 on the 10th in Berlin; 18:30 on the 9th in New York, where it is 03:30 on the 10th.
    expect(headings(callLogDays(entries, berlin))).toEqual([['Today', ['call']]]);
    expect(
      headings(callLogDays(entries, { now, locale: 'en-US', timeZone: 'America/New_York' })),
    ).toEqual([['Yesterday', ['call']]]);
  });

  test("weekdays and dates in the user's language; a date of another year shows the year", () => {
    const entries = [
      startedAt('2026-06-07T12:00:00Z', 'sunday'),
      startedAt('2026-01-15T12:00:00Z', 'january'),
      startedAt('2025-12-24T12:00:00Z', 'last year'),
    ];
    expect(
      headings(callLogDays(entries, { now, locale: 'de-DE', timeZone: 'Europe/Berlin' })),
    ).toEqual([
      ['Sonntag', ['sunday']],
      ['15. Januar', ['january']],
      ['24. Dezember 2025', ['last year']],
    ]);
    expect(
      headings(callLogDays(entries, { now, locale: 'en-US', timeZone: 'America/New_York' })),
    ).toEqual([
      ['Sunday', ['sunday']],
      ['January 15', ['january']],
      ['December 24, 2025', ['last year']],
    ]);
  });

  test('a call dated a little after now (a clock ahead of ours) is today; no entries, no days', () => {
    const ahead = startedAt('2026-06-10T07:31:00Z', 'ahead');
    expect(headings(callLogDays([ahead], berlin))).toEqual([['Today', ['ahead']]]);
    expect(callLogDays([], berlin)).toEqual([]);
  });
});
