import { Device, type types } from 'mediasoup-client';
import type { BoundedJsonObject, MediaSource, SfuTransport } from '../../protocol';
import type { E2eeWorkerReport } from '../e2ee/worker/messages';
import type { E2eeWorkerPort } from '../keys/SenderKeyRing';
import type { MediaPath } from './MediaPath';
import { MediaTransforms } from './MediaTransforms';

/** What the path asks of the server: the SFU requests of docs/protocol.md "Group calls". */
export interface SfuSignaling {
  router(): Promise<BoundedJsonObject>;
  transports(
    rtpCapabilities: BoundedJsonObject,
  ): Promise<{ send: SfuTransport; recv: SfuTransport }>;
  connect(transportId: string, dtlsParameters: BoundedJsonObject): Promise<void>;
  produce(
    kind: 'audio' | 'video',
    source: MediaSource,
    rtpParameters: BoundedJsonObject,
  ): Promise<string>;
  closeProducer(producerId: string): Promise<void>;
  resume(consumerId: string): Promise<void>;
  pause(consumerId: string): Promise<void>;
  layers(consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void>;
  keyFrame(consumerId: string): Promise<void>;
  /** New ICE parameters of one of our transports, for an ICE restart. */
  restartIce(transportId: string): Promise<BoundedJsonObject>;
}

/** A consumer the server made for us (room.consumer), paused until we resume it. */
export interface SfuConsumerOffer {
  /** The receive transport it is on: an offer for one made before this path's is stale. */
  transportId: string;
  consumerId: string;
  producerId: string;
  slot: number;
  kind: 'audio' | 'video';
  source: MediaSource;
  rtpParameters: BoundedJsonObject;
}

export interface SfuRemoteTrack {
  consumerId: string;
  slot: number;
  source: MediaSource;
  track: MediaStreamTrack;
}

export interface SfuPathEvents {
  /** The worse of the two transports' states, once either has started. */
  connectionState(state: RTCPeerConnectionState): void;
  /** One transport's own state: what an ICE restart of that transport answers to. */
  transportState(transportId: string, state: RTCPeerConnectionState): void;
  remoteTrack(remote: SfuRemoteTrack): void;
  remoteTrackEnded(consumerId: string): void;
  e2eeReport(report: E2eeWorkerReport): void;
}

/**
 * The camera's simulcast layers, lowest first (rid r0, r1, r2): a quarter, half and the full
 * resolution. One layer for a screen share, whose detail matters more than its frame rate.
 */
export const CAMERA_LAYERS: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

const STATE_ORDER: RTCPeerConnectionState[] = [
  'failed',
  'disconnected',
  'closed',
  'new',
  'connecting',
  'connected',
];

interface Transports {
  send: types.Transport;
  recv: types.Transport;
}

/**
 * A call's media through the SFU: one mediasoup-client Device, a send and a receive transport,
 * a producer per local source and a consumer per remote one, and its own E2EE worker whose
 * transforms are set on each RTCRtpSender and RTCRtpReceiver before it is negotiated (the
 * onRtpSender and onRtpReceiver hooks), so no frame leaves or is decoded unencrypted.
 *
 * The path exists as soon as it is made and opens its transports in the background: the server
 * offers the consumers of the members already there (room.consumer) before it answers
 * room.transports, and those offers wait here for the receive transport instead of being lost.
 */
export class SfuPath implements MediaPath {
  private readonly producers = new Map<MediaSource, types.Producer>();
  /**
   * A source's producer being made: a send of that source meanwhile (a camera turned on while
   * the path first sends everything) waits for it, then replaces its track, never makes a second.
   */
  private readonly producing = new Map<MediaSource, Promise<void>>();
  private readonly consumers = new Map<string, { consumer: types.Consumer; slot: number }>();
  private readonly transforms: MediaTransforms;
  private readonly transports: Promise<Transports>;
  private closed = false;

  constructor(
    private readonly signaling: SfuSignaling,
    private readonly events: SfuPathEvents,
    iceServers: RTCIceServer[],
  ) {
    this.transforms = new MediaTransforms((report) => events.e2eeReport(report));
    this.transports = this.openTransports(iceServers);
    // Whoever needs the transports sees the failure; this only keeps it from going unhandled.
    this.transports.catch(() => {});
  }

  /** Resolves once both transports are made; throws when they cannot be. */
  async opened(): Promise<void> {
    await this.transports;
  }

  /** Loads the router's capabilities, makes both transports, and wires them to signaling. */
  private async openTransports(iceServers: RTCIceServer[]): Promise<Transports> {
    const { signaling } = this;
    // Named, not detected: Electron's user agent may not be recognised.
    const device = new Device({ handlerName: 'Chrome111' });
    await device.load({
      routerRtpCapabilities: (await signaling.router()) as unknown as types.RtpCapabilities,
    });
    const { send, recv } = await signaling.transports(
      device.rtpCapabilities as unknown as BoundedJsonObject,
    );
    const settings = { iceServers, additionalSettings: this.transforms.peerConnectionConfig };
    const sendTransport = device.createSendTransport({ ...transportOptions(send), ...settings });
    const recvTransport = device.createRecvTransport({ ...transportOptions(recv), ...settings });
    for (const transport of [sendTransport, recvTransport]) {
      transport.on('connect', ({ dtlsParameters }, callback, errback) => {
        signaling
          .connect(transport.id, dtlsParameters as unknown as BoundedJsonObject)
          .then(callback, errback);
      });
      transport.on('connectionstatechange', (state) => {
        if (this.closed) return;
        this.events.transportState(transport.id, state as RTCPeerConnectionState);
        this.reportState(sendTransport, recvTransport);
      });
    }
    sendTransport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      signaling
        .produce(kind, appData.source as MediaSource, rtpParameters as unknown as BoundedJsonObject)
        .then((id) => callback({ id }), errback);
    });
    return { send: sendTransport, recv: recvTransport };
  }

  /** Where this path's SFrame keys go. */
  get keyPort(): E2eeWorkerPort {
    return this.transforms;
  }

  /** Through the SFU every source is a producer of its own. */
  send(source: MediaSource, track: MediaStreamTrack | null): Promise<void> {
    return track ? this.produce(source, track) : this.stopProducing(source);
  }

  /** Sends a local track; the camera in three simulcast layers. */
  private async produce(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    while (this.producing.has(source)) await this.producing.get(source)!.catch(() => {});
    // Nothing awaits from the check above to `producing.set`: two sends of one source never both
    // make a producer, however they interleave.
    const producer = this.producers.get(source);
    if (producer) {
      await producer.replaceTrack({ track });
      return;
    }
    const made = this.newProducer(source, track);
    this.producing.set(source, made);
    try {
      await made;
    } finally {
      if (this.producing.get(source) === made) this.producing.delete(source);
    }
  }

  private async newProducer(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    const { send } = await this.transports;
    const producer = await send.produce({
      track,
      encodings: source === 'camera' ? CAMERA_LAYERS : undefined,
      stopTracks: false,
      onRtpSender: (sender) => this.transforms.attachSender(sender, track.kind),
      appData: { source },
    });
    this.producers.set(source, producer);
  }

  /** Stops sending a source (a screen share ends); the track itself is the caller's. */
  private async stopProducing(source: MediaSource): Promise<void> {
    while (this.producing.has(source)) await this.producing.get(source)!.catch(() => {});
    const producer = this.producers.get(source);
    if (!producer) return;
    this.producers.delete(source);
    producer.close();
    await this.signaling.closeProducer(producer.id);
  }

  /**
   * Takes a consumer the server made; it plays once `resumeSlot` names its sender. False, and
   * nothing taken, for an offer on a receive transport this path does not have (made for an
   * earlier path, and sent again after a reconnect): no frame would ever reach it.
   */
  async consume(offer: SfuConsumerOffer): Promise<boolean> {
    const { recv } = await this.transports;
    if (this.closed || offer.transportId !== recv.id) return false;
    const consumer = await recv.consume({
      id: offer.consumerId,
      producerId: offer.producerId,
      kind: offer.kind,
      rtpParameters: offer.rtpParameters as unknown as types.RtpParameters,
      onRtpReceiver: (receiver) => this.transforms.attachReceiver(receiver),
    });
    if (this.closed) {
      consumer.close();
      return false;
    }
    this.consumers.set(offer.consumerId, { consumer, slot: offer.slot });
    this.events.remoteTrack({
      consumerId: offer.consumerId,
      slot: offer.slot,
      source: offer.source,
      track: consumer.track,
    });
    return true;
  }

  /**
   * Plays a sender's consumers once its key is in the worker: the server resumes them, and video
   * asks for a key frame, since frames before the key could not be decrypted and a decoder needs
   * a key frame to start.
   */
  async resumeSlot(slot: number): Promise<void> {
    for (const [consumerId, entry] of this.consumers) {
      if (entry.slot !== slot) continue;
      await this.signaling.resume(consumerId);
      if (entry.consumer.kind === 'video') await this.signaling.keyFrame(consumerId);
    }
  }

  /** The simulcast layer a tile of this size wants (0 lowest). */
  async preferLayer(consumerId: string, spatialLayer: number): Promise<void> {
    if (!this.consumers.has(consumerId)) return;
    await this.signaling.layers(consumerId, spatialLayer);
  }

  /** A tile off screen: the SFU stops forwarding it until it shows again. */
  async pauseConsumer(consumerId: string): Promise<void> {
    if (this.consumers.has(consumerId)) await this.signaling.pause(consumerId);
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    if (this.consumers.has(consumerId)) await this.signaling.resume(consumerId);
  }

  /** The server closed a consumer (room.consumer_closed): its producer or member went. */
  closeConsumer(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    this.consumers.delete(consumerId);
    entry.consumer.close();
    this.events.remoteTrackEnded(consumerId);
  }

  /**
   * Restarts ICE of one transport (a network change left it `disconnected` or `failed`): the SFU
   * gives it new ICE parameters, and the browser gathers and checks candidates again.
   */
  async restartIce(transportId: string): Promise<void> {
    const { send, recv } = await this.transports;
    const transport = [send, recv].find((candidate) => candidate.id === transportId);
    if (!transport || this.closed) return;
    const iceParameters = await this.signaling.restartIce(transportId);
    if (this.closed) return;
    await transport.restartIce({ iceParameters: iceParameters as unknown as types.IceParameters });
  }

  /** The receive connection's statistics (inbound-rtp per consumer track), for call quality. */
  async receiveStats(): Promise<RTCStatsReport> {
    const { recv } = await this.transports;
    return recv.getStats();
  }

  /** Closes both transports and the worker; local tracks stay with their owner. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Transports still being made are closed as soon as they are.
    this.transports.then(
      ({ send, recv }) => {
        send.close();
        recv.close();
      },
      () => {},
    );
    this.transforms.close();
    this.consumers.clear();
    this.producers.clear();
  }

  private reportState(send: types.Transport, recv: types.Transport): void {
    const started = [send, recv]
      .map((transport) => transport.connectionState as RTCPeerConnectionState)
      .filter((state) => state !== 'new');
    if (started.length === 0) return;
    started.sort((a, b) => STATE_ORDER.indexOf(a) - STATE_ORDER.indexOf(b));
    this.events.connectionState(started[0]!);
  }
}

function transportOptions(transport: SfuTransport): types.TransportOptions {
  return transport as unknown as types.TransportOptions;
}
