import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import {
  errorCodeText,
  type CallMedia,
  type LiveCall,
  type MemberKeyShare,
  type RoomInvitation,
  type RoomMember,
  type ServerMessageOf,
} from '../../protocol';
import { applyRosterEvent } from '../../protocol/roomRoster';
import { safetyNumber, safetyNumberGroups, type SafetyNumberParty } from '../identity/safetyNumber';
import type { RoomKeysHost, VerifiedMember } from '../keys/RoomKeys';
import type { RoomNotice } from '../signaling/serverMessageHandlers';
import type { ActiveCall } from './ActiveCall';
import type { GroupCallMediaMemory, OwnMediaSwitches } from './GroupCallMediaMemory';
import type { GrowingCall } from './growingCall';
import type { CallLayout, GroupCallActions, GroupCallView, TileSize } from './groupCallView';
import { groupCallViewOf } from './groupCallViewOf';
import { RoomCallLinks } from './RoomCallLinks';
import { RoomRejoin } from './RoomRejoin';
import type { GroupRejoinFailure } from './groupRejoinFailure';
import {
  grownCallState,
  roomCallStateOf,
  speakerChanged,
  speakerLeft,
  type RoomCallState,
  type UserSummary,
} from './roomCallState';
import { roomFailureText } from './roomFailureText';
import { RoomKeyExchange } from './RoomKeyExchange';
import type { LocalTracks } from '../call/LocalMedia';
import { GroupCallOwnMedia } from './localMember/GroupCallOwnMedia';
import type { LocalMember, OpenInput } from './localMember/LocalMember';
import { type OpenRoomMediaPath, RoomMedia } from './RoomMedia';
import { dispatchRoomNotice, type RoomNoticeHandlers } from './roomNotices';
import { RoomRequests, type RoomSignaling } from './RoomRequests';
import { RoomWorkerKeys } from './RoomWorkerKeys';

/** A group call ringing on this device (room.invite), not yet joined. */
export type IncomingRoomInvite = Omit<ServerMessageOf<'room.invite'>, 'v' | 'type' | 'seq'>;

/** How a group call stopped ringing here, as main's tray and missed-call count take it. */
export interface RoomInviteEnded {
  invite: IncomingRoomInvite;
  endedAs: 'answered' | 'declined' | 'missed' | 'other';
}

/** A call that stops ringing without us: the one that rang till the end (or ended) is missed. */
const inviteEndedAs = {
  answered_elsewhere: 'answered',
  declined: 'declined',
  timeout: 'missed',
  ended: 'missed',
} as const satisfies Record<
  ServerMessageOf<'room.invite_ended'>['reason'],
  RoomInviteEnded['endedAs']
>;

/** Why this device is no longer in a group call. */
export type RoomEndReason =
  /** We left. */
  | 'left'
  /** The call ended for everyone (one member was left). */
  | 'ended'
  /** The server said we left (our device was removed, or our place lapsed). */
  | 'removed'
  /** Back from a drop, the server no longer had the call: it ended while we were away. */
  | 'connection_lost'
  /**
   * The server moved the call to the SFU before three verified members were ever in it: the
   * client refuses, or a server could take any 1:1 call off its DTLS-bound path.
   */
  | 'sfu_refused';

export interface RoomClientDeps {
  signaling: RoomSignaling;
  /** Whether this connection negotiated `rooms` with the server. */
  rooms: ReadonlySignal<boolean>;
  /** Signs our member shares and keeps the pins members' roots are checked against. */
  keysHost: RoomKeysHost;
  openPath: OpenRoomMediaPath;
  localTracks(media: CallMedia): Promise<LocalTracks>;
  /** Opens a microphone or camera chosen mid-call (default: the browser's getUserMedia). */
  openInput?: OpenInput;
  /** Opens the camera the device settings chose, turned on mid-call; throws MediaAccessError. */
  openCamera(): Promise<MediaStreamTrack>;
  /** The two addresses of a call link (`https://<server>/call/<token>`, `parley://call-link/<token>`). */
  linkUrls(token: string): { url: string; deepLink: string };
  streamOf(track: MediaStreamTrack): MediaStream;
  /** Our microphone and camera as one stream: the self view the device settings preview. */
  selfView(tracks: MediaStreamTrack[]): MediaStream;
  now(): number;
  /** How long a rotation waits for acks before switching (docs: 2 s); tests shorten it. */
  rotationSwitchMs?: number;
  /** A grown call's 1:1 connection's safety bound (PATH_SWITCH_SAFETY_MS); tests shorten it. */
  pathSwitchSafetyMs?: number;
  /** The answered 1:1 call under way, which inviting someone grows into a group call. */
  oneToOneCall(): GrowingCall | null;
  /** Our own root key as the server's record of us gives it (safety numbers of a grown call). */
  self(): SafetyNumberParty | null;
  /** Our microphone or camera ended by itself (unplugged) during the call. */
  inputEnded(kind: 'audio' | 'video'): void;
  /** Our microphone and camera in the call, kept for a reloaded page's rejoin (none: not kept). */
  mediaMemory?: Pick<GroupCallMediaMemory, 'remember' | 'recall' | 'forget'>;
}

/**
 * The client's mirror of the server's Room (docs/protocol.md "Group calls"): one handler per
 * `room.*` notice (`handlers`), one request or notice per action (RoomRequests), the roster folded
 * with the same reducer the server uses, the invitations, the path, the active speaker and the
 * end; keys through RoomKeyExchange, media through RoomMedia. The call screen reads `view` and
 * calls `actions`.
 */
export class RoomClient {
  /** The group call ringing here, if any. */
  readonly incoming = signal<IncomingRoomInvite | null>(null);
  /** The last group call that stopped ringing here, and how. */
  readonly inviteEnded = signal<RoomInviteEnded | null>(null);
  /** How the last group call ended for us (null while in one, or before any). */
  readonly ended = signal<{ callId: string; reason: RoomEndReason } | null>(null);
  /** The last failed action, in words (null when the last one worked). */
  readonly error = signal<string | null>(null);
  /** A grown call's group side that could not be rejoined after a reload: its 1:1 call goes on. */
  readonly groupRejoinFailure: ReadonlySignal<GroupRejoinFailure | null>;
  /** Call links: made, revoked and answered by the creator; opened and joined by anyone. */
  readonly links: RoomCallLinks;
  /** Whether the server carries group calls on this connection. */
  readonly available: ReadonlySignal<boolean>;
  /** Our side of the call: the call screen's switches and the media they drive. */
  private readonly own: GroupCallOwnMedia;
  readonly view: ReadonlySignal<GroupCallView | null>;
  readonly actions: GroupCallActions;
  readonly handlers: RoomNoticeHandlers;

  private readonly requests: RoomRequests;
  private readonly revision = signal(0);
  private readonly layout = signal<CallLayout>('grid');
  private readonly signalingLost = signal(false);
  private room: RoomCallState | null = null;
  private keys: RoomKeyExchange | null = null;
  private media: RoomMedia | null = null;
  private workerKeys = new RoomWorkerKeys();
  /** Work for the call under way (safety numbers), stopped when the call is over for us. */
  private callWork = new AbortController();
  /** The call being created or joined: its notices wait until the reply makes it ours. */
  private entering: { callId: string; notices: RoomNotice[] } | null = null;
  /** A call this device is a member of but has nothing of, taken back by itself. */
  private readonly rejoins: RoomRejoin;
  private ownShareSent = false;
  /** Each tile's size as last reported, kept for the SFU's media however late it starts. */
  private readonly tileSizes = new Map<
    string,
    { slot: number; source: 'camera' | 'screen'; size: TileSize }
  >();

  constructor(private readonly deps: RoomClientDeps) {
    this.requests = new RoomRequests(deps.signaling);
    this.own = new GroupCallOwnMedia({
      call: () => this.room,
      announce: (callId, state) => {
        this.requests.media(callId, state);
        deps.mediaMemory?.remember(callId, state);
      },
      restored: (callId) => this.restored(callId),
      localTracks: (media) => deps.localTracks(media),
      openInput: deps.openInput,
      openCamera: () => deps.openCamera(),
      selfView: (tracks) => deps.selfView(tracks),
      inputEnded: (kind) => deps.inputEnded(kind),
      changed: () => this.changed(),
      logError: logMediaError,
    });
    this.rejoins = new RoomRejoin({
      free: () => !this.room && !this.entering,
      rooms: () => this.available.peek(),
      oneToOneCall: () => deps.oneToOneCall(),
      rejoin: (callId, media, taking) => this.rejoin(callId, media, taking),
      bridgeAgain: (call, state) => this.bridgeAgain(call, state),
      leave: (callId) => this.requests.leave(callId),
      mediaMemory: deps.mediaMemory,
    });
    this.groupRejoinFailure = this.rejoins.failure;
    this.links = new RoomCallLinks({
      requests: this.requests,
      room: () => this.room,
      changed: () => this.changed(),
      outcome: (error) => void (this.error.value = error === null ? null : roomFailureText(error)),
    });
    this.available = deps.rooms;
    // Our connection came back (rooms negotiated on the new one) during a call through the SFU:
    // we are `joined` again, and make our transports again for the media to follow.
    let hadRooms = deps.rooms.peek();
    effect(() => {
      const hasRooms = deps.rooms.value;
      if (hasRooms && !hadRooms) {
        void this.media?.startOver().catch(logMediaError);
        this.rejoins.roomsBack();
      }
      hadRooms = hasRooms;
    });
    this.view = computed(() => {
      void this.revision.value;
      const room = this.room;
      if (!room) return null;
      const media = this.media;
      const own = this.own;
      return groupCallViewOf(room, {
        layout: this.layout.value,
        ownMedia: own.state,
        ownTrack: (source) => own.track(source),
        remoteTrack: (slot, source) => media?.trackOf(slot, source) ?? null,
        mediaDown: media?.reconnecting ?? false,
        now: this.deps.now(),
        streamOf: deps.streamOf,
        linkUrls: deps.linkUrls,
        reconnecting: this.signalingLost.value ? 'signaling' : media?.reconnecting ? 'media' : null,
      });
    });
    this.actions = {
      leave: () => this.leave(),
      invite: (usernames) => void this.invite(usernames),
      setLayout: (layout) => void (this.layout.value = layout),
      tileResized: (slot, source, size) => void this.tileResized(slot, source, size),
      createLink: (approval) => void this.links.create(approval),
      revokeLink: () => void this.links.revoke(),
      admit: (username, admit) => void this.links.admit(username, admit),
    };
    this.handlers = {
      'room.invite': (m) => this.onInvite(m),
      'room.invite_ended': (m) => {
        if (this.incoming.value?.callId === m.callId) this.stopRinging(inviteEndedAs[m.reason]);
      },
      'room.invitation': (m) => {
        if (!this.room) void this.grow(m.callId, [m]);
        else this.inCall(m, (room) => this.onInvitation(room, m.invitation));
      },
      'room.member_joined': (m) => this.inCall(m, (room) => this.onMemberJoined(room, m.member)),
      'room.member_state': (m) =>
        this.inCall(m, (room) => {
          const kind = m.state === 'reconnecting' ? 'member_reconnecting' : 'member_back';
          room.roster = applyRosterEvent(room.roster, { kind, slot: m.slot });
        }),
      'room.member_left': (m) => this.inCall(m, (room) => this.onMemberLeft(room, m.slot)),
      'room.ended': (m) => this.inCall(m, () => this.finish('ended')),
      'room.path': (m) => this.inCall(m, (room) => this.onPath(room, m.path)),
      'room.media': (m) =>
        this.inCall(m, (room) => room.activeCall.members.remote.get(m.slot)?.said(m)),
      'room.carried': (m) => this.inCall(m, (room) => room.activeCall.paths.peerReceivesUs(m.slot)),
      'room.speaker': (m) => this.inCall(m, (room) => speakerChanged(room, m.slot)),
      'room.share': (m) =>
        this.inCall(m, (room) => {
          const member = room.members.get(m.slot);
          if (!member || m.slot === room.ownSlot) return;
          void this.keys?.shareReceived(member, m.share);
        }),
      'room.key': (m) => this.inCall(m, () => void this.keys?.keyReceived(m.key)),
      'room.key_ack': (m) => this.inCall(m, () => this.keys?.ackReceived(m.slot, m.generation)),
      'room.consumer': (m) =>
        this.inCall(m, (room) => {
          if (!room.members.has(m.slot) || m.slot === room.ownSlot) return;
          const { callId: _callId, v: _v, type: _type, seq: _seq, ...offer } = m;
          void this.media?.consume(offer).catch(logMediaError);
        }),
      'room.consumer_closed': (m) => this.inCall(m, () => this.media?.consumerClosed(m.consumerId)),
      'room.sfu_lost': (m) =>
        this.inCall(m, () => void this.media?.startOver().catch(logMediaError)),
      'room.knock': (m) => this.inCall(m, (room) => this.links.knock(room, m.user)),
      'room.knock_refused': (m) => {
        if (this.links.refused(m.callId)) {
          this.error.value = 'The person who made this call did not let you in.';
        }
      },
    };
  }

  /** Every group-call notice from the signaling layer comes here (AppModel's `room` handler). */
  onNotice(notice: RoomNotice): void {
    const entering = this.entering;
    if (entering && 'callId' in notice && notice.callId === entering.callId && !this.room) {
      entering.notices.push(notice);
      return;
    }
    dispatchRoomNotice(this.handlers, notice);
  }

  /** Starts a group call (through the SFU from the start) and invites `usernames` into it. */
  async create(media: CallMedia, usernames: readonly string[]): Promise<void> {
    if (!this.canStart()) return;
    const callId = crypto.randomUUID();
    await this.enter(callId, 0, media, true, (share) => this.requests.create(callId, media, share));
    if (this.room?.callId === callId) await this.invite(usernames);
  }

  /**
   * Joins the group call ringing here, with the call's media unless asked otherwise (a shortcut
   * pressed without looking joins with audio only).
   */
  async join(media?: CallMedia): Promise<void> {
    const invite = this.incoming.value;
    if (!invite || !this.canStart()) return;
    this.stopRinging('answered');
    const { callId, slot } = invite;
    await this.enter(callId, slot, media ?? invite.media, false, (share) =>
      this.requests.join(callId, share),
    );
  }

  /**
   * Every sign-in lists the calls this device is a member of. One on the SFU that this client
   * has no room for (the page was reloaded, the app restarted: keys, share and transports are
   * gone) is rejoined by itself, without a prompt, with the call's media as a join has it, as
   * soon as this connection negotiated `rooms` (docs/protocol.md "Leaving and the end"). A grown
   * call still on p2p is taken back once its 1:1 connection is (`oneToOneBack`). Only the tab
   * that uses the device signs in, so another tab of the same browser never does this.
   */
  onSessionCalls(calls: readonly LiveCall[]): void {
    this.signalingLost.value = false;
    const room = this.room;
    // A call this page is in that the server no longer lists ended while we were away.
    if (room && !calls.some((call) => call.callId === room.callId)) {
      this.finish('connection_lost');
      return;
    }
    if (room || this.entering) return;
    // Left here while the server had not heard yet (a leave waiting in the outbox).
    this.rejoins.listed(calls, this.ended.peek()?.callId ?? null);
  }

  /**
   * The 1:1 call this page rejoined after a reload is back (CallController): a grown call still
   * on p2p that waited for it is taken back now.
   */
  oneToOneBack(callId: string): void {
    this.rejoins.oneToOneBack(callId);
  }

  /**
   * The other party of our grown call, still on p2p, came back after a reload (its call.rejoin
   * verified): the server dropped its member share, so we forget ours of it and verify its next
   * one as a first one (docs/protocol.md "Rejoining a grown call still on p2p").
   */
  peerRejoined(callId: string): void {
    const room = this.room;
    const slot = room?.activeCall.paths.bridged?.peer.slot;
    if (room?.callId !== callId || room.path !== 'p2p' || slot === undefined) return;
    const member = room.members.get(slot);
    if (member) room.members.set(slot, { ...member, share: null });
    room.activeCall.members.remote.get(slot)?.forgetVerification();
    void this.keys?.shareDropped(slot);
    this.changed();
  }

  /**
   * Our microphone and camera as they were before the reload that this call was rejoined after
   * (the call screen's buttons start from them); null when it was not, or nothing was kept.
   */
  restored(callId: string): OwnMediaSwitches | null {
    return this.rejoins.restored(callId);
  }

  /** The user read why the group call could not be rejoined. */
  dismissGroupRejoinFailure(): void {
    this.rejoins.dismissFailure();
  }

  /** The notice of how the last group call ended goes (the user dismissed it). */
  dismissEnded(): void {
    this.ended.value = null;
  }

  /** Declines the group call ringing here (all of our devices stop ringing). */
  decline(): void {
    const invite = this.incoming.value;
    if (!invite) return;
    this.stopRinging('declined');
    this.requests.decline(invite.callId);
  }

  /** Leaves the call; the others go on (a grown call still 1:1 hangs up, as a 1:1 call does). */
  leave(): void {
    const room = this.room;
    if (!room) return;
    const bridged = room.activeCall.paths.bridged;
    if (room.path === 'p2p' && bridged) {
      bridged.hangUp();
      return;
    }
    this.requests.leave(room.callId);
    this.finish('left');
  }

  /** The 1:1 call ended before it moved to the SFU: the group call it was growing into goes too. */
  oneToOneEnded(): void {
    this.rejoins.oneToOneEnded();
    const room = this.room;
    if (!room?.activeCall.paths.bridged || room.path !== 'p2p') return;
    room.activeCall.paths.forgetRetiring();
    this.finish(null);
  }

  /**
   * Rings each of `usernames` into the call (growing the 1:1 call under way into a group call
   * when there is no group call); a refusal is said in `error`.
   */
  async invite(usernames: readonly string[]): Promise<void> {
    if (!this.room && !(await this.grow(null, []))) return;
    let failure: string | null = null;
    for (const username of usernames) {
      const room = this.room;
      if (!room) return;
      try {
        await this.requests.invite(room.callId, username);
      } catch (error) {
        failure = roomFailureText(error);
      }
    }
    this.error.value = failure;
  }

  /** Joins through the link whose preview is shown (its Join button). */
  async joinPreviewedLink(): Promise<void> {
    if (this.canStart()) await this.links.joinPreviewed();
  }

  /** People knocking through our call's link. */
  get knocks(): readonly UserSummary[] {
    void this.revision.value;
    return this.room?.knocks ?? [];
  }

  /**
   * The signaling connection dropped and is coming back: the call goes on (its media goes through
   * the SFU, and the server keeps our place for the reconnect grace), and says so.
   */
  onDisconnected(): void {
    this.signalingLost.value = true;
  }

  /** The connection dropped for good (signed out): the call is over for this device. */
  onSignedOut(): void {
    this.signalingLost.value = false;
    if (this.room) this.finish('left');
    if (this.incoming.value) this.stopRinging('other');
  }

  /**
   * Our side of the call: the call screen's switches, told to the others as room.media (a grown
   * call's are the 1:1 call's, handed on whole).
   */
  get member(): LocalMember {
    return this.own.member;
  }

  /** Waits until the key steps queued so far have run (tests). */
  async keysSettled(): Promise<void> {
    await this.keys?.settled();
  }

  private async tileResized(
    slot: number,
    source: 'camera' | 'screen',
    size: TileSize | null,
  ): Promise<void> {
    const key = `${slot} ${source}`;
    if (size) this.tileSizes.set(key, { slot, source, size });
    else this.tileSizes.delete(key);
    await this.media?.tileResized(slot, source, size).catch(logMediaError);
  }

  private canStart(): boolean {
    if (!this.available.value) {
      this.error.value = errorCodeText.sfu_unavailable;
      return false;
    }
    if (this.room || this.entering) {
      this.error.value = errorCodeText.already_in_call;
      return false;
    }
    return true;
  }

  /**
   * Makes our keys for the call, asks to create or join it with our share, and takes the room
   * state the reply carries. Notices for the call that come before the reply wait for it.
   */
  private async enter(
    callId: string,
    slot: number,
    media: CallMedia,
    createdHere: boolean,
    ask: (share: MemberKeyShare) => Promise<ServerMessageOf<'room'>>,
  ): Promise<void> {
    const failure = await this.enterWith(callId, media, createdHere, async (started) => {
      const keys = started(await this.startKeys(callId, slot));
      return { keys, state: await ask(await keys.ownShare()) };
    });
    if (failure) this.error.value = roomFailureText(failure.error);
  }

  /**
   * Enters the call with room.rejoin: the server gives us a slot, then our new share for it goes
   * to the others before any key of ours, so they can verify us first.
   */
  private rejoin(
    callId: string,
    media: CallMedia,
    taking?: (state: ServerMessageOf<'room'>) => ActiveCall<LocalMember>,
  ): Promise<{ error: unknown } | null> {
    return this.enterWith(
      callId,
      media,
      false,
      async (started) => {
        const state = await this.requests.rejoin(callId);
        const keys = started(await this.startKeys(callId, state.slot));
        this.requests.share(callId, await keys.ownShare());
        return { keys, state };
      },
      taking,
    );
  }

  /**
   * A grown call taken back after a reload (RoomRejoin): the group call holds the rejoined 1:1
   * call, the same ActiveCall (its members and media go on), and its 1:1 connection bridges again,
   * or, on the SFU in a new slot, the pair layer detaches at once.
   */
  private bridgeAgain(call: GrowingCall, state: ServerMessageOf<'room'>): ActiveCall<LocalMember> {
    const { activeCall } = call;
    // Held here before the 1:1 side lets go (detach), so its camera and microphone go on.
    this.own.enter(activeCall, call.callId, call.media);
    if (state.slot !== call.ownSlot) {
      // The SFU carries the call already: nothing is bridged, the 1:1 connection simply goes.
      activeCall.paths.switchToSfu(() => this.requests.carried(call.callId));
      call.detach();
      return activeCall;
    }
    // Its peer is the 1:1 call's member, in its slot, before the room state's members join.
    activeCall.members.peerIn(call.peer.slot);
    activeCall.paths.bridge(call, () => this.changed());
    this.ownShareSent = true;
    return activeCall;
  }

  /**
   * Runs `open` (which makes our keys, handing them to `started`, and gets the room state), then
   * takes that state (after `taking`, which may set up what the state's notices need); the call's
   * notices that come meanwhile wait for it. Resolves with null, or with why it failed (the keys
   * it made are closed then).
   */
  private async enterWith(
    callId: string,
    media: CallMedia,
    createdHere: boolean,
    open: (
      started: (keys: RoomKeyExchange) => RoomKeyExchange,
    ) => Promise<{ keys: RoomKeyExchange; state: ServerMessageOf<'room'> }>,
    taking?: (state: ServerMessageOf<'room'>) => ActiveCall<LocalMember>,
  ): Promise<{ error: unknown } | null> {
    this.entering = { callId, notices: [] };
    const made: RoomKeyExchange[] = [];
    let opened: { keys: RoomKeyExchange; state: ServerMessageOf<'room'> };
    try {
      opened = await open((keys) => {
        made.push(keys);
        return keys;
      });
    } catch (error) {
      for (const keys of made) keys.close();
      this.entering = null;
      return { error };
    }
    const { keys, state } = opened;
    const waiting = this.entering.notices;
    this.entering = null;
    this.error.value = null;
    this.ended.value = null;
    const activeCall = taking?.(state) ?? this.own.newCall(callId, media);
    this.takeState(roomCallStateOf(state, createdHere, activeCall), state, keys, media);
    for (const notice of waiting) dispatchRoomNotice(this.handlers, notice);
    return null;
  }

  /** Our keys for a call we enter in `slot`, their worker keys new. */
  private startKeys(callId: string, slot: number): Promise<RoomKeyExchange> {
    this.workerKeys = new RoomWorkerKeys();
    return RoomKeyExchange.start(callId, slot, {
      requests: this.requests,
      host: this.deps.keysHost,
      workerKeys: this.workerKeys,
      events: {
        verified: (member) => void this.onVerified(callId, member),
        refused: (refused) => this.onRefused(callId, refused),
        keyInstalled: (from) => void this.media?.keyInstalled(from).catch(logMediaError),
      },
      now: this.deps.now,
      rotationSwitchMs: this.deps.rotationSwitchMs,
    });
  }

  /**
   * The answered 1:1 call under way becomes our group call (docs/protocol.md "Inviting"): we
   * invite someone into it (`callId` null), or the server tells us of an invitation in it. Our
   * member share goes once the first invitation rings; the 1:1 connection carries the media until
   * the SFU does. `waiting`: the notices that found it, applied once it is ours. False when there
   * is no such call to grow.
   */
  private async grow(callId: string | null, waiting: RoomNotice[]): Promise<boolean> {
    const call = this.deps.oneToOneCall();
    if (!call || (callId !== null && call.callId !== callId)) return false;
    // Back after a reload: the room state of our rejoin says what these notices would.
    if (this.rejoins.waitingFor(call.callId)) return false;
    if (!this.available.value) {
      this.error.value = errorCodeText.sfu_unavailable;
      return false;
    }
    if (this.entering?.callId === call.callId) {
      this.entering.notices.push(...waiting);
      return false;
    }
    if (this.room || this.entering) return false;
    this.entering = { callId: call.callId, notices: [...waiting] };
    let keys: RoomKeyExchange;
    let account: Awaited<ReturnType<RoomKeysHost['getAccount']>>;
    try {
      keys = await this.startKeys(call.callId, call.ownSlot);
      account = await this.deps.keysHost.getAccount();
      if (!account) throw new Error('Sign in before inviting anyone');
    } catch (error) {
      this.entering = null;
      this.error.value = roomFailureText(error);
      return false;
    }
    const notices = this.entering.notices;
    this.entering = null;
    if (this.deps.oneToOneCall()?.callId !== call.callId) {
      keys.close();
      return false;
    }
    const { username, displayName, deviceId } = account;
    this.room = grownCallState(call, { user: { username, displayName }, deviceId });
    this.keys = keys;
    call.activeCall.paths.bridge(call, () => this.changed());
    this.ownShareSent = false;
    this.error.value = null;
    this.ended.value = null;
    keys.refreshShares(() => (this.room?.roster.length ?? 0) > 1);
    // The group call holds the 1:1 call: its media and our member, ready at once, as there.
    this.own.enter(call.activeCall, call.callId, call.media);
    this.changed();
    for (const notice of notices) dispatchRoomNotice(this.handlers, notice);
    return true;
  }

  private takeState(
    room: RoomCallState,
    state: ServerMessageOf<'room'>,
    keys: RoomKeyExchange,
    media: CallMedia,
  ): void {
    this.room = room;
    this.keys = keys;
    void keys.membersPresent(state.members);
    keys.refreshShares(() => (this.room?.roster.length ?? 0) > 1);
    if (state.path === 'sfu') this.startMedia(media);
    this.changed();
  }

  private startMedia(media: CallMedia): void {
    const room = this.room;
    if (!room || this.media) return;
    const { callId } = room;
    const roomMedia = new RoomMedia({
      callId,
      requests: this.requests,
      openPath: this.deps.openPath,
      workerKeys: this.workerKeys,
      local: this.own.forSfu(callId, media),
      hasKey: (slot) => this.workerKeys.hasReceiveKey(slot),
      framesCounted: (senders) =>
        room.activeCall.members.remote.framesCounted(senders, this.deps.now()),
      pathStartsOver: () => room.activeCall.members.remote.pathStartsOver(),
      changed: () => {
        room.activeCall.paths.framesThroughSfu();
        this.changed();
      },
    });
    this.media = roomMedia;
    // Tiles shown before the SFU's media started (a grown call's) are sized already.
    for (const { slot, source, size } of this.tileSizes.values()) {
      void roomMedia.tileResized(slot, source, size).catch(logMediaError);
    }
    void roomMedia.start().catch(logMediaError);
  }

  private onInvite(invite: ServerMessageOf<'room.invite'>): void {
    // A device already in a call, or already ringing, is busy: the server rings no such device.
    if (this.room || this.entering || this.incoming.value) return;
    const { v: _v, type: _type, seq: _seq, ...incoming } = invite;
    this.incoming.value = incoming;
    if (this.links.takeInvite(invite.callId)) void this.join();
  }

  private stopRinging(endedAs: RoomInviteEnded['endedAs']): void {
    const invite = this.incoming.value;
    if (!invite) return;
    batch(() => {
      this.incoming.value = null;
      this.inviteEnded.value = { invite, endedAs };
    });
  }

  private onMemberJoined(room: RoomCallState, member: RoomMember): void {
    if (room.members.has(member.slot) || member.slot === room.ownSlot) return;
    const { slot, user, deviceId } = member;
    room.roster = applyRosterEvent(room.roster, { kind: 'member_joined', slot, user, deviceId });
    room.members.set(slot, member);
    room.activeCall.members.remote.joined(slot);
    void this.keys?.memberJoined(member);
  }

  private onMemberLeft(room: RoomCallState, slot: number): void {
    if (slot === room.ownSlot) {
      this.finish('removed');
      return;
    }
    if (!room.members.has(slot)) return;
    room.roster = applyRosterEvent(room.roster, { kind: 'member_left', slot });
    room.members.delete(slot);
    room.activeCall.members.remote.left(slot);
    speakerLeft(room, slot);
    void this.keys?.memberLeft(slot);
    // The grown call's peer left while its 1:1 connection bridged: nothing is left to bridge.
    const { paths } = room.activeCall;
    if (paths.bridged?.peer.slot === slot && room.path === 'sfu') paths.closeRetiring();
  }

  /** An invitation changed; the first to ring in a grown call sends our member share. */
  private onInvitation(room: RoomCallState, invitation: RoomInvitation): void {
    upsertInvitation(room, invitation);
    const keys = this.keys;
    const bridging = room.activeCall.paths.bridged !== null;
    if (!bridging || this.ownShareSent || invitation.state !== 'ringing' || !keys) return;
    this.ownShareSent = true;
    void keys
      .ownShare()
      .then((share) => this.requests.share(room.callId, share))
      .catch((error: unknown) => console.error('parley: our member share', error));
  }

  private onPath(room: RoomCallState, path: RoomCallState['path']): void {
    if (path === room.path) return;
    // The third member's share may still be being verified: its verdict counts.
    const keys = this.keys;
    if (path === 'sfu' && room.verifiedEver.size < 3 && keys) {
      void keys.settled().then(() => {
        if (this.room === room) this.takePath(room, path);
      });
      return;
    }
    this.takePath(room, path);
  }

  private takePath(room: RoomCallState, path: RoomCallState['path']): void {
    if (path === room.path) return;
    if (path === 'sfu' && room.verifiedEver.size < 3) {
      console.warn('parley: refused the SFU for a call that never had three verified members');
      this.requests.leave(room.callId);
      this.finish('sfu_refused');
      return;
    }
    room.path = path;
    if (path !== 'sfu') return;
    const { callId } = room;
    room.activeCall.paths.switchToSfu(
      () => this.requests.carried(callId),
      this.deps.pathSwitchSafetyMs,
    );
    this.startMedia(room.media);
    this.changed();
  }

  private async onVerified(callId: string, member: VerifiedMember): Promise<void> {
    const room = this.room;
    const remote =
      room?.callId === callId ? room.activeCall.members.remote.get(member.slot) : undefined;
    if (!room || !remote) return;
    remote.verified(member.identity.pin === 'changed');
    room.verifiedEver.add(member.slot);
    this.changed();
    const own = room.members.get(room.ownSlot);
    const ownRoot = own?.identity[0]?.identityKey;
    // A grown call's room state came from no server reply: our root is the server's record of us.
    const self = own && ownRoot ? { username: own.user.username, identityKey: ownRoot } : null;
    const party = self ?? this.deps.self();
    if (!party) return;
    const stopped = this.callWork.signal;
    const digits = await safetyNumber(
      party,
      { username: member.username, identityKey: member.identity.rootKey },
      stopped,
    ).catch((error: unknown) => {
      if (stopped.aborted) return null;
      throw error;
    });
    const stillThere =
      this.room === room && room.activeCall.members.remote.get(member.slot) === remote;
    if (digits === null || !stillThere) return;
    remote.safetyNumber = safetyNumberGroups(digits).join(' ');
    this.changed();
  }

  private onRefused(callId: string, slot: number): void {
    const room = this.room;
    const remote = room?.callId === callId ? room.activeCall.members.remote.get(slot) : undefined;
    if (!remote) return;
    console.warn(`parley: the member in slot ${slot} did not verify: it gets none of our keys`);
    remote.refused();
    this.changed();
  }

  /** Runs a notice's change when it is about our current call, then refreshes the view. */
  private inCall(notice: { callId: string }, change: (room: RoomCallState) => void): void {
    const room = this.room;
    if (!room || room.callId !== notice.callId) return;
    change(room);
    this.changed();
  }

  /** The call is over for us; `reason` null: it was never more than a 1:1 call, nothing to say. */
  private finish(reason: RoomEndReason | null): void {
    const room = this.room;
    if (!room) return;
    room.activeCall.paths.closeRetiring();
    this.keys?.close();
    this.media?.close();
    this.own.close();
    this.callWork.abort();
    this.callWork = new AbortController();
    this.keys = null;
    this.media = null;
    this.room = null;
    this.tileSizes.clear();
    this.deps.mediaMemory?.forget();
    this.rejoins.callEnded();
    if (reason) this.ended.value = { callId: room.callId, reason };
    this.changed();
  }

  private changed(): void {
    this.revision.value += 1;
    this.own.follow();
  }
}

function upsertInvitation(room: RoomCallState, invitation: RoomInvitation): void {
  const index = room.invitations.findIndex((i) => i.user.username === invitation.user.username);
  if (index < 0) room.invitations.push(invitation);
  else room.invitations[index] = invitation;
}

function logMediaError(error: unknown): void {
  console.error('parley: group-call media', error);
}
