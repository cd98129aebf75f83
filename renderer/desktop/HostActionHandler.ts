import type { CallMedia, HostAction } from '../../protocol';

export interface HostActionTargets {
  toggleMute(): void;
  hangup(): void;
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
      return targets.toggleMute();
    case 'hangUp':
      return targets.hangup();
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
