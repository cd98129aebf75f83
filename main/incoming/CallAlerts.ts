import type { CallStateReport } from '../../protocol/ipc';
import { groupCallLine, isolateName } from '../../protocol/nameText';
import type { IncomingCall } from '../../protocol/incomingIpc';

export interface NotificationHandle {
  close(): void;
}

/** Native notifications; `onClick` brings the main window forward. */
export interface NotificationPort {
  show(content: { title: string; body: string }, onClick: () => void): NotificationHandle;
}

/** The small always-on-top incoming-call window; it plays the ringtone while it is open. */
export interface IncomingWindowPort {
  open(): void;
  close(): void;
}

export interface AttentionPort {
  /** True when the user is looking at Parley's main window, which then rings by itself. */
  mainWindowHasAttention(): boolean;
  showMainWindow(): void;
}

export interface CallAlertsOptions {
  notifications: NotificationPort;
  incomingWindow: IncomingWindowPort;
  attention: AttentionPort;
  doNotDisturb(): boolean;
  log(message: string): void;
  /** Counts a missed call the user has not seen yet (the tray badge). */
  onMissedCall(): void;
}

/**
 * The display name (isolated) and the username beside it: anyone may choose any display name, so
 * only `@username`, which is unique, says who is really calling.
 */
function callerName(call: CallStateReport): string {
  return call.peer
    ? `${isolateName(call.peer.displayName)} (@${call.peer.username})`
    : 'Unknown caller';
}

/**
 * Decides how a ringing call reaches a user who is not looking at the app: a notification plus
 * the incoming-call window (whose page plays the ringtone) while the call rings, torn down the
 * moment it stops ringing for any reason, and a missed-call notification afterwards.
 * Do-not-disturb silences all of it; the call still shows in the app and in the log.
 */
export class CallAlerts {
  private ringing: IncomingCall | null = null;
  /** The last call an alert was decided for, so a repeated report never rings it twice. */
  private decidedCallId: string | null = null;
  private ringNotification: NotificationHandle | null = null;
  private windowOpen = false;

  constructor(private readonly options: CallAlertsOptions) {}

  /** The call the incoming window shows, while it rings. */
  incomingCall(): IncomingCall | null {
    return this.ringing ? structuredClone(this.ringing) : null;
  }

  report(previous: CallStateReport, next: CallStateReport): void {
    const stillRinging =
      this.ringing !== null && next.phase === 'incoming' && next.callId === this.ringing.callId;
    if (this.ringing && !stillRinging) this.stopRinging();
    if (previous.phase === 'incoming' && next.phase === 'idle' && next.endedAs === 'missed') {
      this.missed(previous);
    }
    if (next.phase === 'incoming' && next.callId !== this.decidedCallId) {
      this.decidedCallId = next.callId;
      this.startRinging(next);
    }
  }

  /** Ends the ringing at once (the user answered in the small window), before main hears back. */
  stopRinging(): void {
    this.ringing = null;
    this.ringNotification?.close();
    this.ringNotification = null;
    if (this.windowOpen) this.options.incomingWindow.close();
    this.windowOpen = false;
  }

  private startRinging(call: CallStateReport): void {
    const { options } = this;
    const name = callerName(call);
    if (!call.callId || !call.peer || !call.media) {
      options.log('incoming call report without call id, caller or media: not ringing');
      return;
    }
    if (options.doNotDisturb()) {
      options.log(`incoming call from ${call.peer.username} during do-not-disturb: not ringing`);
      return;
    }
    if (options.attention.mainWindowHasAttention()) return;
    options.log(`incoming call from ${call.peer.username}: notification and incoming window`);
    this.ringing = { callId: call.callId, peer: call.peer, media: call.media, group: call.group };
    this.ringNotification = options.notifications.show(
      call.group
        ? { title: `${name} invites you`, body: groupCallLine(call.media, call.group.members) }
        : {
            title: `${name} is calling`,
            body: call.media === 'video' ? 'Incoming video call' : 'Incoming voice call',
          },
      () => options.attention.showMainWindow(),
    );
    options.incomingWindow.open();
    this.windowOpen = true;
  }

  private missed(call: CallStateReport): void {
    const { options } = this;
    options.log(`missed call from ${call.peer?.username ?? 'unknown caller'}`);
    if (options.attention.mainWindowHasAttention()) return;
    options.onMissedCall();
    if (options.doNotDisturb()) return;
    options.notifications.show(
      call.group
        ? { title: `Missed group call from ${callerName(call)}`, body: 'Open Parley to call back' }
        : { title: `Missed call from ${callerName(call)}`, body: 'Open Parley to call back' },
      () => options.attention.showMainWindow(),
    );
  }
}
