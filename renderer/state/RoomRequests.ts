import type {
  BoundedJsonObject,
  CallMedia,
  MediaSource,
  MemberKeyShare,
  ServerMessageOf,
  WrappedSenderKey,
} from '../../protocol';
import type { SfuSignaling } from '../call/SfuPath';
import type { SignalingClient } from '../signaling/SignalingClient';

export type RoomSignaling = Pick<SignalingClient, 'request' | 'notify'>;

type MediaState = { audio: boolean; video: boolean; screen: boolean };

/**
 * One method per group-call message this client sends (docs/protocol.md "Group calls"): requests
 * through the signaling client's `request` (their errors reject), notices through `notify`. The
 * mirror of the server's `roomHandlers`, on the sending side.
 */
export class RoomRequests {
  constructor(private readonly signaling: RoomSignaling) {}

  create(
    callId: string,
    media: CallMedia,
    share: MemberKeyShare,
  ): Promise<ServerMessageOf<'room'>> {
    return this.signaling.request('room.create', { callId, media, share });
  }

  async invite(callId: string, to: string): Promise<void> {
    await this.signaling.request('room.invite', { callId, to });
  }

  join(callId: string, share: MemberKeyShare): Promise<ServerMessageOf<'room'>> {
    return this.signaling.request('room.join', { callId, share });
  }

  /** Back into a call whose keys and media this device lost (docs: "Leaving and the end"). */
  rejoin(callId: string): Promise<ServerMessageOf<'room'>> {
    return this.signaling.request('room.rejoin', { callId });
  }

  decline(callId: string): void {
    this.signaling.notify('room.decline', { callId });
  }

  leave(callId: string): void {
    this.signaling.notify('room.leave', { callId });
  }

  media(callId: string, state: MediaState): void {
    this.signaling.notify('room.media', { callId, ...state });
  }

  /** A grown call's other party reaches us through the SFU (PathSwitch). */
  carried(callId: string): void {
    this.signaling.notify('room.carried', { callId });
  }

  share(callId: string, share: MemberKeyShare): void {
    this.signaling.notify('room.share', { callId, share });
  }

  keys(callId: string, keys: WrappedSenderKey[]): void {
    this.signaling.notify('room.keys', { callId, keys });
  }

  keyAck(callId: string, slot: number, generation: number, epoch: number): void {
    this.signaling.notify('room.key_ack', { callId, slot, generation, epoch });
  }

  async router(callId: string): Promise<BoundedJsonObject> {
    return (await this.signaling.request('room.router', { callId })).rtpCapabilities;
  }

  async transports(callId: string, rtpCapabilities: BoundedJsonObject) {
    const { send, recv } = await this.signaling.request('room.transports', {
      callId,
      rtpCapabilities,
    });
    return { send, recv };
  }

  async connect(callId: string, transportId: string, dtlsParameters: BoundedJsonObject) {
    await this.signaling.request('room.connect', { callId, transportId, dtlsParameters });
  }

  async produce(
    callId: string,
    kind: 'audio' | 'video',
    source: MediaSource,
    rtpParameters: BoundedJsonObject,
  ): Promise<string> {
    const reply = await this.signaling.request('room.produce', {
      callId,
      kind,
      source,
      rtpParameters,
    });
    return reply.producerId;
  }

  async producerClose(callId: string, producerId: string): Promise<void> {
    await this.signaling.request('room.producer_close', { callId, producerId });
  }

  async pause(callId: string, consumerId: string): Promise<void> {
    await this.signaling.request('room.pause', { callId, consumerId });
  }

  async resume(callId: string, consumerId: string): Promise<void> {
    await this.signaling.request('room.resume', { callId, consumerId });
  }

  async layers(callId: string, consumerId: string, spatialLayer: number, temporalLayer?: number) {
    const body = { callId, consumerId, spatialLayer };
    await this.signaling.request(
      'room.layers',
      temporalLayer === undefined ? body : { ...body, temporalLayer },
    );
  }

  async keyFrame(callId: string, consumerId: string): Promise<void> {
    await this.signaling.request('room.keyframe', { callId, consumerId });
  }

  async restartIce(callId: string, transportId: string): Promise<BoundedJsonObject> {
    return (await this.signaling.request('room.restart_ice', { callId, transportId }))
      .iceParameters;
  }

  linkCreate(callId: string, approval: boolean): Promise<ServerMessageOf<'room.link'>> {
    return this.signaling.request('room.link_create', { callId, approval });
  }

  async linkRevoke(callId: string): Promise<void> {
    await this.signaling.request('room.link_revoke', { callId });
  }

  linkOpen(token: string): Promise<ServerMessageOf<'room.preview'>> {
    return this.signaling.request('room.link_open', { token });
  }

  async linkJoin(token: string): Promise<void> {
    await this.signaling.request('room.link_join', { token });
  }

  async admit(callId: string, username: string, admit: boolean): Promise<void> {
    await this.signaling.request('room.admit', { callId, username, admit });
  }

  /** The SFU requests of one call, as SfuPath asks for them. */
  sfuSignaling(callId: string): SfuSignaling {
    return {
      router: () => this.router(callId),
      transports: (rtpCapabilities) => this.transports(callId, rtpCapabilities),
      connect: (transportId, dtls) => this.connect(callId, transportId, dtls),
      produce: (kind, source, rtp) => this.produce(callId, kind, source, rtp),
      closeProducer: (producerId) => this.producerClose(callId, producerId),
      resume: (consumerId) => this.resume(callId, consumerId),
      pause: (consumerId) => this.pause(callId, consumerId),
      layers: (consumerId, spatial, temporal) => this.layers(callId, consumerId, spatial, temporal),
      keyFrame: (consumerId) => this.keyFrame(callId, consumerId),
      restartIce: (transportId) => this.restartIce(callId, transportId),
    };
  }
}
