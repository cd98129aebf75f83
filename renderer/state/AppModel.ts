import { signal } from '@preact/signals';
import { CallEngine } from '../call/CallEngine';
import type { Host } from '../host/Host';
import type { NotificationHandlers } from '../signaling/serverMessageHandlers';
import { SignalingClient } from '../signaling/SignalingClient';
import { openBrowserSocket } from '../signaling/SignalingSocket';
import { CallController } from './CallController';
import { CallLogModel } from './CallLogModel';
import { ContactsModel } from './ContactsModel';
import { SessionModel } from './SessionModel';

export type HomeTab = 'contacts' | 'call_log';

/** The composition root: one of each view model, wired to one signaling connection. */
export class AppModel {
  readonly tab = signal<HomeTab>('contacts');
  readonly client: SignalingClient;
  readonly session: SessionModel;
  readonly contacts: ContactsModel;
  readonly callLog: CallLogModel;
  readonly calls: CallController;

  constructor(
    readonly host: Host,
    serverUrl: string,
  ) {
    const notifications: NotificationHandlers = {
      presence: (m) => this.contacts.onPresence(m),
      'call.invite': (m) => this.calls.onInvite(m),
      'call.ringing': (m) => this.calls.onRinging(m),
      'call.accept': (m) => void this.calls.onAccept(m),
      'call.decline': (m) => this.calls.onDecline(m),
      'call.busy': (m) => this.calls.onBusy(m),
      'call.cancel': (m) => this.calls.onCancel(m),
      'call.timeout': (m) => this.calls.onTimeout(m),
      'call.hangup': (m) => this.calls.onHangup(m),
      'call.ice': (m) => this.calls.onIce(m),
      'call.media': (m) => this.calls.onMedia(m),
      error: (m) => this.calls.onCallError(m),
    };
    this.client = new SignalingClient({
      url: serverUrl,
      openSocket: openBrowserSocket,
      notifications,
      onSession: (session) => {
        this.session.onSession(session);
        void this.contacts.load();
        void this.callLog.load();
      },
      onDisconnected: () => {
        this.calls.onDisconnected();
        this.contacts.markAllOffline();
      },
      onAuthRejected: (error) => void this.session.onSignInRefused(error),
    });
    this.session = new SessionModel(host, this.client);
    this.contacts = new ContactsModel(this.client);
    this.callLog = new CallLogModel(this.client);
    this.calls = new CallController({
      signaling: this.client,
      openEngine: (media, events) => CallEngine.open(media, events),
      knownPeer: (username) => this.contacts.find(username),
      lookupPeer: (username) => this.contacts.lookup(username),
      onCallEnded: () => {
        this.tab.value = 'contacts';
        void this.callLog.load();
      },
      now: () => Date.now(),
    });
  }

  start(): Promise<void> {
    return this.session.start();
  }
}
