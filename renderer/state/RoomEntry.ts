import type { ReadonlySignal } from '@preact/signals';
import {
  errorCodeText,
  type CallMedia,
  type MemberKeyShare,
  type ServerMessageOf,
} from '../../protocol';
import type { RoomKeysHost } from '../keys/RoomKeys';
import type { RoomNotice } from '../signaling/serverMessageHandlers';
import type { ActiveCall } from './ActiveCall';
import type { GrowingCall } from './growingCall';
import type { GroupCallOwnMedia } from './localMember/GroupCallOwnMedia';
import type { LocalMember } from './localMember/LocalMember';
import type { RoomCallLinks } from './RoomCallLinks';
import { type RoomCallKeys, RoomCallUnderWay, type RoomCallUnderWayDeps } from './RoomCallUnderWay';
import {
  grownCallState,
  roomCallStateOf,
  seatRemoteMembers,
  type RoomCallState,
} from './roomCallState';
import { roomFailureText } from './roomFailureText';
import { RoomKeyExchange } from './RoomKeyExchange';
import type { RoomRequests } from './RoomRequests';
import type { RoomRinging } from './RoomRinging';
import { RoomWorkerKeys } from './RoomWorkerKeys';
import { UserFacingError } from './UserFacingError';

export interface RoomEntryDeps {
  requests: RoomRequests;
  /** Signs our member shares and keeps the pins members' roots are checked against. */
  keysHost: RoomKeysHost;
  /** Whether this connection negotiated `rooms` with the server. */
  rooms: ReadonlySignal<boolean>;
  now(): number;
  /** How long a rotation waits for acks before switching (docs: 2 s); tests shorten it. */
  rotationSwitchMs?: number;
  /** Our side of the call: the media of a call we enter, or the grown call's we hold. */
  own: GroupCallOwnMedia;
  ringing: RoomRinging;
  links: RoomCallLinks;
  /** The answered 1:1 call under way, which inviting someone grows into a group call. */
  oneToOneCall(): GrowingCall | null;
  /** The rejoin after a reload takes this call back: its room state says what a grow would. */
  rejoinTakesBack(callId: string): boolean;
  /** The group call we are in, if any. */
  current(): RoomCallUnderWay | null;
  /** What the call we enter needs. */
  call: RoomCallUnderWayDeps;
  /** The call entered is ours from now on. */
  entered(call: RoomCallUnderWay): void;
  /** Hands a notice of the call to its handler. */
  dispatch(notice: RoomNotice): void;
  /** Entering failed, said in words. */
  failed(text: string): void;
  changed(): void;
}

/**
 * Every way into a group call, each ending in one RoomCallUnderWay: create, join the call ringing
 * here, join through a link, rejoin after a reload (RoomRejoin asks), and grow the 1:1 call under
 * way. Our keys are made first; the call's notices that come before the call is ours wait for it.
 */
export class RoomEntry {
  /** The call being created or joined: its notices wait until the reply makes it ours. */
  private entering: { callId: string; notices: RoomNotice[] } | null = null;

  constructor(private readonly deps: RoomEntryDeps) {}

  /** A call is being entered (its reply awaited). */
  get underWay(): boolean {
    return this.entering !== null;
  }

  /** Keeps a notice of the call being entered until the call is ours; false: not such a notice. */
  holds(notice: RoomNotice): boolean {
    const entering = this.entering;
    if (!entering || !('callId' in notice) || notice.callId !== entering.callId) return false;
    if (this.deps.current()) return false;
    entering.notices.push(notice);
    return true;
  }

  /** Starts a group call (through the SFU from the start): the id it asked for (null: none asked). */
  async create(media: CallMedia): Promise<string | null> {
    if (!this.canStart()) return null;
    const callId = crypto.randomUUID();
    await this.enter(callId, 0, media, true, (share) =>
      this.deps.requests.create(callId, media, share),
    );
    return callId;
  }

  /**
   * Joins the group call ringing here, with the call's media unless asked otherwise (a shortcut
   * pressed without looking joins with audio only).
   */
  async join(media?: CallMedia): Promise<void> {
    const { ringing } = this.deps;
    const invite = ringing.incoming.value;
    if (!invite || !this.canStart()) return;
    ringing.stop('answered');
    const { callId, slot } = invite;
    await this.enter(callId, slot, media ?? invite.media, false, (share) =>
      this.deps.requests.join(callId, share),
    );
  }

  /** Joins through the link whose preview is shown (its Join button). */
  async joinPreviewedLink(): Promise<void> {
    if (this.canStart()) await this.deps.links.joinPreviewed();
  }

  /**
   * Enters the call with room.rejoin: the server gives us a slot, then our new share for it goes
   * to the others before any key of ours, so they can verify us first.
   */
  rejoin(
    callId: string,
    media: CallMedia,
    taking?: (state: ServerMessageOf<'room'>) => ActiveCall<LocalMember>,
  ): Promise<{ error: unknown } | null> {
    return this.enterWith(
      callId,
      media,
      false,
      async (started) => {
        const state = await this.deps.requests.rejoin(callId);
        const keys = started(await this.startKeys(callId, state.slot));
        this.deps.requests.share(callId, await keys.exchange.ownShare());
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
  bridgeAgain(call: GrowingCall, state: ServerMessageOf<'room'>): ActiveCall<LocalMember> {
    const { activeCall } = call;
    // Held here before the 1:1 side lets go (detach), so its camera and microphone go on.
    this.deps.own.enter(activeCall, call.callId, call.media);
    if (state.slot !== call.ownSlot) {
      // The SFU carries the call already: nothing is bridged, the 1:1 connection simply goes.
      activeCall.paths.switchToSfu(() => this.deps.requests.carried(call.callId));
      call.detach();
      return activeCall;
    }
    // Its peer is the 1:1 call's member, in its slot, before the room state's members join.
    activeCall.members.peerIn(call.peer.slot);
    activeCall.paths.bridge(call, () => this.deps.changed());
    return activeCall;
  }

  /**
   * The answered 1:1 call under way becomes our group call (docs/protocol.md "Inviting"): we
   * invite someone into it (`callId` null), or the server tells us of an invitation in it. Our
   * member share goes once the first invitation rings; the 1:1 connection carries the media until
   * the SFU does. `waiting`: the notices that found it, applied once it is ours. False when there
   * is no such call to grow.
   */
  async grow(callId: string | null, waiting: RoomNotice[]): Promise<boolean> {
    const { deps } = this;
    const call = deps.oneToOneCall();
    if (!call || (callId !== null && call.callId !== callId)) return false;
    // Back after a reload: the room state of our rejoin says what these notices would.
    if (deps.rejoinTakesBack(call.callId)) return false;
    if (!deps.rooms.value) {
      deps.failed(errorCodeText.sfu_unavailable);
      return false;
    }
    if (this.entering?.callId === call.callId) {
      this.entering.notices.push(...waiting);
      return false;
    }
    if (deps.current() || this.entering) return false;
    this.entering = { callId: call.callId, notices: [...waiting] };
    let keys: RoomCallKeys | null = null;
    let account: Awaited<ReturnType<RoomKeysHost['getAccount']>>;
    try {
      keys = await this.startKeys(call.callId, call.ownSlot);
      account = await deps.keysHost.getAccount();
      if (!account) throw new UserFacingError('Sign in before inviting anyone.');
    } catch (error) {
      // Keys made before the account failed are closed: nothing of theirs runs on.
      keys?.exchange.close();
      this.entering = null;
      deps.failed(roomFailureText(error));
      return false;
    }
    const notices = this.entering.notices;
    this.entering = null;
    if (deps.oneToOneCall()?.callId !== call.callId) {
      keys.exchange.close();
      return false;
    }
    const { username, displayName, deviceId } = account;
    this.take(grownCallState(call, { user: { username, displayName }, deviceId }), keys, false);
    call.activeCall.paths.bridge(call, () => deps.changed());
    // The group call holds the 1:1 call: its media and our member, ready at once, as there.
    deps.own.enter(call.activeCall, call.callId, call.media);
    deps.changed();
    for (const notice of notices) deps.dispatch(notice);
    return true;
  }

  private canStart(): boolean {
    if (!this.deps.rooms.value) {
      this.deps.failed(errorCodeText.sfu_unavailable);
      return false;
    }
    if (this.deps.current() || this.entering) {
      this.deps.failed(errorCodeText.already_in_call);
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
      return { keys, state: await ask(await keys.exchange.ownShare()) };
    });
    if (failure) this.deps.failed(roomFailureText(failure.error));
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
      started: (keys: RoomCallKeys) => RoomCallKeys,
    ) => Promise<{ keys: RoomCallKeys; state: ServerMessageOf<'room'> }>,
    taking?: (state: ServerMessageOf<'room'>) => ActiveCall<LocalMember>,
  ): Promise<{ error: unknown } | null> {
    this.entering = { callId, notices: [] };
    const made: RoomCallKeys[] = [];
    let opened: { keys: RoomCallKeys; state: ServerMessageOf<'room'> };
    try {
      opened = await open((keys) => {
        made.push(keys);
        return keys;
      });
    } catch (error) {
      for (const keys of made) keys.exchange.close();
      this.entering = null;
      return { error };
    }
    const { keys, state } = opened;
    const waiting = this.entering.notices;
    this.entering = null;
    const activeCall = taking?.(state) ?? this.deps.own.newCall(callId, media);
    const room = roomCallStateOf(state, createdHere, activeCall);
    seatRemoteMembers(room);
    // Every way in but a grow sends our share with its request.
    this.take(room, keys, true).tookState(state, media);
    this.deps.changed();
    for (const notice of waiting) this.deps.dispatch(notice);
    return null;
  }

  /** The call is ours from now on; `ownShareSent`: our member share went with the way in. */
  private take(room: RoomCallState, keys: RoomCallKeys, ownShareSent: boolean): RoomCallUnderWay {
    const call = new RoomCallUnderWay(room, keys, ownShareSent, this.deps.call);
    this.deps.entered(call);
    return call;
  }

  /** Our keys for a call we enter in `slot`, their worker keys new. */
  private async startKeys(callId: string, slot: number): Promise<RoomCallKeys> {
    const { deps } = this;
    const worker = new RoomWorkerKeys();
    // Key events of this call reach it only while it is the call we are in.
    const call = () => {
      const current = deps.current();
      return current?.callId === callId ? current : null;
    };
    const exchange = await RoomKeyExchange.start(callId, slot, {
      requests: deps.requests,
      host: deps.keysHost,
      workerKeys: worker,
      events: {
        verified: (member) => void call()?.verified(member),
        refused: (refused) => call()?.refused(refused),
        keyInstalled: (from) => call()?.keyInstalled(from),
      },
      now: deps.now,
      rotationSwitchMs: deps.rotationSwitchMs,
    });
    return { exchange, worker };
  }
}
