import type {
  CallMedia,
  MemberKeyShare,
  MediaSource,
  RoomInvitation,
  RoomMember,
  ServerMessageOf,
} from '../../protocol';
import { applyRosterEvent } from '../../protocol/roomRoster';
import { safetyNumber, safetyNumberGroups, type SafetyNumberParty } from '../identity/safetyNumber';
import type { VerifiedMember } from '../keys/RoomKeys';
import type { GroupCallView, TileSize } from './groupCallView';
import { groupCallViewOf, type GroupCallViewSources } from './groupCallViewOf';
import type { GroupCallOwnMedia } from './localMember/GroupCallOwnMedia';
import { speakerLeft, type RoomCallState } from './roomCallState';
import type { RoomEndReason } from './roomEndReason';
import type { RoomKeyExchange } from './RoomKeyExchange';
import { type OpenRoomMediaPath, RoomMedia } from './RoomMedia';
import type { RoomRequests } from './RoomRequests';
import type { RoomWorkerKeys } from './RoomWorkerKeys';

export interface RoomCallUnderWayDeps {
  requests: RoomRequests;
  openPath: OpenRoomMediaPath;
  /** Our side of the call: the media the SFU sends. */
  own: GroupCallOwnMedia;
  now(): number;
  /** A grown call's 1:1 connection's safety bound (PATH_SWITCH_SAFETY_MS); tests shorten it. */
  pathSwitchSafetyMs?: number;
  /** Our own root key as the server's record of us gives it (safety numbers of a grown call). */
  self(): SafetyNumberParty | null;
  changed(): void;
  /** The call is over for us: the server removed us, or we refused its move to the SFU. */
  finish(reason: Extract<RoomEndReason, 'removed' | 'sfu_refused'>): void;
}

/** The call screen's choices, and what the screen needs beside the call. */
export type CallScreenSources = Pick<GroupCallViewSources, 'layout' | 'streamOf' | 'linkUrls'> & {
  /** Our signaling connection is down and coming back. */
  signalingLost: boolean;
};

/** Our keys for one call: the exchange with its members, and the keys our worker holds. */
export interface RoomCallKeys {
  exchange: RoomKeyExchange;
  worker: RoomWorkerKeys;
}

/**
 * The group call this device is in, from entering it until it is over for us: its state as the
 * notices leave it, its keys and its SFU media, and what each in-call event changes in them:
 * members joining and leaving, invitations, the path (refusing the SFU before three verified
 * members), each member's verification and safety number.
 */
export class RoomCallUnderWay {
  private roomMedia: RoomMedia | null = null;
  /** Work for this call (safety numbers), stopped when it is over for us. */
  private readonly work = new AbortController();
  /**
   * Each tile's size as last reported, by "slot source": the SFU's media reads it, however late it
   * starts (a grown call's tiles are on screen before).
   */
  private readonly tileSizes = new Map<string, TileSize>();

  /**
   * `ownShareSent`: our member share went with the way in (create, join, rejoin); a grown call's
   * goes once its first invitation rings. Our share is signed again every few minutes while
   * anyone else is in the call.
   */
  constructor(
    readonly room: RoomCallState,
    private readonly callKeys: RoomCallKeys,
    private ownShareSent: boolean,
    private readonly deps: RoomCallUnderWayDeps,
  ) {
    callKeys.exchange.refreshShares(() => room.roster.length > 1);
  }

  get callId(): string {
    return this.room.callId;
  }

  get keys(): RoomKeyExchange {
    return this.callKeys.exchange;
  }

  /** The SFU's media (null while the call is peer to peer). */
  get media(): RoomMedia | null {
    return this.roomMedia;
  }

  /**
   * Entered with the server's room state: the members already there are verified and get our key;
   * on the SFU, `media` (a join may ask for sound only) is sent at once.
   */
  tookState(state: ServerMessageOf<'room'>, media: CallMedia): void {
    void this.keys.membersPresent(state.members);
    if (state.path === 'sfu') this.startMedia(media);
  }

  /** What the call screen shows of this call. */
  view(screen: CallScreenSources): GroupCallView {
    const { own, now } = this.deps;
    const media = this.roomMedia;
    return groupCallViewOf(this.room, {
      layout: screen.layout,
      ownMedia: own.state,
      ownTrack: (source) => own.track(source),
      remoteTrack: (slot, source) => media?.trackOf(slot, source) ?? null,
      mediaDown: media?.reconnecting ?? false,
      now: now(),
      streamOf: screen.streamOf,
      linkUrls: screen.linkUrls,
      reconnecting: screen.signalingLost ? 'signaling' : media?.reconnecting ? 'media' : null,
    });
  }

  memberJoined(member: RoomMember): void {
    const { room } = this;
    if (room.members.has(member.slot) || member.slot === room.ownSlot) return;
    const { slot, user, deviceId } = member;
    room.roster = applyRosterEvent(room.roster, { kind: 'member_joined', slot, user, deviceId });
    room.members.set(slot, member);
    room.activeCall.members.remote.joined(slot);
    void this.keys.memberJoined(member);
  }

  memberState(slot: number, state: ServerMessageOf<'room.member_state'>['state']): void {
    const kind = state === 'reconnecting' ? 'member_reconnecting' : 'member_back';
    this.room.roster = applyRosterEvent(this.room.roster, { kind, slot });
  }

  memberLeft(slot: number): void {
    const { room } = this;
    if (slot === room.ownSlot) {
      this.deps.finish('removed');
      return;
    }
    if (!room.members.has(slot)) return;
    room.roster = applyRosterEvent(room.roster, { kind: 'member_left', slot });
    room.members.delete(slot);
    room.activeCall.members.remote.left(slot);
    speakerLeft(room, slot);
    void this.keys.memberLeft(slot);
    // The grown call's peer left while its 1:1 connection bridged: nothing is left to bridge.
    const { paths } = room.activeCall;
    if (paths.bridged?.peer.slot === slot && room.path === 'sfu') paths.closeRetiring();
  }

  /** A member's share (room.share), first or refreshed, to verify. */
  shareReceived(slot: number, share: MemberKeyShare): void {
    const member = this.room.members.get(slot);
    if (!member || slot === this.room.ownSlot) return;
    void this.keys.shareReceived(member, share);
  }

  /** An invitation changed; the first to ring in a grown call sends our member share. */
  invitationChanged(invitation: RoomInvitation): void {
    const { room } = this;
    upsertInvitation(room, invitation);
    const bridging = room.activeCall.paths.bridged !== null;
    if (!bridging || this.ownShareSent || invitation.state !== 'ringing') return;
    this.ownShareSent = true;
    void this.keys
      .ownShare()
      .then((share) => this.deps.requests.share(room.callId, share))
      .catch((error: unknown) => console.error('parley: our member share', error));
  }

  /**
   * The other party of our grown call, still on p2p, came back after a reload: its next share is
   * verified as a first one.
   */
  peerRejoined(): void {
    const { room } = this;
    const slot = room.activeCall.paths.bridged?.peer.slot;
    if (room.path !== 'p2p' || slot === undefined) return;
    const member = room.members.get(slot);
    if (member) room.members.set(slot, { ...member, share: null });
    room.activeCall.members.remote.get(slot)?.forgetVerification();
    void this.keys.shareDropped(slot);
    this.deps.changed();
  }

  pathChanged(path: RoomCallState['path']): void {
    const { room } = this;
    if (path === room.path) return;
    // The third member's share may still be being verified: its verdict counts.
    if (path === 'sfu' && room.verifiedEver.size < 3) {
      void this.keys.settled().then(() => {
        if (!this.over) this.takePath(path);
      });
      return;
    }
    this.takePath(path);
  }

  /**
   * A member's share verified: it may have our keys, and its tile shows its safety number once
   * worked out. Never rejects (nothing waits on it): a safety number that fails is logged.
   */
  async verified(member: VerifiedMember): Promise<void> {
    const { room } = this;
    const remote = room.activeCall.members.remote.get(member.slot);
    if (!remote) return;
    remote.verified(member.identity.pin === 'changed');
    room.verifiedEver.add(member.slot);
    this.deps.changed();
    const own = room.members.get(room.ownSlot);
    const ownRoot = own?.identity[0]?.identityKey;
    // A grown call's room state came from no server reply: our root is the server's record of us.
    const self = own && ownRoot ? { username: own.user.username, identityKey: ownRoot } : null;
    const party = self ?? this.deps.self();
    if (!party) return;
    const stopped = this.work.signal;
    const digits = await safetyNumber(
      party,
      { username: member.username, identityKey: member.identity.rootKey },
      stopped,
    ).catch((error: unknown) => {
      if (!stopped.aborted) console.error('parley: safety number', error);
      return null;
    });
    const stillThere = !this.over && room.activeCall.members.remote.get(member.slot) === remote;
    if (digits === null || !stillThere) return;
    remote.safetyNumber = safetyNumberGroups(digits).join(' ');
    this.deps.changed();
  }

  refused(slot: number): void {
    const remote = this.room.activeCall.members.remote.get(slot);
    if (!remote) return;
    console.warn(`parley: the member in slot ${slot} did not verify: it gets none of our keys`);
    remote.refused();
    this.deps.changed();
  }

  /** A sender key of the member in `slot` is in our worker: its media may play. */
  keyInstalled(slot: number): void {
    void this.roomMedia?.keyInstalled(slot).catch(logMediaError);
  }

  /** The SFU offers a member's media (room.consumer). */
  consume(notice: ServerMessageOf<'room.consumer'>): void {
    if (!this.room.members.has(notice.slot) || notice.slot === this.room.ownSlot) return;
    const { callId: _callId, v: _v, type: _type, seq: _seq, ...offer } = notice;
    void this.roomMedia?.consume(offer).catch(logMediaError);
  }

  /** Our transports again, for the media to follow (the SFU lost them, or our connection came back). */
  startOver(): void {
    void this.roomMedia?.startOver().catch(logMediaError);
  }

  async tileResized(
    slot: number,
    source: 'camera' | 'screen',
    size: TileSize | null,
  ): Promise<void> {
    const key = tileKey(slot, source);
    if (size) this.tileSizes.set(key, size);
    else this.tileSizes.delete(key);
    await this.roomMedia?.tileResized(slot, source).catch(logMediaError);
  }

  /**
   * We leave: true when the others are told and go on. A grown call still 1:1 hangs up instead,
   * as a 1:1 call does, and goes when the 1:1 call ends (`oneToOneEnded`).
   */
  leave(): boolean {
    const { room } = this;
    const bridged = room.activeCall.paths.bridged;
    if (room.path === 'p2p' && bridged) {
      bridged.hangUp();
      return false;
    }
    this.deps.requests.leave(room.callId);
    return true;
  }

  /** The 1:1 call ended: true when this is that call grown, still on p2p (it goes too). */
  oneToOneEnded(): boolean {
    const { paths } = this.room.activeCall;
    if (!paths.bridged || this.room.path !== 'p2p') return false;
    paths.forgetRetiring();
    return true;
  }

  /** The call is over for us: its keys, media and work stop (our own media is `own`'s to close). */
  close(): void {
    this.room.activeCall.paths.closeRetiring();
    this.keys.close();
    this.roomMedia?.close();
    this.work.abort();
  }

  private get over(): boolean {
    return this.work.signal.aborted;
  }

  private takePath(path: RoomCallState['path']): void {
    const { room } = this;
    if (path === room.path) return;
    if (path === 'sfu' && room.verifiedEver.size < 3) {
      console.warn('parley: refused the SFU for a call that never had three verified members');
      this.deps.requests.leave(room.callId);
      this.deps.finish('sfu_refused');
      return;
    }
    room.path = path;
    if (path !== 'sfu') return;
    const { callId } = room;
    room.activeCall.paths.switchToSfu(
      () => this.deps.requests.carried(callId),
      this.deps.pathSwitchSafetyMs,
    );
    this.startMedia(room.media);
    this.deps.changed();
  }

  private startMedia(media: CallMedia): void {
    if (this.roomMedia) return;
    const { room, deps } = this;
    const { callId } = room;
    const { worker } = this.callKeys;
    const roomMedia = new RoomMedia({
      callId,
      requests: deps.requests,
      openPath: deps.openPath,
      workerKeys: worker,
      local: deps.own.forSfu(callId, media),
      hasKey: (slot) => worker.hasReceiveKey(slot),
      tileSize: (slot, source) => this.tileSizes.get(tileKey(slot, source)) ?? null,
      framesCounted: (senders) => room.activeCall.members.remote.framesCounted(senders, deps.now()),
      pathStartsOver: () => room.activeCall.members.remote.pathStartsOver(),
      changed: () => {
        room.activeCall.paths.framesThroughSfu();
        deps.changed();
      },
    });
    this.roomMedia = roomMedia;
    void roomMedia.start().catch(logMediaError);
  }
}

/** A tile by the sender it shows and which of its sources. */
const tileKey = (slot: number, source: MediaSource) => `${slot} ${source}`;

function upsertInvitation(room: RoomCallState, invitation: RoomInvitation): void {
  const index = room.invitations.findIndex((i) => i.user.username === invitation.user.username);
  if (index < 0) room.invitations.push(invitation);
  else room.invitations[index] = invitation;
}

export function logMediaError(error: unknown): void {
  console.error('parley: group-call media', error);
}
