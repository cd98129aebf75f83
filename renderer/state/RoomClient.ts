import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { CallMedia, LiveCall } from '../../protocol';
import type { RoomNotice } from '../signaling/serverMessageHandlers';
import type { GroupCallMediaMemory, OwnMediaSwitches } from './GroupCallMediaMemory';
import type { CallLayout, GroupCallActions, GroupCallView } from './groupCallView';
import type { GroupRejoinFailure } from './groupRejoinFailure';
import type { LocalTracks } from '../call/LocalMedia';
import { GroupCallOwnMedia } from './localMember/GroupCallOwnMedia';
import type { LocalMember, OpenInput } from './localMember/LocalMember';
import { RoomCallLinks } from './RoomCallLinks';
import { type RoomCallState, speakerChanged, type UserSummary } from './roomCallState';
import {
  logMediaError,
  type RoomCallUnderWay,
  type RoomCallUnderWayDeps,
} from './RoomCallUnderWay';
import { RoomEntry, type RoomEntryDeps } from './RoomEntry';
import type { RoomEndReason } from './roomEndReason';
import { roomFailureText } from './roomFailureText';
import { dispatchRoomNotice, type RoomNoticeHandlers } from './roomNotices';
import { RoomRejoin } from './RoomRejoin';
import { RoomRequests, type RoomSignaling } from './RoomRequests';
import { RoomRinging } from './RoomRinging';

export type { RoomEndReason } from './roomEndReason';
export type { IncomingRoomInvite, RoomInviteEnded } from './RoomRinging';

/** What the group calls need of the app (AppModel's), beside what entering and the call need. */
export interface RoomClientDeps
  extends Pick<RoomEntryDeps, 'rooms' | 'keysHost' | 'now' | 'rotationSwitchMs' | 'oneToOneCall'>,
    Pick<RoomCallUnderWayDeps, 'openPath' | 'pathSwitchSafetyMs' | 'self'> {
  signaling: RoomSignaling;
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
  /** Our microphone or camera ended by itself (unplugged) during the call. */
  inputEnded(kind: 'audio' | 'video'): void;
  /** Our microphone and camera in the call, kept for a reloaded page's rejoin (none: not kept). */
  mediaMemory?: Pick<GroupCallMediaMemory, 'remember' | 'recall' | 'forget'>;
}

/**
 * The client's mirror of the server's Room (docs/protocol.md "Group calls"): one handler per
 * `room.*` notice (`handlers`), one request or notice per action (RoomRequests). The facade the
 * UI reads: invites ring through RoomRinging, every way into a call goes through RoomEntry, the
 * call we are in (its roster folded with the server's reducer, invitations, path, keys, media) is
 * a RoomCallUnderWay until it is over for us. The call screen reads `view` and calls `actions`.
 */
export class RoomClient {
  /** The group call ringing here, if any. */
  readonly incoming: RoomRinging['incoming'];
  /** The last group call that stopped ringing here, and how. */
  readonly inviteEnded: RoomRinging['ended'];
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
  readonly view: ReadonlySignal<GroupCallView | null>;
  readonly actions: GroupCallActions;
  readonly handlers: RoomNoticeHandlers;

  /** Our side of the call: the call screen's switches and the media they drive. */
  private readonly own: GroupCallOwnMedia;
  private readonly requests: RoomRequests;
  private readonly ringing: RoomRinging;
  private readonly entry: RoomEntry;
  /** A call this device is a member of but has nothing of, taken back by itself. */
  private readonly rejoins: RoomRejoin;
  private readonly revision = signal(0);
  private readonly layout = signal<CallLayout>('grid');
  private readonly signalingLost = signal(false);
  /** The group call we are in. */
  private call: RoomCallUnderWay | null = null;

  constructor(private readonly deps: RoomClientDeps) {
    this.requests = new RoomRequests(deps.signaling);
    this.available = deps.rooms;
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
    this.ringing = new RoomRinging({
      requests: this.requests,
      busy: () => this.call !== null || this.entry.underWay,
    });
    this.incoming = this.ringing.incoming;
    this.inviteEnded = this.ringing.ended;
    this.links = new RoomCallLinks({
      requests: this.requests,
      room: () => this.room,
      changed: () => this.changed(),
      outcome: (error) => void (this.error.value = error === null ? null : roomFailureText(error)),
    });
    this.rejoins = new RoomRejoin({
      free: () => !this.call && !this.entry.underWay,
      rooms: () => this.available.peek(),
      oneToOneCall: () => deps.oneToOneCall(),
      rejoin: (callId, media, taking) => this.entry.rejoin(callId, media, taking),
      bridgeAgain: (call, state) => this.entry.bridgeAgain(call, state),
      leave: (callId) => this.requests.leave(callId),
      mediaMemory: deps.mediaMemory,
    });
    this.groupRejoinFailure = this.rejoins.failure;
    this.entry = new RoomEntry({
      requests: this.requests,
      keysHost: deps.keysHost,
      rooms: deps.rooms,
      now: deps.now,
      rotationSwitchMs: deps.rotationSwitchMs,
      own: this.own,
      ringing: this.ringing,
      links: this.links,
      oneToOneCall: () => deps.oneToOneCall(),
      rejoinTakesBack: (callId) => this.rejoins.waitingFor(callId),
      current: () => this.call,
      call: {
        requests: this.requests,
        openPath: deps.openPath,
        own: this.own,
        now: deps.now,
        pathSwitchSafetyMs: deps.pathSwitchSafetyMs,
        self: () => deps.self(),
        changed: () => this.changed(),
        finish: (reason) => this.finish(reason),
      },
      entered: (call) => this.entered(call),
      dispatch: (notice) => dispatchRoomNotice(this.handlers, notice),
      failed: (text) => void (this.error.value = text),
      changed: () => this.changed(),
    });
    // Our connection came back (rooms negotiated on the new one) during a call through the SFU:
    // we are `joined` again, and make our transports again for the media to follow.
    let hadRooms = deps.rooms.peek();
    effect(() => {
      const hasRooms = deps.rooms.value;
      if (hasRooms && !hadRooms) {
        this.call?.startOver();
        this.rejoins.roomsBack();
      }
      hadRooms = hasRooms;
    });
    this.view = computed(() => {
      void this.revision.value;
      const { streamOf, linkUrls } = deps;
      const screen = { layout: this.layout.value, signalingLost: this.signalingLost.value };
      return this.call?.view({ ...screen, streamOf, linkUrls }) ?? null;
    });
    this.actions = {
      leave: () => this.leave(),
      invite: (usernames) => void this.invite(usernames),
      setLayout: (layout) => void (this.layout.value = layout),
      tileResized: (slot, source, size) => void this.call?.tileResized(slot, source, size),
      createLink: (approval) => void this.links.create(approval),
      revokeLink: () => void this.links.revoke(),
      admit: (username, admit) => void this.links.admit(username, admit),
    };
    this.handlers = {
      'room.invite': (m) => {
        // The call we asked to join through a link is joined at once, without ringing.
        if (this.ringing.ring(m) && this.links.takeInvite(m.callId)) void this.join();
      },
      'room.invite_ended': (m) => this.ringing.inviteEnded(m),
      'room.invitation': (m) => {
        if (!this.call) void this.entry.grow(m.callId, [m]);
        else this.inCall(m, (call) => call.invitationChanged(m.invitation));
      },
      'room.member_joined': (m) => this.inCall(m, (call) => call.memberJoined(m.member)),
      'room.member_state': (m) => this.inCall(m, (call) => call.memberState(m.slot, m.state)),
      'room.member_left': (m) => this.inCall(m, (call) => call.memberLeft(m.slot)),
      'room.ended': (m) => this.inCall(m, () => this.finish('ended')),
      'room.path': (m) => this.inCall(m, (call) => call.pathChanged(m.path)),
      'room.media': (m) =>
        this.inCall(m, ({ room }) => room.activeCall.members.remote.get(m.slot)?.said(m)),
      'room.carried': (m) =>
        this.inCall(m, ({ room }) => room.activeCall.paths.peerReceivesUs(m.slot)),
      'room.speaker': (m) => this.inCall(m, ({ room }) => speakerChanged(room, m.slot)),
      'room.share': (m) => this.inCall(m, (call) => call.shareReceived(m.slot, m.share)),
      'room.key': (m) => this.inCall(m, ({ keys }) => void keys.keyReceived(m.key)),
      'room.key_ack': (m) => this.inCall(m, ({ keys }) => keys.ackReceived(m.slot, m.generation)),
      'room.consumer': (m) => this.inCall(m, (call) => call.consume(m)),
      'room.consumer_closed': (m) =>
        this.inCall(m, ({ media }) => media?.consumerClosed(m.consumerId)),
      'room.sfu_lost': (m) => this.inCall(m, (call) => call.startOver()),
      'room.knock': (m) => this.inCall(m, ({ room }) => this.links.knock(room, m.user)),
      'room.knock_refused': (m) => {
        if (this.links.refused(m.callId)) {
          this.error.value = 'The person who made this call did not let you in.';
        }
      },
    };
  }

  /** Every group-call notice from the signaling layer comes here (AppModel's `room` handler). */
  onNotice(notice: RoomNotice): void {
    if (!this.entry.holds(notice)) dispatchRoomNotice(this.handlers, notice);
  }

  /** Starts a group call (through the SFU from the start) and invites `usernames` into it. */
  async create(media: CallMedia, usernames: readonly string[]): Promise<void> {
    const callId = await this.entry.create(media);
    if (callId !== null && this.call?.callId === callId) await this.invite(usernames);
  }

  /** Joins the group call ringing here, with the call's media unless asked otherwise. */
  join(media?: CallMedia): Promise<void> {
    return this.entry.join(media);
  }

  /** Joins through the link whose preview is shown (its Join button). */
  joinPreviewedLink(): Promise<void> {
    return this.entry.joinPreviewedLink();
  }

  /** Declines the group call ringing here (all of our devices stop ringing). */
  decline(): void {
    this.ringing.decline();
  }

  /**
   * Rings each of `usernames` into the call (growing the 1:1 call under way into a group call
   * when there is no group call); a refusal is said in `error`.
   */
  async invite(usernames: readonly string[]): Promise<void> {
    if (!this.call && !(await this.entry.grow(null, []))) return;
    let failure: string | null = null;
    for (const username of usernames) {
      const call = this.call;
      if (!call) return;
      try {
        await this.requests.invite(call.callId, username);
      } catch (error) {
        failure = roomFailureText(error);
      }
    }
    this.error.value = failure;
  }

  /**
   * Every sign-in lists the calls this device is a member of: one this page has nothing of (it
   * was reloaded) is taken back by itself (RoomRejoin). Only the tab that uses the device signs
   * in, so another tab of the same browser never does this.
   */
  onSessionCalls(calls: readonly LiveCall[]): void {
    this.signalingLost.value = false;
    const call = this.call;
    // A call this page is in that the server no longer lists ended while we were away.
    if (call && !calls.some((live) => live.callId === call.callId)) {
      this.finish('connection_lost');
      return;
    }
    if (call || this.entry.underWay) return;
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
    if (this.call?.callId === callId) this.call.peerRejoined();
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

  /** Leaves the call; the others go on (a grown call still 1:1 hangs up, as a 1:1 call does). */
  leave(): void {
    if (this.call?.leave()) this.finish('left');
  }

  /** The 1:1 call ended before it moved to the SFU: the group call it was growing into goes too. */
  oneToOneEnded(): void {
    this.rejoins.oneToOneEnded();
    if (this.call?.oneToOneEnded()) this.finish(null);
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
    if (this.call) this.finish('left');
    this.ringing.stop('other');
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
    await this.call?.keys.settled();
  }

  /** The state of the call we are in. */
  private get room(): RoomCallState | null {
    return this.call?.room ?? null;
  }

  /** The call entered is ours from now on: the last failure and end are forgotten. */
  private entered(call: RoomCallUnderWay): void {
    this.error.value = null;
    this.ended.value = null;
    this.call = call;
  }

  /** Runs a notice's change when it is about our current call, then refreshes the view. */
  private inCall(notice: { callId: string }, change: (call: RoomCallUnderWay) => void): void {
    const call = this.call;
    if (!call || call.callId !== notice.callId) return;
    change(call);
    this.changed();
  }

  /** The call is over for us; `reason` null: it was never more than a 1:1 call, nothing to say. */
  private finish(reason: RoomEndReason | null): void {
    const call = this.call;
    if (!call) return;
    call.close();
    this.own.close();
    this.call = null;
    this.deps.mediaMemory?.forget();
    this.rejoins.callEnded();
    if (reason) this.ended.value = { callId: call.callId, reason };
    this.changed();
  }

  private changed(): void {
    this.revision.value += 1;
    this.own.follow();
  }
}
