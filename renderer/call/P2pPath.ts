import type { MediaSource } from '../../protocol';
import { MEDIA_CODECS } from '../e2ee/clearPrefix';
import type { E2eeWorkerReport, KindCounts } from '../e2ee/worker/messages';
import type { E2eeWorkerPort } from '../keys/CallKeyRing';
import { signedFingerprintLinesOnly } from '../keys/sdpFingerprint';
import { CandidateQueue } from './CandidateQueue';
import { asDtlsServer } from './dtlsRole';
import type { LocalKind, LocalMedia } from './LocalMedia';
import type { MediaPath } from './MediaPath';
import { MediaTransforms } from './MediaTransforms';
import { withoutUnlistedPayloadTypes } from './sdpPayloadTypes';

/** An ICE candidate as call.ice carries it; null means end of candidates. */
export interface IceCandidateWire {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment: string | null;
}

export interface PathEvents {
  /** A local candidate to send with call.ice (null once gathering is complete). */
  localCandidate(candidate: IceCandidateWire | null): void;
  connectionState(state: RTCPeerConnectionState): void;
  remoteStream(stream: MediaStream): void;
  /** The E2EE worker's frame counts by track kind, every STATS_INTERVAL_MS. */
  e2eeCounts(counts: KindCounts): void;
}

/**
 * One peer-to-peer connection of a call: its RTCPeerConnection, its own E2EE worker (its own
 * keys) and the transforms on every sender and receiver, set right after addTrack, before any
 * remote description. It is given the call's local media and never stops it: close() ends only
 * the connection and its worker, so the call can go on over a new path.
 */
export class P2pPath implements MediaPath {
  private readonly pc: RTCPeerConnection;
  private readonly transforms: MediaTransforms;
  private readonly remote = new MediaStream();
  private readonly remoteCandidates = new CandidateQueue<IceCandidateWire | null>();
  private readonly localCandidates = new CandidateQueue<IceCandidateWire | null>();
  private readonly senders = new Map<LocalKind, RTCRtpSender>();
  /** Between creating a renegotiation offer and setting it: an offer arriving now collides. */
  private makingOffer = false;
  /** The peer's later offers being applied: an offer of ours made meanwhile gives way to them. */
  private peerOffersApplying = 0;
  /**
   * Connected (or connecting) before the call was answered: the senders carry no track, so
   * nothing is sent, until `releaseMedia`.
   */
  private held = false;
  private closed = false;

  constructor(
    private readonly local: LocalMedia,
    private readonly events: PathEvents,
    config: RTCConfiguration,
  ) {
    this.transforms = new MediaTransforms((report: E2eeWorkerReport) => {
      if (!this.closed) this.events.e2eeCounts(report.counts);
    });
    this.pc = new RTCPeerConnection({ ...config, ...this.transforms.peerConnectionConfig });
    this.pc.onicecandidate = (event) => {
      const candidate = event.candidate;
      if (candidate && !candidate.candidate) return; // per-generation end marker; null follows
      this.localCandidates.push(candidate ? toWire(candidate) : null);
    };
    this.pc.onconnectionstatechange = () => this.events.connectionState(this.pc.connectionState);
    this.pc.ontrack = (event) => {
      if (!this.remote.getTracks().includes(event.track)) this.remote.addTrack(event.track);
      this.events.remoteStream(this.remote);
    };
  }

  /** Where this connection's SFrame keys go. */
  get keyPort(): E2eeWorkerPort {
    return this.transforms;
  }

  get connectionState(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  /** Null in a call that sends no video. */
  get videoSender(): RTCRtpSender | null {
    return this.senders.get('video') ?? null;
  }

  /** New TURN credentials for this connection's next ICE restart. */
  useIceServers(iceServers: RTCIceServer[]): void {
    if (this.closed) return;
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
    } catch (error) {
      console.warn('parley: fresh ICE servers refused', error);
    }
  }

  /** The first offer of this connection. */
  async createOffer(): Promise<string> {
    this.addLocalTracks();
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    return this.pc.localDescription?.sdp ?? offer.sdp ?? '';
  }

  /**
   * Callee, while it rings: answers the first offer with every section sending and receiving but
   * no track on any sender, so ICE and DTLS complete and nothing is sent; accepting then only
   * puts tracks on the senders (`releaseMedia`), without a new offer.
   */
  async answerOfferHeld(sdp: string): Promise<string> {
    this.held = true;
    await this.pc.setRemoteDescription(remoteDescription('offer', sdp));
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind === 'audio' ? 'audio' : 'video';
      transceiver.direction = 'sendrecv';
      if (!this.senders.has(kind)) {
        this.senders.set(kind, transceiver.sender);
        this.transforms.attachSender(transceiver.sender, kind);
      }
    }
    this.attachNewTransceivers();
    this.remoteCandidates.open((candidate) => this.addIceCandidate(candidate));
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription({ type: 'answer', sdp: asDtlsServer(answer.sdp ?? '') });
    return this.pc.localDescription?.sdp ?? answer.sdp ?? '';
  }

  /** Caller: sends nothing from now until `releaseMedia` (the call connects while it rings). */
  async holdMedia(): Promise<void> {
    this.held = true;
    await Promise.all([...this.senders.values()].map((sender) => sender.replaceTrack(null)));
  }

  /** The call was answered: every sender gets what the call's local media sends now. */
  async releaseMedia(): Promise<void> {
    if (!this.held || this.closed) return;
    this.held = false;
    await Promise.all(
      [...this.senders].map(([kind, sender]) => sender.replaceTrack(this.outgoing(kind))),
    );
  }

  /**
   * Caller, while it rings: a ringing device's early answer, provisional (`pranswer`) so that the
   * final answer may still come from another device. A browser without `pranswer` (Firefox
   * refuses it with NotSupportedError) connects only at the accept, which repeats this answer:
   * until then its candidates wait in the queue.
   */
  async applyProvisionalAnswer(sdp: string): Promise<void> {
    try {
      await this.pc.setRemoteDescription({ ...remoteDescription('answer', sdp), type: 'pranswer' });
    } catch (error) {
      if ((error as { name?: unknown }).name === 'NotSupportedError') return;
      throw error;
    }
    this.remoteCandidates.open((candidate) => this.addIceCandidate(candidate));
  }

  /** The answer to our first offer. */
  async applyAnswer(sdp: string): Promise<void> {
    await this.pc.setRemoteDescription(remoteDescription('answer', sdp));
    this.remoteCandidates.open((candidate) => this.addIceCandidate(candidate));
  }

  /**
   * Answers the first offer of this connection. Local tracks go first, so the offer's sections
   * reuse their transceivers and transforms.
   */
  async answerOffer(sdp: string): Promise<string> {
    this.addLocalTracks();
    await this.pc.setRemoteDescription(remoteDescription('offer', sdp));
    this.attachNewTransceivers();
    this.remoteCandidates.open((candidate) => this.addIceCandidate(candidate));
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription({ type: 'answer', sdp: asDtlsServer(answer.sdp ?? '') });
    return this.pc.localDescription?.sdp ?? answer.sdp ?? '';
  }

  /**
   * A new offer with new ICE credentials, on this same connection (same DTLS certificate, so the
   * same fingerprint). Throws when an offer from the peer won the race meanwhile.
   */
  async restartIce(): Promise<string> {
    this.makingOffer = true;
    try {
      this.pc.restartIce();
      const offer = await this.pc.createOffer();
      if (this.pc.signalingState !== 'stable') throw new Error('renegotiation already under way');
      await this.pc.setLocalDescription(offer);
      return this.pc.localDescription?.sdp ?? offer.sdp ?? '';
    } finally {
      this.makingOffer = false;
    }
  }

  /**
   * A later offer from the peer (an ICE restart). On a collision with our own offer the polite
   * side drops its offer and answers; the impolite side ignores theirs (null) and waits for the
   * answer to its own.
   */
  async applyOffer(sdp: string, polite: boolean): Promise<string | null> {
    const collision = this.makingOffer || this.pc.signalingState !== 'stable';
    if (collision && !polite) return null;
    this.peerOffersApplying += 1;
    try {
      // Both queued at once, so candidates that follow the offer are added after it.
      const rollback =
        this.pc.signalingState === 'have-local-offer'
          ? this.pc.setLocalDescription({ type: 'rollback' })
          : Promise.resolve();
      await Promise.all([rollback, this.pc.setRemoteDescription(remoteDescription('offer', sdp))]);
      this.attachNewTransceivers();
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      return this.pc.localDescription?.sdp ?? answer.sdp ?? '';
    } finally {
      this.peerOffersApplying -= 1;
    }
  }

  /**
   * After answering the peer's offer: an offer for what we meant to send and that answer did not
   * settle (our own offer lost the collision, say with a camera just turned on); null if none.
   */
  async offerUnsettled(): Promise<string | null> {
    if (this.closed || this.pc.signalingState !== 'stable') return null;
    const unsettled = this.pc
      .getTransceivers()
      .some(
        (t) =>
          t.sender.track !== null &&
          (t.mid === null || (t.direction === 'sendrecv' && t.currentDirection === 'recvonly')),
      );
    if (!unsettled) return null;
    return this.offerNow();
  }

  /** The answer to a later offer of ours; false when that offer was rolled back (glare). */
  async applyLaterAnswer(sdp: string): Promise<boolean> {
    if (this.pc.signalingState !== 'have-local-offer') return false;
    await this.pc.setRemoteDescription(remoteDescription('answer', sdp));
    return true;
  }

  /**
   * Starts sending video on a connection that sent none (an audio call, or a video call answered
   * with sound only): on the video section there is, or a new one, with its transform; returns
   * the new offer, which the peer answers like an ICE restart's, or null when the peer's own
   * offer came first (both turned their cameras on at once): answering it, then
   * `offerUnsettled`, settles our video instead.
   */
  async sendVideo(track: MediaStreamTrack): Promise<string | null> {
    // Our video sender if we have one (a callee that answered while it rang has one with no
    // track, which the local media may have just given the camera), else a video section unused.
    const ours = this.senders.get('video');
    const existing = this.pc
      .getTransceivers()
      .find(
        (t) =>
          t.receiver.track.kind === 'video' &&
          t.currentDirection !== 'stopped' &&
          (ours ? t.sender === ours : !t.sender.track),
      );
    let transceiver: RTCRtpTransceiver;
    if (existing) {
      existing.direction = 'sendrecv';
      if (!this.held) await existing.sender.replaceTrack(track);
      transceiver = existing;
    } else {
      const sender = this.pc.addTrack(track, this.local.stream);
      const added = this.pc.getTransceivers().find((t) => t.sender === sender);
      if (!added) throw new Error('addTrack made no transceiver');
      transceiver = added;
    }
    this.senders.set('video', transceiver.sender);
    this.transforms.attachSender(transceiver.sender, 'video');
    this.transforms.attachReceiver(transceiver.receiver);
    negotiateOnlyProtectableCodecs(transceiver, 'video');
    return this.offerNow();
  }

  /**
   * A new offer on this connection, flagged as ours while it is made (glare is judged by it);
   * null when an offer from the peer, arriving while ours was made, took the connection first.
   */
  private async offerNow(): Promise<string | null> {
    this.makingOffer = true;
    try {
      await this.pc.setLocalDescription(await this.pc.createOffer());
    } catch (error) {
      if (this.peerOffersApplying > 0 || this.pc.signalingState === 'have-remote-offer') {
        return null;
      }
      throw error;
    } finally {
      this.makingOffer = false;
    }
    return this.pc.localDescription?.sdp ?? '';
  }

  /** From now on local candidates go out (the other side knows this connection). */
  releaseLocalCandidates(): void {
    this.localCandidates.open((candidate) => this.events.localCandidate(candidate));
  }

  addRemoteCandidate(candidate: IceCandidateWire | null): void {
    if (!this.closed) this.remoteCandidates.push(candidate);
  }

  /**
   * Peer to peer, a call has one audio and one video sender: a shared screen goes in the camera's
   * place, and the camera comes back after it. While held, nothing is sent: `releaseMedia` sends
   * what the local media sends by then.
   */
  async send(source: MediaSource, _track: MediaStreamTrack | null): Promise<void> {
    const kind = source === 'microphone' ? 'audio' : 'video';
    if (!this.closed && !this.held) await this.senders.get(kind)?.replaceTrack(this.outgoing(kind));
  }

  /** What a sender of this kind sends now: the screen or the camera, the mix or the microphone. */
  private outgoing(kind: LocalKind): MediaStreamTrack | null {
    if (kind === 'audio') return this.local.sending('microphone');
    return this.local.sending('screen') ?? this.local.sending('camera');
  }

  /** Closes the connection and its worker; the local media stays. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.ontrack = null;
    this.transforms.close();
    this.remoteCandidates.clear();
    this.localCandidates.clear();
    this.pc.close();
  }

  private addLocalTracks(): void {
    for (const kind of ['audio', 'video'] as const) {
      const track = this.outgoing(kind);
      if (!track) continue;
      const sender = this.pc.addTrack(track, this.local.stream);
      const transceiver = this.pc.getTransceivers().find((t) => t.sender === sender);
      if (!transceiver) throw new Error('addTrack made no transceiver');
      this.senders.set(kind, sender);
      this.transforms.attachSender(sender, kind);
      this.transforms.attachReceiver(transceiver.receiver);
      negotiateOnlyProtectableCodecs(transceiver, kind === 'audio' ? 'audio' : 'video');
    }
    // A video call without our camera still receives the peer's video.
    if (this.local.cameraFailure && !this.senders.has('video')) {
      const transceiver = this.pc.addTransceiver('video', { direction: 'recvonly' });
      this.transforms.attachReceiver(transceiver.receiver);
      negotiateOnlyProtectableCodecs(transceiver, 'video');
    }
  }

  /**
   * Sections we send nothing on (an audio-only answer to a video call, a video section the peer
   * added) got new transceivers: they get the transforms and the codec limit too, so the answer
   * picks a protectable codec.
   */
  private attachNewTransceivers(): void {
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      // Its sender too, though it sends nothing yet: a camera turned on later (sendVideo) is
      // encrypted by a transform that was there when the sender was first negotiated.
      this.transforms.attachSender(transceiver.sender, kind);
      this.transforms.attachReceiver(transceiver.receiver);
      if (kind === 'audio' || kind === 'video') negotiateOnlyProtectableCodecs(transceiver, kind);
    }
  }

  private addIceCandidate(candidate: IceCandidateWire | null): void {
    if (this.closed) return;
    // A candidate the browser refuses (e.g. for a media section it dropped, or of an ICE
    // generation a restart replaced) must not end the call.
    this.pc.addIceCandidate(candidate ?? undefined).catch((error: unknown) => {
      console.warn('parley: remote ICE candidate refused', error);
    });
  }
}

/**
 * Formats that carry packets, not frames (retransmission, redundancy, forward error correction):
 * the frames inside them are still the media codec's, encrypted before packetization.
 */
const REPAIR_FORMATS = new Set(['video/rtx', 'video/red', 'video/ulpfec', 'video/flexfec-03']);

/**
 * Offers and answers only the media codec with a defined clear prefix (Opus, VP8) and the
 * repair formats: a frame of any other codec would be dropped at both ends. The answer picks
 * from these too, so a peer that offers VP9 first still gets VP8.
 */
function negotiateOnlyProtectableCodecs(
  transceiver: RTCRtpTransceiver,
  kind: 'audio' | 'video',
): void {
  const media = MEDIA_CODECS[kind].toLowerCase();
  const codecs = RTCRtpReceiver.getCapabilities(kind)?.codecs ?? [];
  const allowed = codecs.filter((codec) => codec.mimeType.toLowerCase() === media);
  if (allowed.length === 0) throw new Error(`this browser cannot send ${MEDIA_CODECS[kind]}`);
  const repair = codecs.filter((codec) => REPAIR_FORMATS.has(codec.mimeType.toLowerCase()));
  transceiver.setCodecPreferences([...allowed, ...repair]);
}

/**
 * A remote SDP as the browser gets it: only its signed (SHA-256) DTLS fingerprint lines, and no
 * attribute of a format its media section does not list (what Firefox offers, Chromium refuses).
 */
function remoteDescription(type: 'offer' | 'answer', sdp: string): RTCSessionDescriptionInit {
  return { type, sdp: withoutUnlistedPayloadTypes(signedFingerprintLinesOnly(sdp)) };
}

function toWire(candidate: RTCIceCandidate): IceCandidateWire {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid ?? null,
    sdpMLineIndex: candidate.sdpMLineIndex ?? null,
    usernameFragment: candidate.usernameFragment ?? null,
  };
}
