import type { CallLogEntry } from '../../../renderer/state/CallLogModel';
import {
  callLogOutcomeText,
  callLogTitle,
  isMissedIncoming,
} from '../../../renderer/state/callLogText';

const entry = (
  direction: CallLogEntry['direction'],
  outcome: CallLogEntry['outcome'],
  durationMs = 0,
): CallLogEntry => ({
  callId: '6f1c1f4e-8a55-4c6b-9d83-2f1f0b7a9e10',
  direction,
  peer: { username: 'bob', displayName: 'Bob Marley' },
  media: 'video',
  outcome,
  startedAt: 1_700_000_000_000,
  answeredAt: outcome === 'answered' ? 1_700_000_002_000 : null,
  endedAt: 1_700_000_002_000 + durationMs,
  durationMs,
  count: 1,
});

describe('call log wording', () => {
  test('an outgoing call nobody answered reads "No answer", not "Missed"', () => {
    expect(callLogOutcomeText(entry('outgoing', 'missed'))).toBe('No answer');
    expect(isMissedIncoming(entry('outgoing', 'missed'))).toBe(false);
  });

  test('to the callee, a call cancelled, unanswered or refused as busy is "Missed"', () => {
    for (const outcome of ['cancelled', 'missed', 'busy'] as const) {
      expect(callLogOutcomeText(entry('incoming', outcome))).toBe('Missed');
      expect(isMissedIncoming(entry('incoming', outcome))).toBe(true);
    }
  });

  test('the caller reads what became of the call; an answered call shows its duration', () => {
    expect(callLogOutcomeText(entry('outgoing', 'declined'))).toBe('Declined');
    expect(callLogOutcomeText(entry('outgoing', 'busy'))).toBe('Busy');
    expect(callLogOutcomeText(entry('outgoing', 'cancelled'))).toBe('Cancelled');
    expect(callLogOutcomeText(entry('incoming', 'declined'))).toBe('Declined');
    expect(callLogOutcomeText(entry('outgoing', 'failed'))).toBe('Failed');
    expect(callLogOutcomeText(entry('incoming', 'failed'))).toBe('Failed');
    expect(callLogOutcomeText(entry('incoming', 'answered', 83_000))).toBe('1:23');
  });
});

describe('a group call in the log', () => {
  const FSI = '\u2068';
  const PDI = '\u2069';
  const named = (name: string) => `${FSI}${name}${PDI}`;
  const person = (name: string, joined = true) => ({
    username: name.toLowerCase(),
    displayName: name,
    joined,
  });
  const group = (
    others: { username: string; displayName: string; joined: boolean }[],
    outcome: CallLogEntry['outcome'] = 'answered',
  ): CallLogEntry => ({ ...entry('incoming', outcome, 60_000), group: { others } });

  test('a 1:1 call is titled by the peer, isolated', () => {
    expect(callLogTitle(entry('incoming', 'answered'))).toBe(named('Bob Marley'));
  });

  test('is titled by those who joined: "Group call with Bob", "with Bob and Carol", "with Bob, Carol and Dan"', () => {
    expect(callLogTitle(group([person('Bob')]))).toBe(`Group call with ${named('Bob')}`);
    expect(callLogTitle(group([person('Bob'), person('Eve', false), person('Carol')]))).toBe(
      `Group call with ${named('Bob')} and ${named('Carol')}`,
    );
    expect(callLogTitle(group([person('Bob'), person('Carol'), person('Dan')]))).toBe(
      `Group call with ${named('Bob')}, ${named('Carol')} and ${named('Dan')}`,
    );
  });

  test('past three people, it names two and counts the rest', () => {
    const others = ['Bob', 'Carol', 'Dan', 'Erin', 'Fay'].map((name) => person(name));
    expect(callLogTitle(group(others))).toBe(
      `Group call with ${named('Bob')}, ${named('Carol')} and 3 others`,
    );
  });

  test('when nobody joined, it names those who were rung', () => {
    const others = [person('Bob', false), person('Carol', false)];
    expect(callLogTitle(group(others, 'missed'))).toBe(
      `Group call with ${named('Bob')} and ${named('Carol')}`,
    );
  });

  test('says how it went as a 1:1 call does: its duration, or missed, declined', () => {
    expect(callLogOutcomeText(group([person('Bob')]))).toBe('1:00');
    expect(callLogOutcomeText(group([person('Bob')], 'missed'))).toBe('Missed');
    expect(callLogOutcomeText(group([person('Bob')], 'declined'))).toBe('Declined');
  });

  test('a name cannot reorder the title: direction controls are taken out', () => {
    const title = callLogTitle(group([person('\u202EevE')]));
    expect(title).toBe(`Group call with ${named('evE')}`);
  });
});
