import type { CallStateReport } from '../../protocol';
import type { E2eeStatus } from '../call/E2eeStatusTracker';
import type { CallEndReason, CallMachineState } from '../state/callStateMachine';
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
 * What main is told of the call in this state; `muted` is our microphone, `e2ee` whether the
 * peer's audio and video decrypt (reported in a call only).
 */
export function callStateReport(
  state: CallMachineState,
  muted: boolean,
  e2ee: E2eeStatus,
): CallStateReport {
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
  const phase =
    view.kind === 'outgoing' ? 'outgoing' : view.kind === 'incoming' ? 'incoming' : 'in_call';
  return {
    phase,
    callId: view.callId,
    peer: { username: view.peer.username, displayName: view.peer.displayName },
    media: view.media,
    muted: phase === 'in_call' && muted,
    endedAs: null,
    e2ee: phase === 'in_call' ? { audio: e2ee.audio, video: e2ee.video } : null,
    group: null,
  };
}

/** A group call ringing here, reported as a ringing call from the one inviting. */
export function groupInviteReport(invite: IncomingRoomInvite): CallStateReport {
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
export function groupInviteEndedReport(ended: RoomInviteEnded): CallStateReport {
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

/**
 * What main is told while a group call is on (it takes the window, so it takes the tray too);
 * right after we left it, its end (answered: we were in it, so never a missed call); else
 * `otherwise`, the report without it.
 */
export function withGroupCall(
  groupCall: CallStateReport | null,
  otherwise: CallStateReport,
  previous: CallStateReport | null,
): CallStateReport {
  if (groupCall) return groupCall;
  const justLeft = previous?.phase === 'in_call' && previous.group !== null;
  if (!justLeft || otherwise.phase !== 'idle') return otherwise;
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

/**
 * What main is told: a 1:1 call while there is one; else a group call ringing here; else, right
 * after a group call rang (`previous` was its ringing), how it ended; else the 1:1 idle report.
 */
export function reportToMain(
  oneToOne: CallStateReport,
  groupInvite: IncomingRoomInvite | null,
  groupInviteEnded: RoomInviteEnded | null,
  previous: CallStateReport | null,
): CallStateReport {
  if (oneToOne.phase !== 'idle') return oneToOne;
  if (groupInvite) return groupInviteReport(groupInvite);
  const justRang =
    previous?.phase === 'incoming' &&
    previous.group !== null &&
    previous.callId === groupInviteEnded?.invite.callId;
  return justRang && groupInviteEnded ? groupInviteEndedReport(groupInviteEnded) : oneToOne;
}

/** Whether two reports say the same thing (only changes are sent to main). */
export function sameReport(a: CallStateReport | null, b: CallStateReport): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}
