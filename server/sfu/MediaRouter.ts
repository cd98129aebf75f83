// The SFU as the call logic sees it: a port (like DeviceDirectory) with a mediasoup implementation
// (MediasoupMediaRouter) and a deterministic fake for the server's own tests, both held to the
// same contract (test/server/sfu/mediaRouterContract.ts). Members are named by their slot.
import type { BoundedJsonObject, MediaSource } from '../../protocol';

/** What a client needs to make one mediasoup-client transport (protocol's SfuTransport). */
export interface MemberTransport {
  id: string;
  iceParameters: BoundedJsonObject;
  iceCandidates: BoundedJsonObject[];
  dtlsParameters: BoundedJsonObject;
}

export interface MemberTransports {
  send: MemberTransport;
  recv: MemberTransport;
}

/** A consumer made for one member of another member's producer; it starts paused. */
export interface ConsumerOffer {
  /** The receive transport it is on: one made again later does not have it. */
  transportId: string;
  consumerId: string;
  producerId: string;
  /** The slot of the member whose producer it is. */
  slot: number;
  kind: 'audio' | 'video';
  source: MediaSource;
  rtpParameters: BoundedJsonObject;
}

export interface ProduceRequest {
  kind: 'audio' | 'video';
  source: MediaSource;
  rtpParameters: BoundedJsonObject;
}

/**
 * Refuses a producer whose codecs are not all of its kind: mediasoup itself would take an Opus
 * stream announced as video, and forward it to decoders that expect VP8.
 */
export function checkProducerCodecs(request: ProduceRequest): void {
  const codecs = request.rtpParameters.codecs;
  if (!Array.isArray(codecs) || codecs.length === 0) {
    throw new MediaParametersError('rtpParameters.codecs must list the codecs sent');
  }
  for (const codec of codecs as unknown[]) {
    const mimeType = (codec as { mimeType?: unknown } | null)?.mimeType;
    if (typeof mimeType !== 'string' || !mimeType.toLowerCase().startsWith(`${request.kind}/`)) {
      throw new MediaParametersError(
        `rtpParameters.codecs has a codec that is not ${request.kind}`,
      );
    }
  }
}

/** What happens on the SFU that the members must be told. */
export interface CallMediaEvents {
  /** A consumer was made for member `forSlot` (paused until it resumes it). */
  consumer(forSlot: number, offer: ConsumerOffer): void;
  /** Member `forSlot`'s consumer ended: its producer closed (a member leaving closes its own). */
  consumerClosed(forSlot: number, consumerId: string): void;
  /** The member heard most now. */
  speaker(slot: number): void;
  /** The call's router is gone with its worker: every member must make its transports again. */
  lost(): void;
}

/** The call already has as many participants as it may; nothing was created. */
export class CallFullError extends Error {
  constructor(
    readonly callId: string,
    readonly limit: number,
  ) {
    super(`This call is full: it already has ${limit} people`);
  }
}

/** Every port in the SFU's range is taken; nothing was created. */
export class SfuPortsExhaustedError extends Error {
  constructor(cause: Error) {
    super('The server has no free media ports for another person right now; try again later', {
      cause,
    });
  }
}

/** A request that names a transport, producer or consumer the member does not have. */
export class MediaStateError extends Error {}
/** Parameters the SFU refused (mediasoup's own validation); the message says why. */
export class MediaParametersError extends Error {}

/** One call's media on the SFU. Every method names the member asking by its slot. */
export interface CallMedia {
  /** The router's RTP capabilities, for mediasoup-client's Device.load. */
  readonly rtpCapabilities: BoundedJsonObject;
  /**
   * Makes the member's send and receive transports, replacing any it had (with its producers and
   * consumers); consumers of everyone else's producers follow as `consumer` events.
   */
  setTransports(slot: number, rtpCapabilities: BoundedJsonObject): Promise<MemberTransports>;
  connect(slot: number, transportId: string, dtlsParameters: BoundedJsonObject): Promise<void>;
  /** Starts a producer on the member's send transport; returns its id. */
  produce(slot: number, request: ProduceRequest): Promise<string>;
  closeProducer(slot: number, producerId: string): void;
  pauseConsumer(slot: number, consumerId: string): Promise<void>;
  resumeConsumer(slot: number, consumerId: string): Promise<void>;
  setLayers(slot: number, consumerId: string, spatial: number, temporal?: number): Promise<void>;
  requestKeyFrame(slot: number, consumerId: string): Promise<void>;
  restartIce(slot: number, transportId: string): Promise<BoundedJsonObject>;
  /** Closes the member's transports, producers and consumers (the others' consumers of them). */
  removeMember(slot: number): void;
  /** Frees the call's router and everything in it. */
  close(): void;
}

export interface MediaRouter {
  /** A router for the call; throws SfuFullError when no worker has room. */
  openCall(callId: string, events: CallMediaEvents): Promise<CallMedia>;
  close(): void;
}
