import {
  MAX_ROOM_INVITATIONS,
  type CallMedia,
  type CallOutcome,
  type GroupCallPerson,
} from '../../protocol';
import type { CallLogView } from './CallLogStore';

/**
 * One call with more than two people as one user's call log shows it (docs/protocol.md, "Call
 * log"): like a 1:1 entry, from that user's side, plus the others in the call. Pure: the store
 * reads the rows, this decides what they mean to the user.
 */
export interface GroupCallRow {
  callId: string;
  /** Who started it: the creator of a group call, the caller of a 1:1 call that grew. */
  creatorId: number;
  media: CallMedia;
  startedAt: number;
  endedAt: number;
}

interface Person {
  userId: number;
  username: string;
  displayName: string;
}

export interface ParticipantRow extends Person {
  joinedAt: number;
  leftAt: number | null;
}

/** How an invitation ended (`joined` once a device joined); null while it rang at a stop. */
export type InvitationOutcome =
  | 'joined'
  | 'declined'
  | 'busy'
  | 'cancelled'
  | 'timeout'
  | 'connection_lost'
  | null;

export interface InvitationRow extends Person {
  invitedBy: number;
  invitedAt: number;
  state: InvitationOutcome;
  closedAt: number | null;
}

/**
 * The entry of `call` in the log of `userId`, who was in it or rung into it; null when the call
 * has nobody else to show (a group call its creator left before inviting anyone).
 */
export function groupCallLogView(
  userId: number,
  call: GroupCallRow,
  participants: readonly ParticipantRow[],
  invitations: readonly InvitationRow[],
): CallLogView | null {
  const others = othersOf(userId, participants, invitations);
  if (others.length === 0) return null;
  const direction = call.creatorId === userId ? 'outgoing' : 'incoming';
  const own = participants.filter((p) => p.userId === userId);
  const lastInvitation = invitations.filter((i) => i.userId === userId).at(-1);
  const peerId = direction === 'incoming' ? (lastInvitation?.invitedBy ?? call.creatorId) : null;
  const peer =
    [...participants, ...invitations].find((p) => p.userId === peerId) ??
    others.find((p) => p.joined) ??
    others[0]!;
  const base = {
    callId: call.callId,
    direction,
    peer: { username: peer.username, displayName: peer.displayName },
    media: call.media,
    startedAt: call.startedAt,
    count: 1,
    group: { others },
  } as const;
  if (own.length === 0) {
    return {
      ...base,
      outcome: invitationOutcome(lastInvitation?.state ?? null),
      answeredAt: null,
      endedAt: lastInvitation?.closedAt ?? call.endedAt,
      durationMs: 0,
    };
  }
  // The user's time in the call: from their first join to their last leave.
  const from = Math.min(...own.map((p) => p.joinedAt));
  const to = Math.max(...own.map((p) => p.leftAt ?? call.endedAt));
  const together = participants.filter(
    (p) => p.userId !== userId && p.joinedAt <= to && (p.leftAt ?? call.endedAt) >= from,
  );
  if (together.length === 0) {
    // Nobody came while they were there: what became of the people they (or anyone) rang.
    const theirs = invitations.filter((i) => i.invitedBy === userId);
    return {
      ...base,
      outcome: unansweredOutcome(theirs.length > 0 ? theirs : invitations),
      answeredAt: null,
      endedAt: to,
      durationMs: 0,
    };
  }
  const answeredAt = Math.max(from, Math.min(...together.map((p) => p.joinedAt)));
  return {
    ...base,
    outcome: 'answered',
    answeredAt,
    endedAt: to,
    durationMs: Math.max(0, to - answeredAt),
  };
}

/** Everyone but the user, once each, in the order they came in (joined or rung). */
function othersOf(
  userId: number,
  participants: readonly ParticipantRow[],
  invitations: readonly InvitationRow[],
): GroupCallPerson[] {
  const joined = new Set(participants.map((p) => p.userId));
  const arrivals = [
    ...participants.map((p) => ({ at: p.joinedAt, person: p })),
    ...invitations.map((i) => ({ at: i.invitedAt, person: i })),
  ].sort((a, b) => a.at - b.at);
  const others = new Map<number, GroupCallPerson>();
  for (const { person } of arrivals) {
    if (person.userId === userId || others.has(person.userId)) continue;
    others.set(person.userId, {
      username: person.username,
      displayName: person.displayName,
      joined: joined.has(person.userId),
    });
  }
  return [...others.values()].slice(0, MAX_ROOM_INVITATIONS);
}

/** An invited user who never joined: as a 1:1 callee's log says it. */
function invitationOutcome(state: InvitationOutcome): CallOutcome {
  switch (state) {
    case 'declined':
    case 'busy':
    case 'cancelled':
      return state;
    default:
      return 'missed';
  }
}

/** A member nobody joined: declined or busy when everyone rung was, cancelled if it gave up. */
function unansweredOutcome(invitations: readonly InvitationRow[]): CallOutcome {
  const states = invitations.map((i) => i.state);
  if (states.length === 0 || states.includes('cancelled')) return 'cancelled';
  if (states.every((state) => state === 'declined')) return 'declined';
  if (states.every((state) => state === 'busy')) return 'busy';
  return 'missed';
}
