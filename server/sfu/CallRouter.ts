// One call's media on the SFU: a mediasoup Router, each participant's send and receive
// WebRtcTransports, and an active-speaker observer over the call's audio.
import type { types } from 'mediasoup';
import { CallFullError, SfuPortsExhaustedError } from './MediaRouter';
import type { SfuOptions } from './SfuOptions';

/**
 * Opus and VP8 only: Chromium's H.264 packetizer splits on start codes, which SFrame ciphertext
 * contains by chance. The RTP header extensions simulcast needs (mid, rid, repaired-rid,
 * abs-send-time, transport-wide-cc) come from mediasoup's defaults.
 */
export const CALL_MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
];

// How the worker says a transport found no free port in its range (mediasoup has no error type).
const NO_FREE_PORT = 'no more available ports';

export interface ParticipantTransports {
  /** Carries the participant's own media to the SFU. */
  send: types.WebRtcTransport;
  /** Carries everyone else's media to the participant. */
  receive: types.WebRtcTransport;
}

export interface CallRouterSetup {
  callId: string;
  worker: types.Worker;
  options: SfuOptions;
  /** Told the participant whose audio now dominates the call. */
  onDominantSpeaker?: (participantId: string) => void;
  /** Called once when the router goes away, closed here or with its worker. */
  onClosed: () => void;
}

export class CallRouter {
  private readonly participants = new Map<string, ParticipantTransports | 'creating'>();
  private readonly speakers = new Map<string, string>(); // audio producer id -> participant id

  private constructor(
    readonly callId: string,
    /** The mediasoup Router, for the producer and consumer layer built on top. */
    readonly router: types.Router,
    private readonly speakerObserver: types.ActiveSpeakerObserver,
    /** pid of the worker process the call runs in. */
    readonly workerPid: number,
    private readonly options: SfuOptions,
  ) {}

  static async create(setup: CallRouterSetup): Promise<CallRouter> {
    const router = await setup.worker.createRouter({ mediaCodecs: CALL_MEDIA_CODECS });
    router.observer.once('close', setup.onClosed);
    try {
      const observer = await router.createActiveSpeakerObserver();
      const call = new CallRouter(setup.callId, router, observer, setup.worker.pid, setup.options);
      observer.on('dominantspeaker', ({ producer }) => {
        const participantId = call.speakers.get(producer.id);
        if (participantId !== undefined) setup.onDominantSpeaker?.(participantId);
      });
      router.observer.once('close', () => call.participants.clear());
      return call;
    } catch (error) {
      router.close();
      throw error;
    }
  }

  get closed(): boolean {
    return this.router.closed;
  }

  get participantCount(): number {
    return this.participants.size;
  }

  /**
   * Creates the participant's send and receive transports, listening on the configured address
   * and port range over UDP and TCP (TCP for networks that block UDP). Throws CallFullError when
   * the call is at its participant limit and SfuPortsExhaustedError when the port range is, in
   * both cases creating nothing.
   */
  async addParticipant(participantId: string): Promise<ParticipantTransports> {
    if (this.closed) throw new Error(`Call ${this.callId} has ended on the SFU`);
    if (this.participants.has(participantId)) {
      throw new Error(`${participantId} is already in call ${this.callId} on the SFU`);
    }
    if (this.participants.size >= this.options.participantsPerCall) {
      throw new CallFullError(this.callId, this.options.participantsPerCall);
    }
    // Held before the first await, so concurrent joins cannot overshoot the limit.
    this.participants.set(participantId, 'creating');
    const created: types.WebRtcTransport[] = [];
    try {
      for (let i = 0; i < 2; i += 1) created.push(await this.createTransport(participantId));
    } catch (error) {
      for (const transport of created) transport.close();
      this.participants.delete(participantId);
      if (error instanceof Error && error.message.includes(NO_FREE_PORT)) {
        throw new SfuPortsExhaustedError(error);
      }
      throw error;
    }
    const transports = { send: created[0]!, receive: created[1]! };
    if (this.participants.get(participantId) !== 'creating') {
      // Removed (or the call closed) while its transports were being made.
      transports.send.close();
      transports.receive.close();
      throw new Error(`${participantId} left call ${this.callId} while joining`);
    }
    this.participants.set(participantId, transports);
    return transports;
  }

  /** Closes the participant's transports (and so their producers and consumers). */
  removeParticipant(participantId: string): void {
    const transports = this.participants.get(participantId);
    this.participants.delete(participantId);
    if (transports === undefined || transports === 'creating') return;
    transports.send.close();
    transports.receive.close();
    for (const [producerId, speaker] of this.speakers) {
      if (speaker === participantId) this.speakers.delete(producerId);
    }
  }

  /** Lets the participant's audio producer compete for dominant speaker. */
  async observeSpeaker(participantId: string, audioProducer: types.Producer): Promise<void> {
    this.speakers.set(audioProducer.id, participantId);
    audioProducer.observer.once('close', () => this.speakers.delete(audioProducer.id));
    await this.speakerObserver.addProducer({ producerId: audioProducer.id });
  }

  /** Frees the router, every transport, producer and consumer in it, and its observer. */
  close(): void {
    this.router.close();
  }

  private createTransport(participantId: string): Promise<types.WebRtcTransport> {
    const { listenIp, announcedAddress, rtcMinPort, rtcMaxPort } = this.options;
    const portRange = { min: rtcMinPort, max: rtcMaxPort };
    return this.router.createWebRtcTransport({
      listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({
        protocol,
        ip: listenIp,
        announcedAddress,
        portRange,
      })),
      preferUdp: true,
      appData: { participantId },
    });
  }
}
