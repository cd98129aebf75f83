import type { CallLogEntry } from '../../../renderer/state/CallLogModel';
import { callLogOutcomeText, isMissedIncoming } from '../../../renderer/state/callLogText';

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
