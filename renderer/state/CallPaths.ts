import { PathSwitch } from '../call/PathSwitch';
import type { ReceivedFrames } from '../call/E2eeStatusTracker';
import type { MemberPath, RemoteMember } from './remoteMembers/RemoteMember';

/**
 * The 1:1 connection of a call growing into a group call, as its pair layer (CallController) lets
 * it go: it carries the peer until the SFU does.
 */
export interface BridgingConnection {
  /** The peer's slot in the group call. */
  peer: { slot: number };
  /** The pair layer lets go of the call: its connection closes, with no hang-up. */
  detach(): void;
  /** Hangs up the 1:1 call (it has not moved to the SFU yet). */
  hangUp(): void;
  /**
   * Opens our camera into the call's media and offers it over this connection (the 1:1 call's
   * renegotiation), so the peer sees it while this connection carries the call. Throws
   * MediaAccessError when the camera cannot open.
   */
  startVideo(): Promise<void>;
}

/**
 * Which path carries a call (peer to peer, or the SFU) and the one it leaves: only the carrying
 * path's connection state is the call's, so a retiring connection's failure neither restarts nor
 * ends the call. A 1:1 call that grows moves make-before-break: its 1:1 connection stays open,
 * still sending, until a PathSwitch sees both directions run through the SFU (or its bound).
 */
export class CallPaths {
  private carrier: MemberPath;
  private bridging: { connection: BridgingConnection; closed: () => void } | null = null;
  /** The peer's frames first seen decrypted through the SFU (null: none yet). */
  private firstCarried: ReceivedFrames | null = null;
  private pathSwitch: PathSwitch | null = null;
  /** The pair layer's connection hears that it retires (see `p2pRetires`). */
  private retiring: () => void = () => {};

  constructor(
    private readonly peer: RemoteMember,
    first: MemberPath,
  ) {
    this.carrier = first;
  }

  /** Whether `path` carries the call: its connection's state is the call's. */
  carries(path: MemberPath): boolean {
    return this.carrier === path;
  }

  /**
   * The pair layer drives the call's peer-to-peer connection: `retiring` hears when the SFU takes
   * a bridged call over (the connection stops recovering by itself and measuring its quality).
   */
  p2pRetires(retiring: () => void): void {
    this.retiring = retiring;
  }

  /** The 1:1 connection that still carries the peer (null: none, or it closed). */
  get bridged(): BridgingConnection | null {
    return this.bridging?.connection ?? null;
  }

  /**
   * The call grows: `connection` carries the peer until the SFU does; `closed` hears that it
   * closed (handed over, with no hang-up).
   */
  bridge(connection: BridgingConnection, closed: () => void): void {
    this.bridging = { connection, closed };
    this.firstCarried = null;
  }

  /**
   * The SFU carries the call from now on. A bridging 1:1 connection retires: it stops recovering
   * by itself and stays open until both directions run through the SFU (`tellPeer` sends
   * room.carried) or the safety bound.
   */
  switchToSfu(tellPeer: () => void, safetyMs?: number): void {
    this.carrier = 'sfu';
    const bridging = this.bridging;
    if (!bridging || this.pathSwitch) return;
    this.retiring();
    this.pathSwitch = new PathSwitch({ tellPeer, closeOld: () => this.closeRetiring(), safetyMs });
  }

  /**
   * The SFU worker counted frames: once the peer's decrypt through the SFU, video too when it
   * sends any, and more of them in a later report (so the decoder is past its first key frame and
   * the new track plays at once), the SFU carries the peer here and the peer is told.
   */
  framesThroughSfu(): void {
    if (!this.bridging) return;
    const member = this.peer;
    const frames = member.framesThrough('sfu');
    if (member.path.peek() !== 'p2p' || !frames) return;
    const video = member.trackOverP2p('camera') !== null;
    const flowing = (counts: ReceivedFrames) =>
      counts.audio.decrypted > 0 && (!video || counts.video.decrypted > 0);
    if (!flowing(frames)) return;
    const first = this.firstCarried;
    if (!first) {
      this.firstCarried = frames;
      return;
    }
    const more =
      frames.audio.decrypted > first.audio.decrypted &&
      (!video || frames.video.decrypted > first.video.decrypted);
    if (!more) return;
    member.carriedBy('sfu');
    this.pathSwitch?.receivingPeer();
  }

  /** room.carried from `slot`: the peer receives us through the SFU. */
  peerReceivesUs(slot: number): void {
    if (slot === this.bridging?.connection.peer.slot) this.pathSwitch?.peerReceivesUs();
  }

  /**
   * The 1:1 connection closes with no hang-up: the SFU carries the call both ways, the safety
   * bound passed, the peer left, or we leave. The call goes on through the SFU, whose path
   * recovers by itself; the 1:1 connection's end is no end of the call.
   */
  closeRetiring(): void {
    const bridging = this.bridging;
    if (!bridging) return;
    this.forgetRetiring();
    bridging.connection.detach();
    bridging.closed();
  }

  /** The 1:1 call ended by itself (before the move): nothing is left to hand over. */
  forgetRetiring(): void {
    this.bridging = null;
    this.firstCarried = null;
    this.peer.carriedBy('sfu');
    this.pathSwitch?.stop();
    this.pathSwitch = null;
  }
}
