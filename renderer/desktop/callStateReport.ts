import type { CallStateReport } from '../../protocol';
import type { E2eeStatus } from '../call/E2eeStatusTracker';
import type { CallEndReason, CallMachineState, CallView } from '../state/callStateMachine';
import type { CurrentCall } from '../state/CurrentCall';
import type { GroupCallView, ParticipantTile } from '../state/groupCallView';
import type { IncomingRoomInvite, RoomInviteEnded } from '../state/RoomClient';

/** How a call that ended is reported to main: the tray counts missed calls from this. */
export function endedAs(reason: CallEndReason, durationMs: number): CallStateReport['endedAs'] {
  if (reason === 'missed') return 'missed';
  if (reason === 'declined') return 'declined';
  if (durationMs > 0 || reason === 'answered_elsewhere') return 'answered';
  return 'other';
}

/**
 * What main is told of the 1:1 call in this state when it is not the current call: ringing here,
 * or idle (how the last one ended). A current 1:1 call is told by `currentCallReport`, with our
 * microphone and whether the peer decrypts.
 */
export function callStateReport(state: CallMachineState): CallStateReport {
  const { view, lastEnded } = state;
  if (view.kind === 'idle') {
    return {
      phase: 'idle',
      callId: lastEnded?.callId ?? null,
      peer: lastEnded ? { ...lastEnded.peer } : null,
      media: null,
      muted: false,
      endedAs: lastEnded ? endedAs(lastEnded.reason, lastEnded.durationMs) : null,
      e2ee: null,
      group: null,
    };
  }
  return oneToOneCallReport(view, false, null);
}

/** A 1:1 call that is on (dialled, ringing here, connecting or in it), as main is told of it. */
function oneToOneCallReport(
  view: Exclude<CallView, { kind: 'idle' }>,
  muted: boolean,
  e2ee: E2eeStatus | null,
): CallStateReport {
  const phase =
    view.kind === 'outgoing' ? 'outgoing' : view.kind === 'incoming' ? 'incoming' : 'in_call';
  return {
    phase,
    callId: view.callId,
    peer: { username: view.peer.username, displayName: view.peer.displayName },
    media: view.media,
    muted: phase === 'in_call' && muted,
    endedAs: null,
    e2ee: phase === 'in_call' && e2ee ? { audio: e2ee.audio, video: e2ee.video } : null,
    group: null,
  };
}

/** The call we are in (1:1 or group), as main is told of it; `muted` is its member's microphone. */
export function currentCallReport(call: CurrentCall): CallStateReport {
  const muted = call.member.muted.value;
  return call.kind === 'group'
    ? groupCallReport(call.view, muted)
    : oneToOneCallReport(call.view, muted, call.e2ee);
}

/** A group call ringing here, reported as a ringing call from the one inviting. */
function groupInviteReport(invite: IncomingRoomInvite): CallStateReport {
  return {
    phase: 'incoming',
    callId: invite.callId,
    peer: { username: invite.from.username, displayName: invite.from.displayName },
    media: invite.media,
    muted: false,
    endedAs: null,
    e2ee: null,
    group: {
      members: invite.members.map(({ user }) => ({
        username: user.username,
        displayName: user.displayName,
      })),
    },
  };
}

/** The group call that stopped ringing here, as a call back to idle (main counts it if missed). */
function groupInviteEndedReport(ended: RoomInviteEnded): CallStateReport {
  const { from } = ended.invite;
  return {
    phase: 'idle',
    callId: ended.invite.callId,
    peer: { username: from.username, displayName: from.displayName },
    media: null,
    muted: false,
    endedAs: ended.endedAs,
    e2ee: null,
    group: null,
  };
}

/**
 * The others' media in one word, as the tiles say it: failing if any tile can't decrypt, encrypted
 * once anyone's media decrypts, else still negotiating (nobody else yet, or all connecting).
 */
function groupE2ee(others: readonly ParticipantTile[]): CallStateReport['e2ee'] {
  const state = others.some((tile) => tile.state === 'cant_decrypt')
    ? 'decrypt_failed'
    : others.some((tile) => tile.state === 'live')
      ? 'encrypted'
      : 'negotiating';
  return { audio: state, video: state };
}

/**
 * The group call we are in (joined, or a 1:1 call that grew), as main is told of it: `peer` the
 * first of the others (null while alone), `group` everyone else in it, in the order of the call
 * screen's tiles; `muted` our microphone in this call.
 */
export function groupCallReport(view: GroupCallView, muted: boolean): CallStateReport {
  const others = view.tiles.filter((tile) => !tile.self);
  const first = others[0];
  return {
    phase: 'in_call',
    callId: view.callId,
    peer: first ? { username: first.username, displayName: first.displayName } : null,
    media: view.media,
    muted,
    endedAs: null,
    e2ee: groupE2ee(others),
    group: {
      members: others.map(({ username, displayName }) => ({ username, displayName })),
    },
  };
}

/** What is going on with calls here, for main. */
export interface CallsHere {
  /** The call we are in (see CurrentCall); null: none. */
  current: CurrentCall | null;
  /** The 1:1 call outside the current call: ringing here, or idle (how the last one ended). */
  oneToOne: CallMachineState;
  /** The group call ringing here, if any. */
  groupInvite: IncomingRoomInvite | null;
  /** The last group call that stopped ringing here, and how. */
  groupInviteEnded: RoomInviteEnded | null;
}

/**
 * What main is told: the call we are in (a group call takes the window, so it takes the tray
 * too); else a call ringing here, a 1:1 call first as on screen; else how the last call ended
 * (`previous`: what main was told last).
 */
export function reportToMain(calls: CallsHere, previous: CallStateReport | null): CallStateReport {
  if (calls.current) return currentCallReport(calls.current);
  const oneToOne = callStateReport(calls.oneToOne);
  if (oneToOne.phase !== 'idle') return oneToOne;
  if (calls.groupInvite) return groupInviteReport(calls.groupInvite);
  return afterCallReport(oneToOne, calls.groupInviteEnded, previous);
}

/**
 * Right after we left a group call, its end (answered: we were in it, so never a missed call);
 * right after a group call rang (`previous` was its ringing), how it ended; else `oneToOneIdle`,
 * the 1:1 idle report (an old ending is never told twice).
 */
function afterCallReport(
  oneToOneIdle: CallStateReport,
  groupInviteEnded: RoomInviteEnded | null,
  previous: CallStateReport | null,
): CallStateReport {
  if (previous?.phase === 'in_call' && previous.group !== null) {
    return {
      phase: 'idle',
      callId: previous.callId,
      peer: previous.peer,
      media: null,
      muted: false,
      endedAs: 'answered',
      e2ee: null,
      group: null,
    };
  }
  const justRang =
    previous?.phase === 'incoming' &&
    previous.group !== null &&
    previous.callId === groupInviteEnded?.invite.callId;
  return justRang && groupInviteEnded ? groupInviteEndedReport(groupInviteEnded) : oneToOneIdle;
}

/** Whether two reports say the same thing (only changes are sent to main). */
export function sameReport(a: CallStateReport | null, b: CallStateReport): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}
