import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import { CallEngine } from '../call/CallEngine';
import { LocalMedia, openCamera, openChosenInputs } from '../call/LocalMedia';
import { iceNetwork } from '../call/iceConfiguration';
import { DevicesModel } from '../devices/DevicesModel';
import { LinkApprovalModel } from '../devices/LinkApprovalModel';
import { NewDeviceLinkModel } from '../devices/NewDeviceLinkModel';
import type { Host } from '../host/Host';
import { CallIdentityGuard } from '../identity/CallIdentityGuard';
import { ContactPageModel } from '../identity/ContactPageModel';
import { PinsModel } from '../identity/PinsModel';
import { SafetyNumbers } from '../identity/SafetyNumbers';
import type { NotificationHandlers } from '../signaling/serverMessageHandlers';
import { SignalingClient } from '../signaling/SignalingClient';
import { openBrowserSocket } from '../signaling/SignalingSocket';
import { DesktopIntegration } from '../desktop/DesktopIntegration';
import { answerRingingCall, routeCallActions } from '../desktop/HostActionHandler';
import { WebCallAlerts } from '../web/WebCallAlerts';
import { DevicePreferences } from '../media/DevicePreferences';
import { DeviceSettingsModel, type MediaAccessRules } from '../media/DeviceSettingsModel';
import { CallTones } from '../media/CallTones';
import { CallViewModes } from '../media/CallViewModes';
import { browserFromUserAgent, desktopOs, type MediaRemedy } from '../media/mediaRemedy';
import { ScreenShareModel } from '../media/ScreenShareModel';
import { CallController } from './CallController';
import { callLinkUrls } from './callLinkUrls';
import { CallPrivacy } from './CallPrivacy';
import { currentCallMedia } from './currentCallMedia';
import { currentCallOf, type CurrentCall } from './CurrentCall';
import { GroupCallMediaMemory, groupCallMediaStorage } from './GroupCallMediaMemory';
import type { InviteContact } from './inviteCandidates';
import { CallLogModel } from './CallLogModel';
import { ProfileModel } from './ProfileModel';
import { RoomClient } from './RoomClient';
import { SignOutModel } from './SignOutModel';
import { ContactsModel } from './ContactsModel';
import { SessionModel } from './SessionModel';

export type HomeTab = 'contacts' | 'call_log' | 'devices' | 'settings';
/** What a narrow window shows over the navigation, with a back control. */
export type NarrowPane = 'contact' | 'new_call' | 'settings';

/** The composition root: one of each view model, wired to one signaling connection. */
export class AppModel {
  readonly tab = signal<HomeTab>('contacts');
  /** The new-call pane, which a narrow window opens on request (a wide one always shows it). */
  readonly newCallOpen = signal(false);
  /** In a narrow window (one column, navigation first): the pane open over the navigation. */
  readonly narrowPane = computed<NarrowPane | null>(() => {
    const tab = this.tab.value;
    if (tab === 'settings') return 'settings';
    if (tab !== 'contacts') return null;
    if (this.contactPage.username.value) return 'contact';
    return this.newCallOpen.value ? 'new_call' : null;
  });
  readonly client: SignalingClient;
  readonly session: SessionModel;
  readonly contacts: ContactsModel;
  readonly profile: ProfileModel;
  readonly signOut: SignOutModel;
  readonly callLog: CallLogModel;
  readonly calls: CallController;
  /** Group calls: the mirror of the server's Room. */
  readonly rooms: RoomClient;
  /**
   * The call the user is in, whichever kind: what the screen, the tray, mute and hang up, the
   * device settings and screen share act on.
   */
  readonly currentCall: ReadonlySignal<CurrentCall | null>;
  /** Who may be called or invited into a group call: the contacts, without blocked people. */
  readonly groupCallContacts = computed<InviteContact[]>(() =>
    this.contacts.contacts.value
      .filter((c) => !this.contacts.blocked.value.includes(c.username))
      .map(({ username, displayName }) => ({ username, displayName })),
  );
  readonly pins: PinsModel;
  readonly safetyNumbers: SafetyNumbers;
  readonly identityGuard: CallIdentityGuard;
  readonly contactPage: ContactPageModel;
  readonly devices: DevicesModel;
  readonly linkApproval: LinkApprovalModel;
  readonly deviceSettings: DeviceSettingsModel;
  readonly screenShare: ScreenShareModel;
  readonly desktopIntegration: DesktopIntegration;
  /** The web client's ringtone and ringing tab (the desktop app's main does that itself). */
  readonly webCallAlerts: WebCallAlerts | null;
  private readonly callTones: CallTones;
  readonly callViewModes: CallViewModes;
  /** STUN/TURN servers and the relay-only setting. */
  readonly callPrivacy: CallPrivacy;
  /** Direct or relayed, over which transport: for the in-call details. */
  /** How to fix the input that stopped the last call (shown with its notice); null otherwise. */
  readonly callMediaRemedy = signal<MediaRemedy | null>(null);
  /** A call offered by the desktop (deep link), waiting for the user to confirm it. */
  readonly callOffer = signal<string | null>(null);
  private devicesStarted = false;
  /** The call link the web page was opened with, opened once signed in. */
  private pendingCallLink: string | null = null;
  /** The newest call's engine, which fresh TURN credentials reach too. */
  private liveEngine: CallEngine | null = null;

  constructor(
    readonly host: Host,
    serverUrl: string,
  ) {
    // Taken before anything else reads the address: the token leaves the address bar at once.
    this.pendingCallLink = host.tabs?.takeCallLink() ?? null;
    const notifications: NotificationHandlers = {
      presence: (m) => this.contacts.onPresence(m),
      'contact.renamed': (m) => this.contacts.onRenamed(m),
      'ice.servers': (m) => {
        this.callPrivacy.useIceServers(m.ice);
        this.liveEngine?.useIceServers(iceNetwork(m.ice, false).iceServers ?? []);
      },
      // Another device of ours removed entries: what this one shows is out of date.
      'calllog.changed': () => void this.callLog.load(),
      'link.approved': (m) => this.session.newDeviceLink.onApproved(m),
      'link.rejected': (m) => this.session.newDeviceLink.onRejected(m),
      'session.revoked': () => void this.session.onRevoked(),
      error: (m) => this.calls.onCallError(m),
      call: (m) => {
        if (m.type === 'call.invite') this.identityGuard.onInvite(m);
        void this.calls.onNotice(m);
      },
      room: (m) => this.rooms.onNotice(m),
    };
    this.client = new SignalingClient({
      url: serverUrl,
      openSocket: openBrowserSocket,
      notifications,
      features: ['rooms'],
      // A 1:1 call ringing here counts too: reconnecting fast may still save it.
      inCall: () => this.currentCall.peek() !== null || this.calls.view.peek().kind === 'incoming',
      onSession: (session) => {
        this.callPrivacy.useIceServers(session.ice);
        this.callPrivacy.load(session.user.username);
        this.session.onSession(session);
        this.calls.onSessionCalls(session.calls, session.stream.resumed);
        this.rooms.onSessionCalls(session.calls);
        void this.pins.load();
        void this.safetyNumbers.loadSelf(session.user.username);
        void this.devices.load();
        void this.contacts.load();
        void this.contacts.loadBlocked();
        void this.callLog.load();
        const callLink = this.pendingCallLink;
        this.pendingCallLink = null;
        if (callLink) void this.rooms.links.open(callLink);
        if (!this.devicesStarted) {
          this.devicesStarted = true;
          this.deviceSettings.start(session.user.username);
        }
      },
      // Presence stays as last known while reconnecting: the server keeps an away device
      // present for its grace period, and the contacts reload after the next sign-in.
      onDisconnected: (reconnecting) => {
        if (reconnecting) {
          this.calls.onDisconnected();
          this.rooms.onDisconnected();
          return;
        }
        this.calls.onSignedOut();
        this.rooms.onSignedOut();
      },
      onAuthRejected: (error) => void this.session.onSignInRefused(error),
      onReplaced: () => {
        this.openTab('contacts');
        this.session.onReplaced();
      },
    });
    this.session = new SessionModel(host, this.client, new NewDeviceLinkModel(host));
    this.contacts = new ContactsModel(this.client);
    this.profile = new ProfileModel(this.client, this.session);
    this.callLog = new CallLogModel(this.client);
    this.pins = new PinsModel(host);
    this.safetyNumbers = new SafetyNumbers(this.client);
    this.contactPage = new ContactPageModel(this.pins);
    this.devices = new DevicesModel(this.client);
    this.signOut = new SignOutModel(this.client, this.devices, this.session);
    this.linkApproval = new LinkApprovalModel({
      host,
      signaling: this.client,
      devices: this.devices,
      selfUsername: () => this.session.user.value?.username ?? null,
    });
    // Trust on first use: a contact's root key is pinned the first time this device sees it.
    effect(() => void this.pins.pinAllNew(this.contacts.contacts.value));
    this.identityGuard = new CallIdentityGuard({
      pins: this.pins,
      knownIdentity: (username) => {
        const contact = this.contacts.byUsername(username);
        return contact && { displayName: contact.displayName, identityKey: contact.identityKey };
      },
      placeCall: (username, media) => this.calls.call(username, media),
    });
    this.callPrivacy = new CallPrivacy(
      window.localStorage,
      (username) => this.contacts.byUsername(username) !== null,
    );
    this.calls = new CallController({
      signaling: this.client,
      openMedia: (media, events) =>
        LocalMedia.open(media, this.deviceSettings.callInputs(), events),
      openEngine: (_media, local, events) => {
        // The view names the peer of the call being placed or answered.
        const view = this.calls.view.value;
        const network = this.callPrivacy.networkFor(view.kind === 'idle' ? '' : view.peer.username);
        const inputs = this.deviceSettings.callInputs();
        const engine = new CallEngine(local, events, network, () => inputs);
        this.liveEngine = engine;
        return engine;
      },
      preconnectEngine: (peerUsername, local, events) => {
        const network = this.callPrivacy.preconnectNetworkFor(peerUsername);
        if (!network) return null;
        const engine = new CallEngine(local, events, network, () =>
          this.deviceSettings.callInputs(),
        );
        this.liveEngine = engine;
        return engine;
      },
      // Pins go through the pins view model, so a root pinned in the call path shows at once.
      identity: {
        getAccount: () => host.getAccount(),
        signCallKeyShare: (input) => host.signCallKeyShare(input),
        getPins: () => this.pins.getPins(),
        putPin: (pin) => this.pins.putPin(pin),
      },
      knownPeer: (username) => this.contacts.find(username),
      lookupPeer: (username) => this.contacts.lookup(username),
      onCallEnded: () => {
        this.rooms.oneToOneEnded();
        this.openTab('contacts');
        void this.callLog.load();
      },
      onWaitingCallEnded: (callId, how) => {
        if (how === 'missed' && this.tab.peek() !== 'call_log') this.callLog.noteMissed(callId);
        void this.callLog.load();
      },
      // In a call grown into a group call, the group call's own copy of the track reports it.
      onLocalTrackEnded: (kind) => {
        if (this.currentCall.peek()?.kind !== 'group') void this.deviceSettings.onTrackEnded(kind);
      },
      // A grown call still on p2p: its group side follows its 1:1 connection's rejoin.
      onRejoined: (callId) => this.rooms.oneToOneBack(callId),
      onPeerRejoined: (callId) => this.rooms.peerRejoined(callId),
      now: () => Date.now(),
    });
    const streams = new WeakMap<MediaStreamTrack, MediaStream>();
    this.rooms = new RoomClient({
      signaling: this.client,
      rooms: computed(() => this.client.features.value.includes('rooms')),
      keysHost: {
        getAccount: () => host.getAccount(),
        signMemberKeyShare: (input) => host.signMemberKeyShare(input),
        getPins: () => this.pins.getPins(),
        putPin: (pin) => this.pins.putPin(pin),
      },
      // The SFU is the server: its ICE candidates tell it nothing it does not know already.
      // Loaded on first use: mediasoup-client nearly doubles the first load, and most calls are 1:1.
      openPath: async (signaling, events) => {
        const { SfuPath } = await import('../call/SfuPath');
        return new SfuPath(signaling, events, this.callPrivacy.networkFor('').iceServers ?? []);
      },
      localTracks: async (media) => {
        const stream = await openChosenInputs(
          true,
          media === 'video',
          this.deviceSettings.callInputs(),
        );
        return {
          microphone: stream.getAudioTracks()[0] ?? null,
          camera: stream.getVideoTracks()[0] ?? null,
        };
      },
      openCamera: () => openCamera(this.deviceSettings.callInputs()),
      linkUrls: (token) => callLinkUrls(serverUrl, token),
      oneToOneCall: () => this.calls.growable(),
      self: () => this.safetyNumbers.self.peek(),
      mediaMemory: new GroupCallMediaMemory(
        groupCallMediaStorage(host.kind, {
          local: window.localStorage,
          session: window.sessionStorage,
        }),
      ),
      streamOf: (track) => {
        const stream = streams.get(track) ?? new MediaStream([track]);
        streams.set(track, stream);
        return stream;
      },
      selfView: (tracks) => new MediaStream(tracks),
      inputEnded: (kind) => void this.deviceSettings.onTrackEnded(kind),
      now: () => Date.now(),
    });
    // A group call over for us is in the call log now.
    effect(() => {
      if (this.rooms.ended.value) void this.callLog.load();
    });
    this.currentCall = currentCallOf(this.calls, this.rooms);
    this.deviceSettings = new DeviceSettingsModel(
      new DevicePreferences(window.localStorage),
      currentCallMedia(() => this.currentCall.value?.member ?? null),
      mediaAccessRules(host),
    );
    effect(() => {
      const failed = this.calls.failedInput.value;
      this.callMediaRemedy.value = failed && this.deviceSettings.remedyFor(failed);
    });
    this.screenShare = new ScreenShareModel(() => this.currentCall.peek()?.member ?? null);
    this.callViewModes = new CallViewModes(this.calls, () =>
      document.querySelector<HTMLVideoElement>('video.remote-video'),
    );
    this.callTones = new CallTones(
      this.calls,
      computed(() => this.deviceSettings.choice.value.speaker),
    );
    this.desktopIntegration = new DesktopIntegration(
      this.currentCall,
      this.calls,
      this.rooms,
      {
        ...routeCallActions(() => this.currentCall.peek()),
        ...answerRingingCall(
          {
            ringing: () => this.calls.view.value.kind === 'incoming',
            accept: (media) => void this.calls.accept(media),
            decline: () => this.calls.decline(),
          },
          {
            ringing: () => this.rooms.incoming.value !== null,
            accept: (media) => void this.rooms.join(media),
            decline: () => this.rooms.decline(),
          },
        ),
        openSettings: () => this.openTab('settings'),
        offerCall: (username) => {
          this.callOffer.value = username;
          this.contactPage.close();
          this.tab.value = 'contacts';
        },
        openCallLink: (token) => void this.rooms.links.open(token),
      },
      host.desktop,
    );
    this.webCallAlerts =
      host.kind === 'web'
        ? new WebCallAlerts(this.calls, this.rooms.incoming, this.rooms.inviteEnded)
        : null;
    host.tabs?.whenTakenAway(() => this.leaveForOtherTab());
    effect(() => {
      const ended = this.calls.machine.value.lastEnded;
      if (ended?.reason !== 'missed') return;
      // Missed while the log is open: it shows there at once, seen.
      if (this.tab.peek() === 'call_log') void this.callLog.load();
      else this.callLog.noteMissed(ended.callId);
    });
  }

  openTab(tab: HomeTab): void {
    this.tab.value = tab;
    if (tab === 'call_log') this.callLog.markSeen();
    if (tab === 'settings') void this.deviceSettings.openPreview().catch(() => undefined);
    else this.deviceSettings.closePreview();
  }

  openContact(username: string): void {
    this.newCallOpen.value = false;
    this.contactPage.open(username);
  }

  openNewCall(): void {
    this.openTab('contacts');
    this.contactPage.close();
    this.newCallOpen.value = true;
  }

  /** A narrow window's back control: back to the navigation. */
  closeNarrowPane(): void {
    const pane = this.narrowPane.value;
    if (pane === 'contact') this.contactPage.close();
    else if (pane === 'new_call') this.newCallOpen.value = false;
    else if (pane === 'settings') this.openTab('contacts');
  }

  /**
   * Another tab of this browser took the account, as WhatsApp Web does: a call in this tab ends
   * (its peer is told it was hung up), the camera preview closes, and the connection goes.
   */
  private leaveForOtherTab(): void {
    const view = this.calls.view.value;
    const callWith =
      view.kind === 'idle' || view.kind === 'incoming' ? null : view.peer.displayName;
    this.calls.hangup();
    this.openTab('contacts');
    this.session.leaveForOtherTab(callWith);
  }

  /** "Try again" on a failed call's remedy: requests the input again; the remedy goes once it opens. */
  async retryCallMedia(): Promise<void> {
    const remedy = this.callMediaRemedy.peek();
    if (remedy) this.callMediaRemedy.value = await this.deviceSettings.recheck(remedy.input);
  }

  start(): Promise<void> {
    this.desktopIntegration.start();
    this.webCallAlerts?.start();
    this.callTones.start();
    this.callViewModes.start();
    return this.session.start();
  }
}

/** Whose rules the camera and microphone follow here: the desktop's OS, or the browser. */
function mediaAccessRules(host: Host): MediaAccessRules {
  const desktop = host.desktop;
  if (!desktop) {
    return { gatekeeper: { kind: 'browser', browser: browserFromUserAgent(navigator.userAgent) } };
  }
  return {
    gatekeeper: { kind: 'desktop', os: desktopOs(desktop.platform) },
    requestSystemAccess: (input) => desktop.requestMediaAccess(input),
  };
}
