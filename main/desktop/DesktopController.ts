import { HostAction, type CallStateReport, type ShortcutAction } from '../../protocol/ipc';
import type { IncomingCall } from '../../protocol/incomingIpc';
import { describeDeepLink, parseDeepLink } from '../deepLink/deepLink';
import type { CallAlerts } from '../incoming/CallAlerts';
import type { TrayController } from '../tray/TrayController';

export interface MainWindowPort {
  isVisible(): boolean;
  isFocused(): boolean;
  /** Shows, restores and focuses the window. */
  show(): void;
  hide(): void;
}

/** Sends one validated action to the main window's renderer; false when there is no window. */
export type HostActionSender = (action: HostAction) => boolean;

export class IncomingRefusedError extends Error {
  constructor(reason: string) {
    super(`incoming-call window refused: ${reason}`);
    this.name = 'IncomingRefusedError';
  }
}

export const idleReport: CallStateReport = {
  phase: 'idle',
  callId: null,
  peer: null,
  media: null,
  muted: false,
  endedAs: null,
  e2ee: null,
  group: null,
};

/**
 * Main's picture of the call, fed by the renderer's reports, and the one place that turns tray
 * clicks, shortcuts, deep links and the incoming window into host actions for the renderer.
 */
export class DesktopController {
  private call: CallStateReport = idleReport;
  private missedCalls = 0;
  /** The renderer listens for actions once it has reported state; a deep link may come earlier. */
  private rendererReady = false;
  private queued: HostAction[] = [];
  private quitting = false;

  constructor(
    private readonly ports: {
      mainWindow: MainWindowPort;
      tray: TrayController;
      alerts: CallAlerts;
      sendHostAction: HostActionSender;
      closeToTray(): boolean;
      log(message: string): void;
    },
  ) {}

  start(): void {
    this.refreshTray();
  }

  report(next: CallStateReport): void {
    const previous = this.call;
    this.call = next;
    this.ports.alerts.report(previous, next);
    if (!this.rendererReady) {
      this.rendererReady = true;
      for (const action of this.queued.splice(0)) this.ports.sendHostAction(action);
    }
    this.refreshTray();
  }

  countMissedCall(): void {
    this.missedCalls += 1;
    this.refreshTray();
  }

  /** The user is looking at the app again: missed calls are seen. */
  mainWindowAttended(): void {
    this.missedCalls = 0;
    this.refreshTray();
  }

  /** Shown or hidden: the tray's Show/Hide item follows. */
  mainWindowVisibilityChanged(): void {
    this.refreshTray();
  }

  /** Quitting (tray menu, OS log-out) really closes the window instead of hiding it. */
  beginQuit(): void {
    this.quitting = true;
  }

  /** The user closed the main window: true when it was hidden to the tray instead. */
  closeRequested(): boolean {
    if (this.quitting || !this.ports.closeToTray()) return false;
    this.ports.mainWindow.hide();
    this.refreshTray();
    return true;
  }

  toggleMainWindow(): void {
    const { mainWindow } = this.ports;
    if (mainWindow.isVisible() && mainWindow.isFocused()) mainWindow.hide();
    else mainWindow.show();
    this.refreshTray();
  }

  shortcutPressed(action: ShortcutAction): void {
    const { phase, callId } = this.call;
    const inCall = phase === 'in_call';
    switch (action) {
      // Mute and hang up name the call reported (1:1 or group): the renderer acts on no other.
      case 'toggleMute':
        if (inCall && callId) this.hostAction({ kind: 'toggleMute', callId });
        return;
      case 'hangUp':
        if ((inCall || phase === 'outgoing') && callId) this.hostAction({ kind: 'hangUp', callId });
        return;
      case 'acceptCall':
        // Audio only: a key pressed without looking must never switch the camera on.
        if (phase === 'incoming') this.answer({ kind: 'acceptCall', media: 'audio' });
        return;
      case 'declineCall':
        if (phase === 'incoming') this.answer({ kind: 'declineCall' });
        return;
    }
  }

  deepLink(url: string): void {
    const link = parseDeepLink(url);
    this.ports.log(describeDeepLink(link));
    if (link.kind === 'ignored') return;
    this.ports.mainWindow.show();
    this.hostAction(
      link.kind === 'callUser'
        ? { kind: 'callUser', username: link.username }
        : { kind: 'openCallLink', token: link.token },
    );
  }

  incomingCall(): IncomingCall | null {
    return this.ports.alerts.incomingCall();
  }

  acceptFromIncomingWindow(choice: { callId: string; media: 'audio' | 'video' }): void {
    this.requireRinging(choice.callId);
    this.answer({ kind: 'acceptCall', media: choice.media });
  }

  declineFromIncomingWindow(choice: { callId: string }): void {
    this.requireRinging(choice.callId);
    this.answer({ kind: 'declineCall' });
  }

  hostAction(action: HostAction): void {
    const valid = HostAction.parse(action);
    if (!this.rendererReady) {
      this.queued.push(valid);
      return;
    }
    if (!this.ports.sendHostAction(valid))
      this.ports.log(`no window for host action ${valid.kind}`);
  }

  private requireRinging(callId: string): void {
    const ringing = this.ports.alerts.incomingCall();
    if (!ringing || ringing.callId !== callId || this.call.phase !== 'incoming') {
      throw new IncomingRefusedError('that call is not ringing');
    }
  }

  /** Accepting or declining silences the ring at once and brings the app forward for a call. */
  private answer(action: HostAction): void {
    this.ports.alerts.stopRinging();
    if (action.kind === 'acceptCall') this.ports.mainWindow.show();
    this.hostAction(action);
  }

  private refreshTray(): void {
    this.ports.tray.show({
      call: this.call,
      missedCalls: this.missedCalls,
      windowVisible: this.ports.mainWindow.isVisible(),
    });
  }
}
