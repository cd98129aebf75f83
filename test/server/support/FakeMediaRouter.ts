import type { BoundedJsonObject } from '../../../protocol';
import {
  CallFullError,
  checkProducerCodecs,
  MediaParametersError,
  MediaStateError,
  type CallMedia,
  type CallMediaEvents,
  type MediaRouter,
  type MemberTransport,
  type MemberTransports,
  type ProduceRequest,
} from '../../../server/sfu/MediaRouter';

/**
 * A deterministic stand-in for the SFU, for tests of the call logic that need no media: ids count
 * up, nothing is asynchronous but the promises the port returns. It keeps the contract the real
 * one keeps (test/server/sfu/mediaRouter.test.ts runs the same cases against both).
 */
export class FakeMediaRouter implements MediaRouter {
  readonly calls = new Map<string, FakeCallMedia>();
  private nextId = 1;

  /** `participantsPerCall`: members with transports in one call at most, as SfuOptions says. */
  constructor(readonly participantsPerCall = 16) {}

  /** Ids shaped like mediasoup's (UUIDs), in the order they are made. */
  newId(): string {
    const id = this.nextId++;
    return `00000000-0000-4000-8000-${id.toString(16).padStart(12, '0')}`;
  }

  openCall(callId: string, events: CallMediaEvents): Promise<CallMedia> {
    if (this.calls.has(callId)) return Promise.reject(new Error(`Call ${callId} has a router`));
    const call = new FakeCallMedia(this, callId, events, () => this.calls.delete(callId));
    this.calls.set(callId, call);
    return Promise.resolve(call);
  }

  /** As when the call's worker dies: the router is gone and the members must start again. */
  loseCall(callId: string): void {
    const call = this.calls.get(callId);
    this.calls.delete(callId);
    call?.lose();
  }

  /** As when the active-speaker observer hears member `slot` most. */
  speak(callId: string, slot: number): void {
    this.calls.get(callId)?.speak(slot);
  }

  close(): void {
    this.calls.clear();
  }
}

interface FakeProducer {
  id: string;
  kind: 'audio' | 'video';
  source: ProduceRequest['source'];
  mid: unknown;
}

interface FakeConsumer {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  paused: boolean;
  preferredLayers: { spatialLayer: number; temporalLayer?: number } | null;
  keyFrameRequests: number;
}

interface FakeMember {
  send: MemberTransport;
  recv: MemberTransport;
  connected: Set<string>;
  kinds: Set<string>;
  producers: Map<string, FakeProducer>;
  consumers: Map<string, FakeConsumer>;
}

const ROUTER_CAPABILITIES: BoundedJsonObject = {
  codecs: [
    {
      kind: 'audio',
      mimeType: 'audio/opus',
      clockRate: 48000,
      channels: 2,
      preferredPayloadType: 100,
    },
    { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101 },
  ],
  headerExtensions: [],
};

/** The kinds a device can receive, read from its RTP capabilities' codecs. */
function receivableKinds(rtpCapabilities: BoundedJsonObject): Set<string> {
  const codecs = Array.isArray(rtpCapabilities.codecs) ? rtpCapabilities.codecs : [];
  return new Set(
    codecs.flatMap((codec: unknown) => {
      const mimeType = (codec as { mimeType?: unknown }).mimeType;
      return mimeType === 'audio/opus' ? ['audio'] : mimeType === 'video/VP8' ? ['video'] : [];
    }),
  );
}

export class FakeCallMedia implements CallMedia {
  readonly rtpCapabilities = ROUTER_CAPABILITIES;
  readonly members = new Map<number, FakeMember>();
  closed = false;
  private lost = false;

  constructor(
    private readonly router: FakeMediaRouter,
    private readonly callId: string,
    private readonly events: CallMediaEvents,
    private readonly onClose: () => void,
  ) {}

  setTransports(slot: number, rtpCapabilities: BoundedJsonObject): Promise<MemberTransports> {
    this.requireOpen();
    this.removeMember(slot);
    if (this.members.size >= this.router.participantsPerCall) {
      return Promise.reject(new CallFullError(this.callId, this.router.participantsPerCall));
    }
    const member: FakeMember = {
      send: this.transport(),
      recv: this.transport(),
      connected: new Set(),
      kinds: receivableKinds(rtpCapabilities),
      producers: new Map(),
      consumers: new Map(),
    };
    this.members.set(slot, member);
    for (const [producerSlot, other] of this.members) {
      if (producerSlot === slot) continue;
      for (const producer of other.producers.values()) this.consume(slot, producerSlot, producer);
    }
    // Copies, as the real router's are: what it changes later is not what it handed out.
    return Promise.resolve(structuredClone({ send: member.send, recv: member.recv }));
  }

  connect(slot: number, transportId: string, dtlsParameters: BoundedJsonObject): Promise<void> {
    return this.attempt(() => {
      const member = this.member(slot);
      this.transportOf(member, transportId);
      if (!Array.isArray(dtlsParameters.fingerprints)) {
        throw new MediaParametersError('missing dtlsParameters.fingerprints');
      }
      if (member.connected.has(transportId)) throw new MediaStateError('connect() already called');
      member.connected.add(transportId);
    });
  }

  produce(slot: number, request: ProduceRequest): Promise<string> {
    return this.attempt(() => {
      const member = this.member(slot);
      for (const producer of member.producers.values()) {
        if (producer.source === request.source) {
          throw new MediaStateError(`This member already sends its ${request.source}`);
        }
      }
      checkProducerCodecs(request);
      const mid = request.rtpParameters.mid;
      if ([...member.producers.values()].some((producer) => producer.mid === mid)) {
        throw new MediaParametersError(`MID already exists in RTP listener [mid:${String(mid)}]`);
      }
      const producer = { id: this.router.newId(), kind: request.kind, source: request.source, mid };
      member.producers.set(producer.id, producer);
      for (const otherSlot of this.members.keys()) {
        if (otherSlot !== slot) this.consume(otherSlot, slot, producer);
      }
      return producer.id;
    });
  }

  closeProducer(slot: number, producerId: string): void {
    this.requireOpen();
    const member = this.member(slot);
    if (!member.producers.delete(producerId)) {
      throw new MediaStateError(`No producer ${producerId} of this member`);
    }
    this.closeConsumersOf(producerId);
  }

  pauseConsumer(slot: number, consumerId: string): Promise<void> {
    return this.attempt(() => {
      this.consumer(slot, consumerId).paused = true;
    });
  }

  resumeConsumer(slot: number, consumerId: string): Promise<void> {
    return this.attempt(() => {
      this.consumer(slot, consumerId).paused = false;
    });
  }

  setLayers(slot: number, consumerId: string, spatial: number, temporal?: number): Promise<void> {
    return this.attempt(() => {
      const consumer = this.consumer(slot, consumerId);
      if (consumer.kind !== 'video') throw new MediaStateError('Only video has layers');
      consumer.preferredLayers = { spatialLayer: spatial, temporalLayer: temporal };
    });
  }

  requestKeyFrame(slot: number, consumerId: string): Promise<void> {
    return this.attempt(() => {
      const consumer = this.consumer(slot, consumerId);
      if (consumer.kind !== 'video') throw new MediaStateError('Only video has key frames');
      consumer.keyFrameRequests += 1;
    });
  }

  restartIce(slot: number, transportId: string): Promise<BoundedJsonObject> {
    return this.attempt(() => {
      const transport = this.transportOf(this.member(slot), transportId);
      transport.iceParameters = {
        ...transport.iceParameters,
        usernameFragment: this.router.newId(),
      };
      return structuredClone(transport.iceParameters);
    });
  }

  removeMember(slot: number): void {
    const member = this.members.get(slot);
    if (!member) return;
    this.members.delete(slot);
    for (const producerId of member.producers.keys()) this.closeConsumersOf(producerId);
  }

  close(): void {
    this.closed = true;
    this.members.clear();
    this.onClose();
  }

  speak(slot: number): void {
    this.events.speaker(slot);
  }

  lose(): void {
    this.lost = true;
    this.members.clear();
    this.events.lost();
  }

  private consume(forSlot: number, producerSlot: number, producer: FakeProducer): void {
    const member = this.members.get(forSlot);
    if (!member || !member.kinds.has(producer.kind)) return;
    const consumer: FakeConsumer = {
      id: this.router.newId(),
      producerId: producer.id,
      kind: producer.kind,
      paused: true,
      preferredLayers: null,
      keyFrameRequests: 0,
    };
    member.consumers.set(consumer.id, consumer);
    this.events.consumer(forSlot, {
      transportId: member.recv.id,
      consumerId: consumer.id,
      producerId: producer.id,
      slot: producerSlot,
      kind: producer.kind,
      source: producer.source,
      rtpParameters: { mid: String(member.consumers.size - 1), codecs: [], encodings: [] },
    });
  }

  private closeConsumersOf(producerId: string): void {
    for (const [slot, member] of this.members) {
      for (const consumer of member.consumers.values()) {
        if (consumer.producerId !== producerId) continue;
        member.consumers.delete(consumer.id);
        this.events.consumerClosed(slot, consumer.id);
      }
    }
  }

  private transport(): MemberTransport {
    return {
      id: this.router.newId(),
      iceParameters: { usernameFragment: this.router.newId(), password: 'fake', iceLite: true },
      iceCandidates: [
        {
          foundation: 'udp',
          ip: '127.0.0.1',
          port: 40000,
          protocol: 'udp',
          priority: 1,
          type: 'host',
        },
      ],
      dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: '00' }] },
    };
  }

  /** Runs a synchronous step as the real router's asynchronous one: errors become rejections. */
  private attempt<T>(step: () => T): Promise<T> {
    try {
      this.requireOpen();
      return Promise.resolve(step());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private requireOpen(): void {
    if (this.closed || this.lost) throw new Error('This call has no router any more');
  }

  private member(slot: number): FakeMember {
    const member = this.members.get(slot);
    if (!member) throw new MediaStateError('This member has no transports; ask for them first');
    return member;
  }

  private transportOf(member: FakeMember, transportId: string): MemberTransport {
    const transport = [member.send, member.recv].find(({ id }) => id === transportId);
    if (!transport) throw new MediaStateError(`No transport ${transportId} of this member`);
    return transport;
  }

  private consumer(slot: number, consumerId: string): FakeConsumer {
    const consumer = this.member(slot).consumers.get(consumerId);
    if (!consumer) throw new MediaStateError(`No consumer ${consumerId} of this member`);
    return consumer;
  }
}
