import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import {
  errorCodeText,
  type CallMedia,
  type MemberKeyShare,
  type RoomInvitation,
  type RoomMember,
  type ServerMessageOf,
} from '../../protocol';
import { applyRosterEvent } from '../../protocol/roomRoster';
import { safetyNumber, safetyNumberGroups } from '../identity/safetyNumber';
import type { RoomKeysHost, VerifiedMember } from '../keys/RoomKeys';
import type { RoomNotice } from '../signaling/serverMessageHandlers';
import type { CallLayout, GroupCallActions, GroupCallView, TileSize } from './groupCallView';
import { groupCallViewOf } from './groupCallViewOf';
import { RoomCallLinks } from './RoomCallLinks';
import {
  roomCallStateOf,
  speakerChanged,
  speakerLeft,
  type RoomCallState,
  type UserSummary,
} from './roomCallState';
import { roomFailureText } from './roomFailureText';
import { RoomKeyExchange } from './RoomKeyExchange';
import { RoomLocalMedia, type LocalTracks } from './RoomLocalMedia';
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
  /** The two addresses of a call link (`https://<server>/call/<token>`, `parley://call-link/<token>`). */
  linkUrls(token: string): { url: string; deepLink: string };
  streamOf(track: MediaStreamTrack): MediaStream;
  now(): number;
  /** How long a rotation waits for acks before switching (docs: 2 s); tests shorten it. */
  rotationSwitchMs?: number;
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
  /** Call links: made, revoked and answered by the creator; opened and joined by anyone. */
  readonly links: RoomCallLinks;
  /** Whether the server carries group calls on this connection. */
  readonly available: ReadonlySignal<boolean>;
  readonly view: ReadonlySignal<GroupCallView | null>;
  readonly actions: GroupCallActions;
  readonly handlers: RoomNoticeHandlers;

  private readonly requests: RoomRequests;
  private readonly revision = signal(0);
  private readonly layout = signal<CallLayout>('grid');
  private room: RoomCallState | null = null;
  private keys: RoomKeyExchange | null = null;
  private media: RoomMedia | null = null;
  private local: RoomLocalMedia | null = null;
  private workerKeys = new RoomWorkerKeys();
  /** The call being created or joined: its notices wait until the reply makes it ours. */
  private entering: { callId: string; notices: RoomNotice[] } | null = null;

  constructor(private readonly deps: RoomClientDeps) {
    this.requests = new RoomRequests(deps.signaling);
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
      if (hasRooms && !hadRooms) void this.media?.startOver().catch(logMediaError);
      hadRooms = hasRooms;
    });
    this.view = computed(() => {
      void this.revision.value;
      const room = this.room;
      if (!room) return null;
      const media = this.media;
      const local = this.local;
      return groupCallViewOf(room, {
        layout: this.layout.value,
        ownMedia: local?.state ?? { audio: false, video: false, screen: false },
        ownTrack: (source) => local?.track(source) ?? null,
        remoteTrack: (slot, source) => media?.trackOf(slot, source) ?? null,
        frames: (slot) => media?.framesOf(slot) ?? null,
        streamOf: deps.streamOf,
        linkUrls: deps.linkUrls,
      });
    });
    this.actions = {
      leave: () => this.leave(),
      invite: (usernames) => void this.invite(usernames),
      setLayout: (layout) => void (this.layout.value = layout),
      tileResized: (slot, source, size) => void this.tileResized(slot, source, size),
      createLink: () => void this.links.create(),
      revokeLink: () => void this.links.revoke(),
    };
    this.handlers = {
      'room.invite': (m) => this.onInvite(m),
      'room.invite_ended': (m) => {
        if (this.incoming.value?.callId === m.callId) this.stopRinging(inviteEndedAs[m.reason]);
      },
      'room.invitation': (m) => this.inCall(m, (room) => upsertInvitation(room, m.invitation)),
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
        this.inCall(m, (room) => {
          if (!room.members.has(m.slot)) return;
          room.memberMedia.set(m.slot, { audio: m.audio, video: m.video, screen: m.screen });
        }),
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
      'room.knock_refused': () => {
        this.links.refused();
        this.error.value = 'The person who made this call did not let you in.';
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

  /** Declines the group call ringing here (all of our devices stop ringing). */
  decline(): void {
    const invite = this.incoming.value;
    if (!invite) return;
    this.stopRinging('declined');
    this.requests.decline(invite.callId);
  }

  /** Leaves the call; the others go on. */
  leave(): void {
    const room = this.room;
    if (!room) return;
    this.requests.leave(room.callId);
    this.finish('left');
  }

  /** Rings each of `usernames` into the call; a refusal is said in `error`. */
  async invite(usernames: readonly string[]): Promise<void> {
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

  /** Joins through a link: the invite that follows is joined at once (after approval, if asked). */
  async joinLink(token: string): Promise<void> {
    if (this.canStart()) await this.links.join(token);
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

  /** The connection dropped for good (signed out): the call is over for this device. */
  onSignedOut(): void {
    if (this.room) this.finish('left');
    if (this.incoming.value) this.stopRinging('other');
  }

  /** Mutes or unmutes our microphone (the others' tiles show it). */
  setMicrophone(on: boolean): void {
    this.local?.setMicrophone(on);
  }

  /** Turns our camera off or on. */
  setCamera(on: boolean): void {
    this.local?.setCamera(on);
  }

  /** Shares a screen (a getDisplayMedia track, owned by the call from now on) as its own producer. */
  async shareScreen(track: MediaStreamTrack): Promise<void> {
    if (!this.local) {
      track.stop();
      return;
    }
    await this.local.shareScreen(track).catch(logMediaError);
  }

  async stopScreenShare(): Promise<void> {
    await this.local?.stopScreenShare().catch(logMediaError);
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
    this.entering = { callId, notices: [] };
    this.workerKeys = new RoomWorkerKeys();
    let keys: RoomKeyExchange | null = null;
    let state: ServerMessageOf<'room'>;
    try {
      keys = await RoomKeyExchange.start(callId, slot, {
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
      state = await ask(await keys.ownShare());
    } catch (error) {
      keys?.close();
      this.entering = null;
      this.error.value = roomFailureText(error);
      return;
    }
    const waiting = this.entering.notices;
    this.entering = null;
    this.error.value = null;
    this.ended.value = null;
    this.takeState(roomCallStateOf(state, createdHere), state, keys, media);
    for (const notice of waiting) dispatchRoomNotice(this.handlers, notice);
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
    const local = new RoomLocalMedia({
      open: () => this.deps.localTracks(media),
      announce: (state) => this.requests.media(callId, state),
      changed: () => this.changed(),
    });
    const roomMedia = new RoomMedia({
      callId,
      requests: this.requests,
      openPath: this.deps.openPath,
      workerKeys: this.workerKeys,
      local,
      hasKey: (slot) => this.workerKeys.hasReceiveKey(slot),
      changed: () => this.changed(),
    });
    this.media = roomMedia;
    this.local = local;
    void roomMedia.start().catch(logMediaError);
  }

  private onInvite(invite: ServerMessageOf<'room.invite'>): void {
    // A device already in a call, or already ringing, is busy: the server rings no such device.
    if (this.room || this.entering || this.incoming.value) return;
    const { v: _v, type: _type, seq: _seq, ...incoming } = invite;
    this.incoming.value = incoming;
    if (this.links.takeInvite()) void this.join();
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
    room.memberMedia.delete(slot);
    room.trust.delete(slot);
    room.keyChanged.delete(slot);
    room.safetyNumbers.delete(slot);
    speakerLeft(room, slot);
    void this.keys?.memberLeft(slot);
  }

  private onPath(room: RoomCallState, path: RoomCallState['path']): void {
    if (path === room.path) return;
    if (path === 'sfu' && room.verifiedEver.size < 3) {
      console.warn('parley: refused the SFU for a call that never had three verified members');
      this.requests.leave(room.callId);
      this.finish('sfu_refused');
      return;
    }
    room.path = path;
    if (path === 'sfu') this.startMedia(room.media);
  }

  private async onVerified(callId: string, member: VerifiedMember): Promise<void> {
    const room = this.room;
    if (room?.callId !== callId || !room.members.has(member.slot)) return;
    room.trust.set(member.slot, 'verified');
    room.verifiedEver.add(member.slot);
    if (member.identity.pin === 'changed') room.keyChanged.add(member.slot);
    this.changed();
    const own = room.members.get(room.ownSlot);
    const ownRoot = own?.identity[0]?.identityKey;
    if (!own || !ownRoot) return;
    const digits = await safetyNumber(
      { username: own.user.username, identityKey: ownRoot },
      { username: member.username, identityKey: member.identity.rootKey },
    );
    if (this.room !== room || !room.members.has(member.slot)) return;
    room.safetyNumbers.set(member.slot, safetyNumberGroups(digits).join(' '));
    this.changed();
  }

  private onRefused(callId: string, slot: number): void {
    const room = this.room;
    if (room?.callId !== callId || !room.members.has(slot)) return;
    console.warn(`parley: the member in slot ${slot} did not verify: it gets none of our keys`);
    room.trust.set(slot, 'refused');
    this.changed();
  }

  /** Runs a notice's change when it is about our current call, then refreshes the view. */
  private inCall(notice: { callId: string }, change: (room: RoomCallState) => void): void {
    const room = this.room;
    if (!room || room.callId !== notice.callId) return;
    change(room);
    this.changed();
  }

  private finish(reason: RoomEndReason): void {
    const room = this.room;
    if (!room) return;
    this.keys?.close();
    this.media?.close();
    this.keys = null;
    this.media = null;
    this.local = null;
    this.room = null;
    this.ended.value = { callId: room.callId, reason };
    this.changed();
  }

  private changed(): void {
    this.revision.value += 1;
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
