import type { CallMedia, HostAction } from '../../protocol';
import type { CurrentCall } from '../state/CurrentCall';

export interface HostActionTargets {
  /** Mutes or unmutes our microphone in this call, if it is the current one. */
  toggleMute(callId: string): void;
  /** Hangs up (or leaves) this call, if it is the current one. */
  hangup(callId: string): void;
  /** The call mute and hang up act on now (the in-window shortcuts name it); null without one. */
  currentCallId(): string | null;
  accept(media: CallMedia): void;
  decline(): void;
  openSettings(): void;
  /**
   * Offers a call to this user for the user to confirm. Never places it: a deep link comes from
   * any web page, and a page must not be able to start a call on its own.
   */
  offerCall(username: string): void;
  /**
   * Shows what a call link leads to (docs/protocol.md "Call links") for the user to join or not.
   * Never joins on its own, for the same reason.
   */
  openCallLink(token: string): void;
}

/** Carries out what main asks for (tray menu, global shortcuts, deep links). */
export function handleHostAction(action: HostAction, targets: HostActionTargets): void {
  switch (action.kind) {
    case 'toggleMute':
      return targets.toggleMute(action.callId);
    case 'hangUp':
      return targets.hangup(action.callId);
    case 'acceptCall':
      return targets.accept(action.media);
    case 'declineCall':
      return targets.decline();
    case 'openSettings':
      return targets.openSettings();
    case 'callUser':
      return targets.offerCall(action.username);
    case 'openCallLink':
      return targets.openCallLink(action.token);
  }
}

/** The answers a ringing call takes: a 1:1 call's, or a group call's (joining is accepting). */
export interface RingingCallAnswers {
  ringing(): boolean;
  accept(media: CallMedia): void;
  decline(): void;
}

/**
 * Accept and decline (from main's incoming window, notification or shortcut) answer the 1:1 call
 * when one rings, else the group call ringing here: the same one main was told rings.
 */
export function answerRingingCall(
  oneToOne: RingingCallAnswers,
  group: RingingCallAnswers,
): Pick<HostActionTargets, 'accept' | 'decline'> {
  const ringing = () => (!oneToOne.ringing() && group.ringing() ? group : oneToOne);
  return {
    accept: (media) => ringing().accept(media),
    decline: () => ringing().decline(),
  };
}

/**
 * Mute and hang up (tray, global and in-window shortcuts) act on the current call (`current`: the
 * one on screen, a group call while we are in one), and only on it: an action naming any other
 * call (a stale menu, a hostile message) changes nothing.
 */
export function routeCallActions(
  current: () => CurrentCall | null,
): Pick<HostActionTargets, 'toggleMute' | 'hangup' | 'currentCallId'> {
  const onCurrent = (callId: string, act: (call: CurrentCall) => void) => {
    const call = current();
    if (call?.callId === callId) act(call);
  };
  return {
    currentCallId: () => current()?.callId ?? null,
    toggleMute: (callId) => onCurrent(callId, (call) => call.member.toggleMute()),
    hangup: (callId) => onCurrent(callId, (call) => call.hangUp()),
  };
}
