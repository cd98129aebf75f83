import type { CallStateReport } from '../../protocol';
import type { E2eeStatus } from '../call/E2eeStatusTracker';
import type { CallEndReason, CallMachineState } from '../state/callStateMachine';

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
  };
}

/** Whether two reports say the same thing (only changes are sent to main). */
export function sameReport(a: CallStateReport | null, b: CallStateReport): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}
