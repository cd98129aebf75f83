import type { LocalMedia } from '../call/LocalMedia';
import type { CallMediaControls } from './CallMediaControls';
import type { CallMembers, PeerMediaState } from './CallMembers';
import { CallPaths } from './CallPaths';
import type { LocalMember, MemberEngine } from './localMember/LocalMember';
import type { MemberPath } from './remoteMembers/RemoteMember';

/** A signaling layer that holds a call: the pair's call.* or the group's room.*. */
export type CallLayer = 'pair' | 'room';

/**
 * The call this device is in, whatever signals it: its members (ours and the others') and its one
 * LocalMedia (opened once for the call; a preconnected callee's is empty until it accepts). A 1:1
 * call that grows is the same object in its group call, so its camera and microphone go on, and so
 * do its paths (`paths`: which carries it, whose connection state is the call's, and the one it
 * leaves). The layers that hold it (call.*, room.*) come and go; the camera and microphone stop
 * when the last lets go, and never before, so a retiring connection cannot stop what the call
 * still sends. Who holds it also says whose our member is: the group call's once room.* holds the
 * call (it drives our member from then on), the pair layer's before.
 */
export class ActiveCall<Own extends LocalMember = CallMediaControls> {
  private readonly holders = new Set<CallLayer>();
  readonly paths: CallPaths;

  /** `first`: the path that carries it at first (peer to peer, unless entered as a group call). */
  constructor(
    readonly members: CallMembers<Own>,
    readonly local: LocalMedia,
    first: MemberPath = 'p2p',
  ) {
    this.paths = new CallPaths(members.peer, first);
  }

  /** `layer` carries this call (until it lets go). */
  hold(layer: CallLayer): void {
    this.holders.add(layer);
  }

  /** Whether `layer` holds the call. */
  heldBy(layer: CallLayer): boolean {
    return this.holders.has(layer);
  }

  /**
   * Our member drives the pair layer's `engine`, the peer hearing what we send through `tellPeer`;
   * not once the group call holds the call: it drives our member then.
   */
  attachPair(
    this: ActiveCall,
    engine: MemberEngine,
    tellPeer: (state: PeerMediaState) => void,
  ): void {
    if (this.heldBy('room')) return;
    this.members.attach(engine, tellPeer);
  }

  /** The call is over for `layer`; over for us once no layer holds it: every track stops. */
  letGo(layer: CallLayer): void {
    this.holders.delete(layer);
    if (this.holders.size === 0) this.local.close();
  }
}
