import { signal } from '@preact/signals';
import type { CallMedia, LiveCall, ServerMessageOf } from '../../protocol';
import { SignalingError } from '../signaling/RequestTracker';
import type { ActiveCall } from './ActiveCall';
import type { GroupCallMediaMemory, OwnMediaSwitches } from './GroupCallMediaMemory';
import { groupRejoinFailureText, type GroupRejoinFailure } from './groupRejoinFailure';
import type { GrowingCall } from './growingCall';
import type { LocalMember } from './localMember/LocalMember';
import { rejoinOf, rejoinsGroup } from './liveCallRejoin';

export interface RoomRejoinHost {
  /** No group call here, and none being entered. */
  free(): boolean;
  /** This connection negotiated `rooms`. */
  rooms(): boolean;
  oneToOneCall(): GrowingCall | null;
  /**
   * Enters the call with room.rejoin, our new share sent before any key of ours; `taking` runs
   * before its room state is taken. Resolves with null, or with why it failed.
   */
  rejoin(
    callId: string,
    media: CallMedia,
    taking?: (state: ServerMessageOf<'room'>) => ActiveCall<LocalMember>,
  ): Promise<{ error: unknown } | null>;
  /**
   * A grown call taken back: its 1:1 connection bridges again, or is handed over (new slot); its
   * members (the 1:1 call's) are the group call's.
   */
  bridgeAgain(call: GrowingCall, state: ServerMessageOf<'room'>): ActiveCall<LocalMember>;
  /** Leaves the call (a rejoin refused: no place of ours lingers in it). */
  leave(callId: string): void;
  mediaMemory?: Pick<GroupCallMediaMemory, 'recall'>;
}

/**
 * A group call this device is a member of but has nothing of (the page was reloaded, the app
 * restarted: keys, share and transports are gone), taken back by itself, without a prompt, as
 * soon as the connection negotiated `rooms` (docs/protocol.md "Leaving and the end"): on the SFU
 * in a new slot; a grown call still on p2p once its 1:1 connection is back, in its own slot
 * ("Rejoining a grown call still on p2p"). Mute and camera come back as they were.
 */
export class RoomRejoin {
  /** A grown call's group side that could not be taken back, until its 1:1 call ends. */
  readonly failure = signal<GroupRejoinFailure | null>(null);
  /** The call to take back; `grown`: still on p2p, its 1:1 connection comes back first. */
  private pending: { callId: string; media: CallMedia; grown: boolean } | null = null;
  /** A rejoined call's microphone and camera as they were before the reload. */
  private restoredSwitches: { callId: string; switches: OwnMediaSwitches } | null = null;

  constructor(private readonly host: RoomRejoinHost) {}

  /**
   * The sign-in's list of our calls, while no group call is here: the one to take back (none
   * when `leftHere`, a leave the server had not heard of yet).
   */
  listed(calls: readonly LiveCall[], leftHere: string | null): void {
    const live = calls.find(rejoinsGroup);
    if (!live || leftHere === live.callId) {
      this.pending = null;
      return;
    }
    const grown = rejoinOf(live) === 'grown_on_p2p';
    this.pending = { callId: live.callId, media: live.media, grown };
    if (this.host.rooms()) void this.takeBack();
  }

  /** `rooms` is on again on a new connection. */
  roomsBack(): void {
    void this.takeBack();
  }

  /** The 1:1 call this page rejoined after a reload is back: a grown call that waited for it. */
  oneToOneBack(callId: string): void {
    if (this.pending?.callId === callId && this.host.rooms()) void this.takeBack();
  }

  /** The 1:1 call ended: a grown call whose 1:1 connection did not come back is not taken back. */
  oneToOneEnded(): void {
    if (this.pending?.grown) this.pending = null;
    this.failure.value = null;
  }

  /** The user read why the group call could not be rejoined. */
  dismissFailure(): void {
    this.failure.value = null;
  }

  /** Whether the call is waiting to be taken back (its notices say nothing the rejoin won't). */
  waitingFor(callId: string): boolean {
    return this.pending?.callId === callId;
  }

  /** Mute and camera as they were before the reload the call was rejoined after; else null. */
  restored(callId: string): OwnMediaSwitches | null {
    const restored = this.restoredSwitches;
    return restored?.callId === callId ? restored.switches : null;
  }

  /** The call is over for us. */
  callEnded(): void {
    this.restoredSwitches = null;
  }

  /**
   * On the SFU: the server gives us a new slot (the old one and its keys are gone for good). A
   * call that is gone shows nothing; one that refuses us (a creator alone in it) is left.
   */
  private async takeBack(): Promise<void> {
    const pending = this.pending;
    if (pending?.grown) return this.regrow(pending.callId);
    this.pending = null;
    if (!pending || !this.host.free()) return;
    const { callId, media } = pending;
    const switches = this.host.mediaMemory?.recall(callId);
    this.restoredSwitches = switches ? { callId, switches } : null;
    // A camera on before the reload is opened again, though turned on mid-call in a voice call.
    const failure = await this.host.rejoin(callId, switches?.video ? 'video' : media);
    if (failure) this.restoredSwitches = null;
    if (failure?.error instanceof SignalingError && failure.error.code === 'call_state') {
      this.host.leave(callId);
    }
  }

  /**
   * A grown call still on p2p, once its 1:1 connection is back (our call.rejoin dropped our old
   * member share): room.rejoin gives the room state in our own slot, and the 1:1 connection
   * carries the media as when the call grew, until the SFU does. Should the third have joined
   * meanwhile, the server gave us a new slot on the SFU: the 1:1 connection then goes.
   */
  private async regrow(callId: string): Promise<void> {
    const call = this.host.oneToOneCall();
    if (call?.callId !== callId || !this.host.free()) return;
    this.pending = null;
    const failure = await this.host.rejoin(callId, call.media, (state) =>
      this.host.bridgeAgain(call, state),
    );
    // A call that ended meanwhile is no failure to show: the 1:1 call ends by itself. Any other
    // refusal loses the group side only: the 1:1 call goes on, and its screen says so.
    const ended = failure?.error instanceof SignalingError && failure.error.code === 'unknown_call';
    if (failure && !ended) {
      this.failure.value = { callId, text: groupRejoinFailureText(call.peer.user, failure.error) };
    } else if (!failure) {
      // Taken back on a later connection: what an earlier attempt could not do is done now.
      this.failure.value = null;
    }
  }
}
