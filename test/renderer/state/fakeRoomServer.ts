import { randomUUID } from 'node:crypto';
import {
  ClientMessage,
  ServerMessage,
  type MediaSource,
  type MemberKeyShare,
  type RoomMember,
  type ServerMessageOf,
  type WrappedSenderKey,
} from '../../../protocol';
import type { SfuPathEvents, SfuSignaling, SfuConsumerOffer } from '../../../renderer/call/SfuPath';
import type { E2eeWorkerRequest } from '../../../renderer/e2ee/worker/messages';
import { RoomKeys } from '../../../renderer/keys/RoomKeys';
import { KeyShareReplayGuard } from '../../../renderer/keys/KeyShareReplayGuard';
import type { SenderKey } from '../../../renderer/keys/senderKeyWrap';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import type { RoomNotice } from '../../../renderer/signaling/serverMessageHandlers';
import type { LocalTracks } from '../../../renderer/call/LocalMedia';
import type { RoomMediaPath } from '../../../renderer/state/RoomMedia';
import { MemoryPins, TestDevice, chainOf, roomKeysHost } from '../keys/testIdentity';

type Sent = ClientMessage;
type Answer = (message: Sent) => ServerMessage | SignalingError;

/**
 * The server's side of a group call, as the test plays it. Everything the client sends is parsed
 * with the protocol's schema first (a message that fails throws, so the test fails), recorded,
 * and answered by the reply the test set for its type, or by a plain default.
 */
export class FakeRoomServer {
  readonly sent: Sent[] = [];
  private readonly answers = new Map<string, Answer>();
  private counter = 0;
  /**
   * The receive transport our device's room.consumer offers are on: the one the last
   * room.transports gave, or the one the next will give. The SFU offers consumers on a member's
   * new transport before its reply says what the transport is, so a test's offers can too.
   */
  receiveTransportId: string = randomUUID();
  private receiveTransportGiven = false;
  /** Hands a notice to the client under test (RoomClient.onNotice). */
  deliver: (notice: RoomNotice) => void = () => {
    throw new Error('no client to deliver to');
  };

  readonly signaling = {
    request: ((type: string, body: Record<string, unknown>) => {
      this.counter += 1;
      const message = ClientMessage.parse({ v: 1, type, id: `r${this.counter}`, ...body });
      this.sent.push(message);
      const answer = (this.answers.get(type) ?? ((sent: Sent) => this.usualAnswer(sent)))(message);
      if (answer instanceof SignalingError) return Promise.reject(answer);
      return Promise.resolve(ServerMessage.parse(answer));
    }) as never,
    notify: ((type: string, body: Record<string, unknown>) => {
      this.sent.push(ClientMessage.parse({ v: 1, type, ...body }));
      return true;
    }) as never,
  };

  answer(type: string, answer: Answer): void {
    this.answers.set(type, answer);
  }

  /** A server notice, checked against the protocol as the signaling client checks it. */
  push(notice: Record<string, unknown>): void {
    this.deliver(ServerMessage.parse({ v: 1, ...notice }) as RoomNotice);
  }

  /** The messages of one type the client sent, in order. */
  of<T extends Sent['type']>(type: T): Extract<Sent, { type: T }>[] {
    return this.sent.filter((m) => m.type === type) as Extract<Sent, { type: T }>[];
  }

  /** The wrapped keys the client sent to `slot` (from its room.keys batches), in order. */
  keysTo(slot: number): WrappedSenderKey[] {
    return this.of('room.keys').flatMap((m) => m.keys.filter((key) => key.to === slot));
  }

  /** What the server answers `message` unless a test said otherwise (answer). */
  usualAnswer(message: Sent): ServerMessage {
    const re = 'id' in message ? message.id : 'r0';
    switch (message.type) {
      case 'room.router':
        return { v: 1, type: 'room.router', re, rtpCapabilities: { codecs: [] } };
      case 'room.transports': {
        // A second room.transports replaces the member's transports.
        if (this.receiveTransportGiven) this.receiveTransportId = randomUUID();
        this.receiveTransportGiven = true;
        const recv = { ...transport(), id: this.receiveTransportId };
        return { v: 1, type: 'room.transports', re, send: transport(), recv };
      }
      case 'room.produce':
        return { v: 1, type: 'room.produced', re, producerId: randomUUID() };
      case 'room.restart_ice':
        return { v: 1, type: 'room.ice', re, iceParameters: iceParameters() };
      default:
        return { v: 1, type: 'ok', re };
    }
  }
}

/** Fresh ICE credentials, as the SFU makes for a transport (and again on each ICE restart). */
function iceParameters() {
  return { usernameFragment: randomUUID(), password: randomUUID(), iceLite: true };
}

function transport() {
  return {
    id: randomUUID(),
    iceParameters: iceParameters(),
    iceCandidates: [],
    dtlsParameters: { role: 'auto', fingerprints: [] },
  };
}

/** One member device of the call besides the client under test: real identity and real keys. */
export class OtherMember {
  readonly replays = new KeyShareReplayGuard();
  private constructor(
    readonly device: TestDevice,
    readonly keys: RoomKeys,
    readonly pins: MemoryPins,
  ) {}

  static async join(username: string, slot: number, callId: string): Promise<OtherMember> {
    const device = await TestDevice.create(username, `device_${username}1`);
    const pins = new MemoryPins();
    const keys = await RoomKeys.start(callId, slot, roomKeysHost(device, title(username), pins));
    return new OtherMember(device, keys, pins);
  }

  /** The same device after a reload: a new ephemeral key in the same slot, nothing else kept. */
  async reloaded(): Promise<OtherMember> {
    const host = roomKeysHost(this.device, title(this.device.username), this.pins);
    const keys = await RoomKeys.start(this.keys.callId, this.slot, host);
    return new OtherMember(this.device, keys, this.pins);
  }

  get slot(): number {
    return this.keys.ownSlot;
  }

  /** The member entry the server sends of this member, with a share signed now. */
  async entry(share?: MemberKeyShare): Promise<RoomMember> {
    return {
      slot: this.slot,
      user: { username: this.device.username, displayName: title(this.device.username) },
      deviceId: this.device.deviceId,
      identity: await chainOf([this.device]),
      share: share ?? (await this.keys.ownShare()),
      state: 'joined',
    };
  }

  /** Verifies the client under test from the entry the server would send of it. */
  async verify(entry: RoomMember): Promise<void> {
    await this.keys.addMember(
      {
        callId: this.keys.callId,
        slot: entry.slot,
        username: entry.user.username,
        deviceId: entry.deviceId,
        identity: entry.identity,
        keyShare: entry.share!,
      },
      { allowChangedKey: false, now: Date.now(), replays: this.replays },
    );
  }

  /** This member's sender key, wrapped for `slot`. */
  wrapFor(slot: number, key: SenderKey): Promise<WrappedSenderKey> {
    return this.keys.wrapFor(slot, key);
  }

  /** Opens a key the client under test sent this member. */
  unwrap(from: number, wrapped: WrappedSenderKey): Promise<SenderKey> {
    return this.keys.unwrapFrom(from, wrapped);
  }
}

export function title(username: string): string {
  return username.charAt(0).toUpperCase() + username.slice(1);
}

/** The device under test: its identity and the host RoomClient signs with. */
export async function selfDevice(username = 'alice') {
  const device = await TestDevice.create(username, `device_${username}1`);
  const pins = new MemoryPins();
  const host = roomKeysHost(device, title(username), pins);
  const identity = await chainOf([device]);
  /** The member entry the server keeps of this device once it sent `share`. */
  const entry = (share: MemberKeyShare): RoomMember => ({
    slot: share.slot,
    user: { username, displayName: title(username) },
    deviceId: device.deviceId,
    identity,
    share,
    state: 'joined',
  });
  return { device, host, entry };
}

/** A track as getUserMedia or the fake path hands it out; `unplug` ends it as a lost device does. */
export type FakeTrack = MediaStreamTrack & { unplug(): void };

export function fakeTrack(kind: 'audio' | 'video', id = randomUUID()): FakeTrack {
  let stopped = false;
  const ended: (() => void)[] = [];
  const track = {
    kind,
    id,
    enabled: true,
    stop: () => void (stopped = true),
    get readyState() {
      return stopped ? 'ended' : 'live';
    },
    addEventListener: (type: string, listener: () => void) => {
      if (type === 'ended') ended.push(listener);
    },
    clone: () => fakeTrack(kind),
    unplug: () => {
      stopped = true;
      for (const listener of ended) listener();
    },
  };
  return track as unknown as FakeTrack;
}

/**
 * The media path as RoomClient drives it, in place of SfuPath (which needs Chromium and runs in
 * the e2e suite): it asks the server for the router and transports and produces through the same
 * signaling SfuPath uses, so those messages are checked too, and records what it was asked.
 */
export class FakeMediaPath implements RoomMediaPath {
  readonly keys: E2eeWorkerRequest[] = [];
  readonly keyPort = { post: (message: E2eeWorkerRequest) => void this.keys.push(message) };
  readonly produced: string[] = [];
  /** Each track sent in place of a source's earlier one (SfuPath replaces a producer's track). */
  readonly replaced: { source: string; track: MediaStreamTrack }[] = [];
  readonly stopped: string[] = [];
  private readonly producers = new Map<string, string>();
  readonly consumed: string[] = [];
  readonly paused: string[] = [];
  readonly resumed: string[] = [];
  readonly layers: [string, number][] = [];
  /** Each ICE restart: the transport and the ICE parameters the server gave it. */
  readonly iceRestarts: { transportId: string; iceParameters: unknown }[] = [];
  /** The ids of the send and receive transports, once the server made them. */
  transportIds: { send: string; recv: string } | null = null;
  closed = false;
  private readonly ready: Promise<void>;

  constructor(
    private readonly signaling: SfuSignaling,
    readonly events: SfuPathEvents,
  ) {
    this.ready = (async () => {
      const capabilities = await signaling.router();
      const { send, recv } = await signaling.transports(capabilities);
      this.transportIds = { send: send.id, recv: recv.id };
      await signaling.connect(send.id, { role: 'client', fingerprints: [] });
      await signaling.connect(recv.id, { role: 'client', fingerprints: [] });
    })();
  }

  opened(): Promise<void> {
    return this.ready;
  }

  send(source: MediaSource, track: MediaStreamTrack | null): Promise<void> {
    return track ? this.produce(source, track) : this.stopProducing(source);
  }

  private async produce(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    await this.ready;
    if (this.producers.has(source)) {
      this.replaced.push({ source, track });
      return;
    }
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    const rtp = { mid: String(this.produced.length), codecs: [] };
    this.producers.set(source, await this.signaling.produce(kind, source, rtp));
    this.produced.push(source);
  }

  private async stopProducing(source: MediaSource): Promise<void> {
    this.stopped.push(source);
    const producerId = this.producers.get(source) ?? 'unknown';
    this.producers.delete(source);
    await this.signaling.closeProducer(producerId);
  }

  async consume(offer: SfuConsumerOffer): Promise<boolean> {
    await this.ready;
    if (offer.transportId !== this.transportIds?.recv) return false;
    this.consumed.push(offer.consumerId);
    const { consumerId, slot, source } = offer;
    this.events.remoteTrack({ consumerId, slot, source, track: fakeTrack(offer.kind) });
    return true;
  }

  async pauseConsumer(consumerId: string): Promise<void> {
    this.paused.push(consumerId);
    await this.signaling.pause(consumerId);
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    this.resumed.push(consumerId);
    await this.signaling.resume(consumerId);
  }

  async preferLayer(consumerId: string, spatialLayer: number): Promise<void> {
    this.layers.push([consumerId, spatialLayer]);
    await this.signaling.layers(consumerId, spatialLayer);
  }

  closeConsumer(consumerId: string): void {
    this.events.remoteTrackEnded(consumerId);
  }

  async restartIce(transportId: string): Promise<void> {
    const iceParameters = await this.signaling.restartIce(transportId);
    this.iceRestarts.push({ transportId, iceParameters });
  }

  close(): void {
    this.closed = true;
  }
}

/** Local tracks for a call of `media`. */
export function localTracks(): { microphone: FakeTrack; camera: FakeTrack } & LocalTracks {
  return { microphone: fakeTrack('audio'), camera: fakeTrack('video') };
}

export type RoomStateReply = ServerMessageOf<'room'>;

/**
 * The server's `room` answer to the request `re` (room.create, room.join or room.rejoin): the call
 * as our device now finds it. Unless `state` says otherwise, a video call through the SFU with no
 * invitations.
 */
export function roomState(
  re: string,
  state: Pick<RoomStateReply, 'callId' | 'slot' | 'members'> &
    Partial<Omit<RoomStateReply, 'v' | 'type' | 're'>>,
): RoomStateReply {
  return { v: 1, type: 'room', re, media: 'video', path: 'sfu', invitations: [], ...state };
}

type ConsumerNotice = Omit<ServerMessageOf<'room.consumer'>, 'v'>;
type RoomInviteNotice = Omit<ServerMessageOf<'room.invite'>, 'v'>;

/**
 * The SFU's offer to our device of a consumer of `slot`'s `source` on receive transport
 * `transportId` (room.consumer, to push), with new ids unless given and RTP parameters for `mid`
 * (default '0').
 */
export function consumerOffer({
  consumerId = randomUUID(),
  producerId = randomUUID(),
  mid = '0',
  ...offer
}: Pick<ConsumerNotice, 'callId' | 'transportId' | 'slot' | 'kind' | 'source'> &
  Partial<Pick<ConsumerNotice, 'consumerId' | 'producerId'>> & { mid?: string }): ConsumerNotice {
  return {
    type: 'room.consumer',
    callId: offer.callId,
    transportId: offer.transportId,
    consumerId,
    producerId,
    slot: offer.slot,
    kind: offer.kind,
    source: offer.source,
    rtpParameters: { mid, codecs: [] },
  };
}

/**
 * The server's ring of our device (room.invite, to push) from `inviter`, into `slot` of `callId`
 * with `members` in it already: a video call through the SFU unless `ring` says otherwise.
 */
export function roomInvite(
  inviter: OtherMember,
  ring: Pick<RoomInviteNotice, 'callId' | 'slot' | 'members'> &
    Partial<Pick<RoomInviteNotice, 'media' | 'path'>>,
): RoomInviteNotice {
  const { username, deviceId } = inviter.device;
  return {
    type: 'room.invite',
    callId: ring.callId,
    from: { username, displayName: title(username), deviceId },
    media: ring.media ?? 'video',
    slot: ring.slot,
    path: ring.path ?? 'sfu',
    members: ring.members,
  };
}
