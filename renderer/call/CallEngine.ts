import type { CallMedia } from '../../protocol';
import type { E2eeWorkerPort } from '../keys/CallKeyRing';
import type { IceNetwork } from './iceConfiguration';
import {
  openCamera,
  type CameraFailure,
  type LocalMedia,
  type MediaInputChoice,
} from './LocalMedia';
import { P2pPath, type IceCandidateWire, type PathEvents } from './P2pPath';

export type { IceCandidateWire } from './P2pPath';

export type CallEngineEvents = PathEvents;

/**
 * One call's peer-to-peer connection: the current one, which `newConnection` replaces (a rejoin)
 * while the call's local media, which it is given and never closes, goes on. It knows nothing of
 * signaling or identities: the controller moves SDP and candidates and hands keys to `keyPort`,
 * which is the current connection's.
 */
export class CallEngine {
  private path: P2pPath;
  /** STUN/TURN servers and transport policy of every connection of the call. */
  private rtcConfig: RTCConfiguration;

  /**
   * Sends `local` (the call's, open or still empty: a pre-connected callee's) over connections
   * through `network`'s STUN/TURN servers; `inputs` says which devices open later (a pre-connected
   * call's on accept, a camera turned on).
   */
  constructor(
    private readonly local: LocalMedia,
    private readonly events: CallEngineEvents,
    network: IceNetwork,
    private readonly inputs: () => MediaInputChoice,
  ) {
    this.rtcConfig = { ...network };
    this.path = this.openPath();
  }

  get localStream(): MediaStream {
    return this.local.stream;
  }

  /** Where the current connection's SFrame keys go. */
  get keyPort(): E2eeWorkerPort {
    return this.path.keyPort;
  }

  get connectionState(): RTCPeerConnectionState {
    return this.path.connectionState;
  }

  /**
   * Fresh TURN credentials (`ice.servers`) for the next ICE restart or rejoin: a relay allocation
   * already made keeps working after its credential expires, a new one does not.
   */
  useIceServers(iceServers: RTCIceServer[]): void {
    this.rtcConfig = { ...this.rtcConfig, iceServers };
    this.path.useIceServers(iceServers);
  }

  /** The current connection's statistics, for the quality monitor and the call path details. */
  getStats(): Promise<RTCStatsReport> {
    return this.path.getStats();
  }

  /** The current connection's video sender, which the quality monitor steps down and up. */
  get videoSender(): RTCRtpSender | null {
    return this.path.videoSender;
  }

  /**
   * Closes the current connection and its worker and starts a new one (new certificate, new
   * worker, no keys yet) for the same local media; it then takes a first offer or answer again.
   */
  newConnection(): void {
    this.closePath();
    this.path = this.openPath();
  }

  /** Caller (or rejoiner): the first offer of the current connection. */
  createOffer(): Promise<string> {
    return this.path.createOffer();
  }

  /** Callee while it rings: answers the first offer, sending nothing (see P2pPath). */
  answerOfferHeld(sdp: string): Promise<string> {
    return this.path.answerOfferHeld(sdp);
  }

  /** Caller while it rings: a ringing device's early answer; nothing is sent until released. */
  async applyProvisionalAnswer(sdp: string): Promise<void> {
    await this.path.holdMedia();
    await this.path.applyProvisionalAnswer(sdp);
  }

  /** A pre-connected callee accepted: opens the camera and microphone and sends them. */
  async openMedia(media: CallMedia): Promise<void> {
    await this.local.fill(media, this.inputs());
    await this.path.releaseMedia();
  }

  /** The call was answered: the current connection sends the local media (no-op unless held). */
  releaseMedia(): Promise<void> {
    return this.path.releaseMedia();
  }

  /** The answer to the current connection's first offer. */
  applyAnswer(sdp: string): Promise<void> {
    return this.path.applyAnswer(sdp);
  }

  /** Callee (or the party rejoined): takes the first offer and returns the answer. */
  answerOffer(sdp: string): Promise<string> {
    return this.path.answerOffer(sdp);
  }

  /** An ICE restart offer on the current connection. */
  restartIce(): Promise<string> {
    return this.path.restartIce();
  }

  /** A later offer from the peer; null when ours wins the collision (we are impolite). */
  applyOffer(sdp: string, polite: boolean): Promise<string | null> {
    return this.path.applyOffer(sdp, polite);
  }

  /** After answering the peer: our own offer again, if the collision dropped what it carried. */
  offerUnsettled(): Promise<string | null> {
    return this.path.offerUnsettled();
  }

  /** The answer to our later offer; false when that offer was dropped in a collision. */
  applyLaterAnswer(sdp: string): Promise<boolean> {
    return this.path.applyLaterAnswer(sdp);
  }

  /** From now on local candidates go out (the other side knows this connection). */
  releaseLocalCandidates(): void {
    this.path.releaseLocalCandidates();
  }

  addRemoteCandidate(candidate: IceCandidateWire | null): void {
    this.path.addRemoteCandidate(candidate);
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.local.setMicrophoneEnabled(enabled);
  }

  setCameraEnabled(enabled: boolean): void {
    this.local.setCameraEnabled(enabled);
  }

  /** Swaps the microphone or camera for another device's track (the transform stays). */
  replaceInput(track: MediaStreamTrack): Promise<void> {
    return this.local.replaceInput(track);
  }

  /**
   * Turns the call into a video call on our side: opens the camera, makes it the call's (so every
   * other path it is sent on, the SFU's of a grown call, sends it too) and sends it over this
   * connection; returns the offer that tells the peer (call.offer), or null when the peer's own
   * offer came first and its answer carries our video. Throws MediaAccessError when the camera
   * cannot open.
   */
  async startVideo(): Promise<string | null> {
    const track = await openCamera(this.inputs());
    await this.local.sendCamera(track);
    return this.path.sendVideo(track);
  }

  /**
   * Sends a screen (and its audio mixed in) in place of the camera; null goes back. Peer to peer
   * the screen takes the camera's sender, so a call that sends no video cannot share one.
   */
  async sendScreen(
    track: MediaStreamTrack | null,
    audio: MediaStreamTrack | null = null,
  ): Promise<void> {
    if (!this.local.hasVideo) {
      audio?.stop();
      throw new Error('this call sends no video');
    }
    await this.local.shareScreen(track, audio);
  }

  get sharingScreen(): boolean {
    return this.local.sharingScreen;
  }

  /** Why this video call goes without our camera (null: it has it, or it is an audio call). */
  get cameraFailure(): CameraFailure | null {
    return this.local.cameraFailure;
  }

  get hasVideo(): boolean {
    return this.local.hasVideo;
  }

  /** Closes the connection; the call's local media goes on (its call closes it); safe twice. */
  close(): void {
    this.closePath();
  }

  private openPath(): P2pPath {
    const path = new P2pPath(this.local, this.events, this.rtcConfig);
    this.local.attach(path);
    return path;
  }

  private closePath(): void {
    this.local.detach(this.path);
    this.path.close();
  }
}
