import type { CallLogEntry } from './CallLogModel';
import { formatDuration } from './callNotice';

/**
 * An incoming call nobody answered or declined: missed, busy (the user was on another call) or
 * cancelled by the caller all read "Missed" to the callee, as on a phone.
 */
export function isMissedIncoming(entry: CallLogEntry): boolean {
  return entry.direction === 'incoming' && ['missed', 'busy', 'cancelled'].includes(entry.outcome);
}

/** How a call-log row says how the call went: its duration when it was answered. */
export function callLogOutcomeText(entry: CallLogEntry): string {
  if (entry.outcome === 'answered') return formatDuration(entry.durationMs);
  if (isMissedIncoming(entry)) return 'Missed';
  switch (entry.outcome) {
    // Nobody picked up a call we made: we missed nothing.
    case 'missed':
      return 'No answer';
    case 'declined':
      return 'Declined';
    case 'busy':
      return 'Busy';
    case 'cancelled':
      return 'Cancelled';
    // Could not go ahead: a device of the callee failed, or the keys did not verify.
    case 'failed':
      return 'Failed';
  }
}
