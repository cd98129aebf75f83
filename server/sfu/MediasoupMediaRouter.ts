// The MediaRouter port over real mediasoup: the worker pool places each call, CallRouter holds its
// router and transports, and this file keeps each member's producers and consumers.
import type { types } from 'mediasoup';
import type { BoundedJsonObject } from '../../protocol';
import { CallRouter } from './CallRouter';
import {
  checkProducerCodecs,
  MediaParametersError,
  MediaStateError,
  type CallMedia,
  type CallMediaEvents,
  type MediaRouter,
  type MemberTransport,
  type MemberTransports,
  type ProduceRequest,
} from './MediaRouter';
import type { SfuOptions } from './SfuOptions';
import { SfuWorkerPool } from './SfuWorkerPool';

interface ProducerEntry {
  producer: types.Producer;
  source: ProduceRequest['source'];
}

interface Member {
  transports: { send: types.WebRtcTransport; recv: types.WebRtcTransport };
  rtpCapabilities: types.RtpCapabilities;
  producers: Map<string, ProducerEntry>;
  consumers: Map<string, types.Consumer>;
  /**
   * Producers this member consumes or is being given a consumer of: a member whose transports are
   * made while another's producer is, is reached both by its join and by that producer.
   */
  consumedProducers: Set<string>;
  /** Transports connect() was called on: a second call is the member's mistake, not the SFU's. */
  connected: Set<string>;
}

/**
 * What mediasoup says when it refuses a member's parameters (TypeError and UnsupportedError from
 * its own checks, a plain Error from the worker's, such as a MID already in use), as the member's
 * mistake. When the transport itself has gone (its worker died), the failure is the SFU's.
 */
function refusedBy(transport: types.WebRtcTransport) {
  return (error: unknown): never => {
    if (error instanceof Error && !transport.closed) throw new MediaParametersError(error.message);
    throw error;
  };
}

function asJson(value: object): BoundedJsonObject {
  return JSON.parse(JSON.stringify(value)) as BoundedJsonObject;
}

function transportOptions(transport: types.WebRtcTransport): MemberTransport {
  return {
    id: transport.id,
    iceParameters: asJson(transport.iceParameters),
    iceCandidates: transport.iceCandidates.map(asJson),
    dtlsParameters: asJson(transport.dtlsParameters),
  };
}

class MediasoupCallMedia implements CallMedia {
  private readonly members = new Map<number, Member>();

  constructor(
    private readonly call: CallRouter,
    private readonly events: CallMediaEvents,
    private readonly onClose: () => void,
  ) {}

  get rtpCapabilities(): BoundedJsonObject {
    return asJson(this.call.router.rtpCapabilities);
  }

  async setTransports(slot: number, rtpCapabilities: BoundedJsonObject): Promise<MemberTransports> {
    this.removeMember(slot);
    const participant = String(slot);
    const { send, receive } = await this.call.addParticipant(participant);
    const member: Member = {
      transports: { send, recv: receive },
      rtpCapabilities: rtpCapabilities as types.RtpCapabilities,
      producers: new Map(),
      consumers: new Map(),
      consumedProducers: new Set(),
      connected: new Set(),
    };
    this.members.set(slot, member);
    for (const [producerSlot, other] of this.members) {
      if (producerSlot === slot) continue;
      for (const entry of other.producers.values()) await this.consume(slot, producerSlot, entry);
    }
    return { send: transportOptions(send), recv: transportOptions(receive) };
  }

  async connect(
    slot: number,
    transportId: string,
    dtlsParameters: BoundedJsonObject,
  ): Promise<void> {
    const transport = this.transport(slot, transportId);
    const { connected } = this.member(slot);
    if (connected.has(transportId))
      throw new MediaStateError('This transport is connected already');
    connected.add(transportId);
    try {
      await transport.connect({
        dtlsParameters: dtlsParameters as unknown as types.DtlsParameters,
      });
    } catch (error) {
      connected.delete(transportId);
      refusedBy(transport)(error);
    }
  }

  async produce(slot: number, request: ProduceRequest): Promise<string> {
    const member = this.member(slot);
    for (const entry of member.producers.values()) {
      if (entry.source === request.source) {
        throw new MediaStateError(`This member already sends its ${request.source}`);
      }
    }
    checkProducerCodecs(request);
    const producer = await member.transports.send
      .produce({
        kind: request.kind,
        rtpParameters: request.rtpParameters as unknown as types.RtpParameters,
        appData: { source: request.source },
      })
      .catch(refusedBy(member.transports.send));
    const entry = { producer, source: request.source };
    member.producers.set(producer.id, entry);
    producer.observer.once('close', () => member.producers.delete(producer.id));
    if (request.source === 'microphone') await this.call.observeSpeaker(String(slot), producer);
    for (const otherSlot of this.members.keys()) {
      if (otherSlot !== slot) await this.consume(otherSlot, slot, entry);
    }
    return producer.id;
  }

  closeProducer(slot: number, producerId: string): void {
    const entry = this.member(slot).producers.get(producerId);
    if (!entry) throw new MediaStateError(`No producer ${producerId} of this member`);
    entry.producer.close();
  }

  pauseConsumer(slot: number, consumerId: string): Promise<void> {
    return this.onConsumer(slot, consumerId, (consumer) => consumer.pause());
  }

  resumeConsumer(slot: number, consumerId: string): Promise<void> {
    return this.onConsumer(slot, consumerId, (consumer) => consumer.resume());
  }

  setLayers(
    slot: number,
    consumerId: string,
    spatialLayer: number,
    temporalLayer?: number,
  ): Promise<void> {
    return this.onConsumer(slot, consumerId, (consumer) => {
      if (consumer.kind !== 'video') throw new MediaStateError('Only video has layers');
      return consumer.setPreferredLayers({ spatialLayer, temporalLayer });
    });
  }

  requestKeyFrame(slot: number, consumerId: string): Promise<void> {
    return this.onConsumer(slot, consumerId, (consumer) => {
      if (consumer.kind !== 'video') throw new MediaStateError('Only video has key frames');
      return consumer.requestKeyFrame();
    });
  }

  async restartIce(slot: number, transportId: string): Promise<BoundedJsonObject> {
    return asJson(await this.transport(slot, transportId).restartIce());
  }

  removeMember(slot: number): void {
    if (!this.members.delete(slot)) return;
    // Closing the transports closes the member's producers, and so everyone's consumers of them.
    this.call.removeParticipant(String(slot));
  }

  close(): void {
    this.members.clear();
    this.call.close();
    this.onClose();
  }

  /** A paused consumer on `forSlot`'s receive transport, if its device can decode the producer. */
  private async consume(forSlot: number, producerSlot: number, entry: ProducerEntry) {
    const member = this.members.get(forSlot);
    const { producer, source } = entry;
    if (!member || producer.closed || member.consumedProducers.has(producer.id)) return;
    if (
      !this.call.router.canConsume({
        producerId: producer.id,
        rtpCapabilities: member.rtpCapabilities,
      })
    ) {
      return;
    }
    // Marked before the await: a second consumer of one producer would bring every frame twice,
    // and the receiver's replay window would refuse one copy or the other on either track.
    member.consumedProducers.add(producer.id);
    let consumer: types.Consumer;
    try {
      consumer = await member.transports.recv.consume({
        producerId: producer.id,
        rtpCapabilities: member.rtpCapabilities,
        paused: true,
      });
    } catch (error) {
      member.consumedProducers.delete(producer.id);
      throw error;
    }
    member.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => {
      member.consumers.delete(consumer.id);
      member.consumedProducers.delete(producer.id);
    });
    consumer.once('producerclose', () => {
      if (this.members.get(forSlot) === member) this.events.consumerClosed(forSlot, consumer.id);
    });
    this.events.consumer(forSlot, {
      transportId: member.transports.recv.id,
      consumerId: consumer.id,
      producerId: producer.id,
      slot: producerSlot,
      kind: consumer.kind,
      source,
      rtpParameters: asJson(consumer.rtpParameters),
    });
  }

  private member(slot: number): Member {
    const member = this.members.get(slot);
    if (!member) throw new MediaStateError('This member has no transports; ask for them first');
    return member;
  }

  private transport(slot: number, transportId: string): types.WebRtcTransport {
    const { send, recv } = this.member(slot).transports;
    const transport = [send, recv].find(({ id }) => id === transportId);
    if (!transport) throw new MediaStateError(`No transport ${transportId} of this member`);
    return transport;
  }

  /**
   * Runs `action` on one of the member's consumers. A consumer closed while the worker had the
   * request (its producer or its sender went) makes it a state error, as a consumer already gone
   * is, not a failure of the server.
   */
  private async onConsumer(
    slot: number,
    consumerId: string,
    action: (consumer: types.Consumer) => Promise<void>,
  ): Promise<void> {
    const consumer = this.consumer(slot, consumerId);
    try {
      await action(consumer);
    } catch (error) {
      // The worker may answer before it tells of the close: the producer is closed here already.
      const producerGone = ![...this.members.values()].some((member) =>
        member.producers.has(consumer.producerId),
      );
      if (!consumer.closed && !producerGone) throw error;
      throw new MediaStateError(`Consumer ${consumerId} closed: its producer or its sender went`);
    }
  }

  private consumer(slot: number, consumerId: string): types.Consumer {
    const consumer = this.member(slot).consumers.get(consumerId);
    if (!consumer) throw new MediaStateError(`No consumer ${consumerId} of this member`);
    return consumer;
  }
}

export class MediasoupMediaRouter implements MediaRouter {
  private readonly calls = new Map<string, { events: CallMediaEvents; call: CallRouter }>();

  private constructor(private pool: SfuWorkerPool | null) {}

  /** Starts the worker pool; throws when a worker cannot start. */
  static async start(options: SfuOptions): Promise<MediasoupMediaRouter> {
    const router = new MediasoupMediaRouter(null);
    router.pool = await SfuWorkerPool.start(options, {
      onCallsLost: (callIds) => {
        for (const callId of callIds) {
          const entry = router.calls.get(callId);
          router.calls.delete(callId);
          entry?.events.lost();
        }
      },
      onDominantSpeaker: (callId, participantId) =>
        router.calls.get(callId)?.events.speaker(Number(participantId)),
    });
    return router;
  }

  /** Each worker's pid and calls, for the operator's status and the tests. */
  get workerLoads(): { pid: number; calls: number }[] {
    return this.pool?.workerLoads ?? [];
  }

  async openCall(callId: string, events: CallMediaEvents): Promise<CallMedia> {
    if (!this.pool) throw new Error('The SFU has shut down');
    const call = await this.pool.createCallRouter(callId);
    // Kept until the call closes its media or loses its worker (whose routers close before the
    // pool reports the loss, so a router's own close event would be too early to forget it).
    const entry = { events, call };
    this.calls.set(callId, entry);
    return new MediasoupCallMedia(call, events, () => {
      if (this.calls.get(callId) === entry) this.calls.delete(callId);
    });
  }

  /**
   * The mediasoup Router of an open call, for a tap that watches what the SFU forwards (the tests'
   * ciphertext check, benchmarks); the call logic never needs it.
   */
  routerOf(callId: string): types.Router | undefined {
    return this.calls.get(callId)?.call.router;
  }

  close(): void {
    this.pool?.close();
    this.pool = null;
    this.calls.clear();
  }
}
