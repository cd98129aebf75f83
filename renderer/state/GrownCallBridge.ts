import { PathSwitch } from '../call/PathSwitch';
import type { ReceivedFrames } from '../call/E2eeStatusTracker';
import type { GrowingCall } from './growingCall';

/**
 * A group call's hold on the 1:1 call it grew from, while that call's connection is open: the
 * peer's tile plays the 1:1 connection until the SFU carries the peer here, and once the call
 * moves to the SFU a PathSwitch decides when the 1:1 connection closes (make-before-break).
 */
export class GrownCallBridge {
  /** The peer's tile plays the 1:1 connection (until the SFU carries the peer here). */
  private showing = true;
  /** The peer's frames first seen decrypted through the SFU (null: none yet). */
  private firstCarried: ReceivedFrames | null = null;
  private pathSwitch: PathSwitch | null = null;
  private open = true;

  /** `closed` hears that the 1:1 connection closed (handed over, with no hang-up). */
  constructor(
    readonly call: GrowingCall,
    private readonly closed: () => void,
  ) {}

  /** The 1:1 call, while the tile of `slot` (the peer's) plays its connection; else null. */
  bridging(slot: number): GrowingCall | null {
    return this.showing && this.call.peer.slot === slot ? this.call : null;
  }

  /**
   * The call moved to the SFU: the 1:1 connection stops recovering by itself and stays open until
   * both directions run through the SFU (`tellPeer` sends room.carried) or the safety bound.
   */
  moving(tellPeer: () => void, safetyMs?: number): void {
    this.call.moving();
    this.pathSwitch = new PathSwitch({ tellPeer, closeOld: () => this.close(), safetyMs });
  }

  /**
   * The peer's frames through the SFU as the worker counts them: once they decrypt, video too when
   * it sends any, and more of them in a later report (so the decoder is past its first key frame
   * and the new track plays at once), its tile shows the SFU's tracks and the peer is told.
   */
  framesThroughSfu(frames: ReceivedFrames | null): void {
    if (!this.showing || !frames) return;
    const video = this.call.remoteTrack('camera') !== null;
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
    this.showing = false;
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
    this.showing = false;
    this.pathSwitch?.stop();
    this.pathSwitch = null;
  }
}
