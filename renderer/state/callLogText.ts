import { isolateName } from '../../protocol';
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

/** Names a group call's row shows before it counts the rest ("Bob, Carol and 3 others"). */
const NAMED_IN_GROUP_TITLE = 3;

/**
 * Who a call-log row is with: the peer's name for a 1:1 call; for a group call "Group call with
 * Bob, Carol and 2 others", naming those who joined (or, when nobody did, those who were rung),
 * as WhatsApp and Signal title group calls in their call lists. Names are isolated (FSI ... PDI).
 */
export function callLogTitle(entry: CallLogEntry): string {
  if (!entry.group) return isolateName(entry.peer.displayName);
  const joined = entry.group.others.filter((person) => person.joined);
  const people = (joined.length > 0 ? joined : entry.group.others).map((person) =>
    isolateName(person.displayName),
  );
  if (people.length === 1) return `Group call with ${people[0]}`;
  if (people.length <= NAMED_IN_GROUP_TITLE) {
    return `Group call with ${people.slice(0, -1).join(', ')} and ${people.at(-1)}`;
  }
  const named = people.slice(0, NAMED_IN_GROUP_TITLE - 1).join(', ');
  const rest = people.length - (NAMED_IN_GROUP_TITLE - 1);
  return `Group call with ${named} and ${rest} others`;
}
