import type { CallMedia } from '../../protocol';
import type { E2eeWorkerReport, FrameCounts } from '../e2ee/worker/messages';
import type { E2eeWorkerPort } from '../keys/CallKeyRing';
import { AudioMixer, audioSenderSource } from './AudioMixer';
import { CandidateQueue } from './CandidateQueue';
import type { IceNetwork } from './iceConfiguration';
import { MediaTransforms } from './MediaTransforms';
import { MediaAccessError } from './mediaErrors';

/** An ICE candidate as call.ice carries it; null means end of candidates. */
export interface IceCandidateWire {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment: string | null;
}

export interface CallEngineEvents {
  /** A local candidate to send with call.ice (null once gathering is complete). */
  localCandidate(candidate: IceCandidateWire | null): void;
  connectionState(state: RTCPeerConnectionState): void;
  remoteStream(stream: MediaStream): void;
  /** The E2EE worker's frame counts, every STATS_INTERVAL_MS. */
  e2eeCounts(counts: FrameCounts): void;
  /** A local camera or microphone track ended by itself (device unplugged). */
  localTrackEnded(kind: 'audio' | 'video'): void;
}

/** Which input devices to open; undefined means the system default. */
export interface MediaInputChoice {
  microphoneId?: string | undefined;
  cameraId?: string | undefined;
}

const cameraSize = { width: { ideal: 1280 }, height: { ideal: 720 } };

/** getUserMedia constraints for one kind of input: exactly this device, or the default. */
export function inputConstraints(
  kind: 'audio' | 'video',
  deviceId: string | undefined,
): MediaTrackConstraints {
  const base = kind === 'video' ? { ...cameraSize } : {};
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

/**
 * Opens the chosen devices; when one of them is gone (unplugged since it was chosen) it opens
 * the defaults instead, so a stale choice never stops a call or a preview.
 */
export async function openChosenInputs(
  audio: boolean,
  video: boolean,
  inputs: MediaInputChoice,
): Promise<MediaStream> {
  const constraints = (useChoice: boolean): MediaStreamConstraints => ({
    audio: audio && inputConstraints('audio', useChoice ? inputs.microphoneId : undefined),
    video: video && inputConstraints('video', useChoice ? inputs.cameraId : undefined),
  });
  try {
    return await navigator.mediaDevices.getUserMedia(constraints(true));
  } catch (error) {
    const name = error instanceof Error || error instanceof DOMException ? error.name : '';
    const chose = (audio && inputs.microphoneId) || (video && inputs.cameraId);
    if (!chose || (name !== 'OverconstrainedError' && name !== 'NotFoundError')) throw error;
    return navigator.mediaDevices.getUserMedia(constraints(false));
  }
}

/**
 * Owns one call's RTCPeerConnection, local media and E2EE worker. It knows nothing of signaling
 * or identities: the controller moves SDP and candidates and hands keys to `keyPort`. Every sender
 * and receiver gets its SFrame transform right after addTrack, before any remote description.
 */
export class CallEngine {
  private readonly pc: RTCPeerConnection;
  private readonly transforms: MediaTransforms;
  private readonly remote = new MediaStream();
  private readonly remoteCandidates = new CandidateQueue<IceCandidateWire | null>();
  private readonly localCandidates = new CandidateQueue<IceCandidateWire | null>();
  private readonly senders = new Map<'audio' | 'video', RTCRtpSender>();
  /** A screen track sent in place of the camera, while sharing. */
  private screenTrack: MediaStreamTrack | null = null;
  /** Microphone plus the shared screen's audio, sent in place of the microphone while sharing. */
  private audioMix: AudioMixer | null = null;
  private closed = false;

  private constructor(
    readonly localStream: MediaStream,
    private readonly events: CallEngineEvents,
    network: IceNetwork,
  ) {
    this.transforms = new MediaTransforms((report: E2eeWorkerReport) => {
      if (!this.closed) this.events.e2eeCounts(report.counts);
    });
    this.pc = new RTCPeerConnection({ ...network, ...this.transforms.peerConnectionConfig });
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
    for (const track of localStream.getTracks()) this.watchEnded(track);
  }

  /**
   * Opens the camera and microphone (microphone only for audio calls). `network` names the
   * STUN/TURN servers and whether only relay candidates may be used.
   */
  static async open(
    media: CallMedia,
    events: CallEngineEvents,
    inputs: MediaInputChoice = {},
    network: IceNetwork = { iceServers: [] },
  ): Promise<CallEngine> {
    let stream: MediaStream;
    try {
      stream = await openChosenInputs(true, media === 'video', inputs);
    } catch (error) {
      throw new MediaAccessError(error);
    }
    return new CallEngine(stream, events, network);
  }

  /** Where the call's SFrame keys go. */
  get keyPort(): E2eeWorkerPort {
    return this.transforms;
  }

  get connectionState(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  /**
   * Fresh TURN credentials (`ice.servers`) for the connection's next ICE restart: a relay
   * allocation already made keeps working after its credential expires, a new one does not.
   */
  useIceServers(iceServers: RTCIceServer[]): void {
    if (this.closed) return;
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
    } catch (error) {
      console.warn('parley: fresh ICE servers refused', error);
    }
  }

  /** Caller: the offer to send with call.invite. */
  async createOffer(): Promise<string> {
    this.addLocalTracks();
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    return this.pc.localDescription?.sdp ?? offer.sdp ?? '';
  }

  /** Caller: the callee's answer from call.accept. */
  async applyAnswer(sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    this.remoteCandidates.open((candidate) => this.addIceCandidate(candidate));
  }

  /**
   * Callee: takes the offer from call.invite and returns the answer for call.accept. Local tracks
   * go first, so the offer's sections reuse their transceivers and transforms.
   */
  async answerOffer(sdp: string): Promise<string> {
    this.addLocalTracks();
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    // Sections we send nothing on (an audio-only answer to a video call) got new transceivers.
    for (const transceiver of this.pc.getTransceivers())
      this.transforms.attachReceiver(transceiver);
    this.remoteCandidates.open((candidate) => this.addIceCandidate(candidate));
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    return this.pc.localDescription?.sdp ?? answer.sdp ?? '';
  }

  /** From now on local candidates go out (the other side knows this call). */
  releaseLocalCandidates(): void {
    this.localCandidates.open((candidate) => this.events.localCandidate(candidate));
  }

  addRemoteCandidate(candidate: IceCandidateWire | null): void {
    if (!this.closed) this.remoteCandidates.push(candidate);
  }

  setMicrophoneEnabled(enabled: boolean): void {
    for (const track of this.localStream.getAudioTracks()) track.enabled = enabled;
  }

  setCameraEnabled(enabled: boolean): void {
    for (const track of this.localStream.getVideoTracks()) track.enabled = enabled;
  }

  /**
   * Swaps the microphone or camera for another device's track. The sender keeps its SFrame
   * transform because only its track changes (replaceTrack), never the sender itself.
   */
  async replaceInput(track: MediaStreamTrack): Promise<void> {
    if (this.closed) {
      track.stop();
      return;
    }
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    const old =
      kind === 'audio' ? this.localStream.getAudioTracks() : this.localStream.getVideoTracks();
    track.enabled = old[0]?.enabled ?? true;
    const sender = this.senders.get(kind);
    if (kind === 'audio' && this.audioMix) this.audioMix.useMicrophone(track);
    else if (sender && !(kind === 'video' && this.screenTrack)) await sender.replaceTrack(track);
    for (const previous of old) {
      this.localStream.removeTrack(previous);
      previous.stop();
    }
    this.localStream.addTrack(track);
    this.watchEnded(track);
  }

  /**
   * Sends a screen track in place of the camera, and its audio (if any) mixed with the
   * microphone; null goes back to the camera and the plain microphone. The engine stops the
   * screen's audio track when the share ends; the screen track stays its caller's.
   */
  async sendScreen(
    track: MediaStreamTrack | null,
    audio: MediaStreamTrack | null = null,
  ): Promise<void> {
    const sender = this.senders.get('video');
    if (!sender || this.closed) {
      audio?.stop();
      throw new Error('this call sends no video');
    }
    this.screenTrack = track;
    await sender.replaceTrack(track ?? this.localStream.getVideoTracks()[0] ?? null);
    await this.sendAudio(track === null ? null : audio);
  }

  /** The screen's audio mixed in, or (null) the plain microphone again. */
  private async sendAudio(displayAudio: MediaStreamTrack | null): Promise<void> {
    const microphone = this.localStream.getAudioTracks()[0] ?? null;
    const previousMix = this.audioMix;
    const source = audioSenderSource({
      sharingScreen: this.screenTrack !== null,
      displayAudio: displayAudio !== null,
    });
    this.audioMix =
      source === 'mix' && displayAudio ? new AudioMixer(microphone, displayAudio) : null;
    await this.senders.get('audio')?.replaceTrack(this.audioMix?.track ?? microphone);
    previousMix?.close();
  }

  get sharingScreen(): boolean {
    return this.screenTrack !== null;
  }

  /** The track the video sender sends now (the screen while sharing). */
  get sentVideoTrack(): MediaStreamTrack | null {
    return this.senders.get('video')?.track ?? null;
  }

  /** The video sender, whose encoding the quality monitor steps down and up; null without video. */
  get videoSender(): RTCRtpSender | null {
    return this.senders.get('video') ?? null;
  }

  /** The connection's statistics, for the quality monitor and the call path details. */
  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  get hasVideo(): boolean {
    return this.localStream.getVideoTracks().length > 0;
  }

  /** Stops the camera and microphone and closes the connection; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.ontrack = null;
    for (const track of this.localStream.getTracks()) track.stop();
    this.screenTrack?.stop();
    this.audioMix?.close();
    this.transforms.close();
    this.remoteCandidates.clear();
    this.localCandidates.clear();
    this.pc.close();
  }

  private addLocalTracks(): void {
    for (const track of this.localStream.getTracks()) {
      const sender = this.pc.addTrack(track, this.localStream);
      const transceiver = this.pc.getTransceivers().find((t) => t.sender === sender);
      if (!transceiver) throw new Error('addTrack made no transceiver');
      this.senders.set(track.kind === 'audio' ? 'audio' : 'video', sender);
      this.transforms.attachSender(sender, track.kind);
      this.transforms.attachReceiver(transceiver);
      preferCodec(transceiver, track.kind === 'audio' ? 'audio/opus' : 'video/VP8');
    }
  }

  private watchEnded(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => {
      if (this.closed || !this.localStream.getTracks().includes(track)) return;
      this.events.localTrackEnded(track.kind === 'audio' ? 'audio' : 'video');
    });
  }

  private addIceCandidate(candidate: IceCandidateWire | null): void {
    if (this.closed) return;
    // A candidate the browser refuses (e.g. for a media section it dropped) must not end the call.
    this.pc.addIceCandidate(candidate ?? undefined).catch((error: unknown) => {
      console.warn('parley: remote ICE candidate refused', error);
    });
  }
}

/** Puts one codec first in negotiation (VP8, Opus: the clear prefixes Parley knows best). */
function preferCodec(transceiver: RTCRtpTransceiver, mimeType: string): void {
  const kind = mimeType.split('/')[0] as 'audio' | 'video';
  const codecs = RTCRtpReceiver.getCapabilities(kind)?.codecs ?? [];
  const wanted = mimeType.toLowerCase();
  const first = codecs.filter((codec) => codec.mimeType.toLowerCase() === wanted);
  if (first.length === 0) return;
  const rest = codecs.filter((codec) => codec.mimeType.toLowerCase() !== wanted);
  transceiver.setCodecPreferences([...first, ...rest]);
}

function toWire(candidate: RTCIceCandidate): IceCandidateWire {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid ?? null,
    sdpMLineIndex: candidate.sdpMLineIndex ?? null,
    usernameFragment: candidate.usernameFragment ?? null,
  };
}
