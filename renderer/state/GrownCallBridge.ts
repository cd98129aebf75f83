import { PathSwitch } from '../call/PathSwitch';
import type { ReceivedFrames } from '../call/E2eeStatusTracker';
import type { GrowingCall } from './growingCall';

/**
 * A group call's hold on the 1:1 call it grew from, while that call's connection is open: the
 * peer (the 1:1 call's RemoteMember, the group call's member now) is carried by the 1:1
 * connection until the SFU carries it here, and once the call moves to the SFU a PathSwitch
 * decides when the 1:1 connection closes (make-before-break).
 */
export class GrownCallBridge {
  /** The peer's frames first seen decrypted through the SFU (null: none yet). */
  private firstCarried: ReceivedFrames | null = null;
  private pathSwitch: PathSwitch | null = null;
  private open = true;

  /** `closed` hears that the 1:1 connection closed (handed over, with no hang-up). */
  constructor(
    readonly call: GrowingCall,
    private readonly closed: () => void,
  ) {}

  /**
   * The call moved to the SFU: the 1:1 connection stops recovering by itself and stays open until
   * both directions run through the SFU (`tellPeer` sends room.carried) or the safety bound.
   */
  moving(tellPeer: () => void, safetyMs?: number): void {
    this.call.moving();
    this.pathSwitch = new PathSwitch({ tellPeer, closeOld: () => this.close(), safetyMs });
  }

  /**
   * The SFU worker counted frames: once the peer's decrypt through the SFU, video too when it
   * sends any, and more of them in a later report (so the decoder is past its first key frame and
   * the new track plays at once), the SFU carries the peer here and the peer is told.
   */
  framesThroughSfu(): void {
    const member = this.call.activeCall.members.peer;
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
    if (slot === this.call.peer.slot) this.pathSwitch?.peerReceivesUs();
  }

  /**
   * The 1:1 connection closes with no hang-up: the SFU carries the call both ways, the safety
   * bound passed, the peer left, or we leave. The call goes on through the SFU, whose path
   * recovers by itself; the 1:1 connection's end is no end of the call.
   */
  close(): void {
    if (!this.open) return;
    this.forget();
    this.call.handOver();
    this.closed();
  }

  /** The 1:1 call ended by itself (before the move): nothing is left to hand over. */
  forget(): void {
    this.open = false;
    this.call.activeCall.members.peer.carriedBy('sfu');
    this.pathSwitch?.stop();
    this.pathSwitch = null;
  }
}
