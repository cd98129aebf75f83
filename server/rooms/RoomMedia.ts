// One room's media on the SFU, as its members ask for it: the SFU requests of docs/protocol.md
// "Group calls" ("Media through the SFU") answered for the asking device's slot, and what the SFU
// does (consumers made and closed, the active speaker, a lost worker) told to the right devices.
import type {
  BoundedJsonObject,
  ErrorCode,
  MediaSource,
  RoomServerMessage,
  SfuTransport,
} from '../../protocol';
import { PROTOCOL_VERSION } from '../../protocol';
import {
  CallFullError,
  MediaParametersError,
  MediaStateError,
  SfuPortsExhaustedError,
  type CallMedia,
  type MediaRouter,
} from '../sfu/MediaRouter';
import type { Room } from './Room';

/** A refused SFU request: the protocol's error code and a sentence for the log. */
export class RoomMediaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type RoomNotice = Extract<
  RoomServerMessage,
  { type: 'room.consumer' | 'room.consumer_closed' | 'room.speaker' | 'room.sfu_lost' }
>;

export interface RoomMediaPorts {
  media: MediaRouter;
  /** Sends a notice to one device (through its notice stream). */
  send(deviceId: string, message: RoomNotice): void;
}

/** The parts of a Room this needs: who is in it, by device and by slot, and its path. */
export type RoomMembers = Pick<Room, 'callId' | 'path' | 'memberOf' | 'liveMembers'>;

export class RoomMedia {
  /** The call's router, opened on the first request and again after a lost worker. */
  private opening: Promise<CallMedia> | null = null;
  private closed = false;

  constructor(
    private readonly room: RoomMembers,
    private readonly ports: RoomMediaPorts,
  ) {}

  async rtpCapabilities(deviceId: string): Promise<BoundedJsonObject> {
    this.slotOf(deviceId);
    return (await this.media()).rtpCapabilities;
  }

  async transports(
    deviceId: string,
    rtpCapabilities: BoundedJsonObject,
  ): Promise<{ send: SfuTransport; recv: SfuTransport }> {
    const slot = this.slotOf(deviceId);
    return this.attempt((media) => media.setTransports(slot, rtpCapabilities));
  }

  connect(deviceId: string, transportId: string, dtlsParameters: BoundedJsonObject) {
    const slot = this.slotOf(deviceId);
    return this.attempt((media) => media.connect(slot, transportId, dtlsParameters));
  }

  produce(
    deviceId: string,
    request: { kind: 'audio' | 'video'; source: MediaSource; rtpParameters: BoundedJsonObject },
  ): Promise<string> {
    const slot = this.slotOf(deviceId);
    return this.attempt((media) => media.produce(slot, request));
  }

  closeProducer(deviceId: string, producerId: string): Promise<void> {
    const slot = this.slotOf(deviceId);
    return this.attempt(async (media) => media.closeProducer(slot, producerId));
  }

  pause(deviceId: string, consumerId: string): Promise<void> {
    const slot = this.slotOf(deviceId);
    return this.attempt((media) => media.pauseConsumer(slot, consumerId));
  }

  resume(deviceId: string, consumerId: string): Promise<void> {
    const slot = this.slotOf(deviceId);
    return this.attempt((media) => media.resumeConsumer(slot, consumerId));
  }

  layers(deviceId: string, consumerId: string, spatial: number, temporal?: number) {
    const slot = this.slotOf(deviceId);
    return this.attempt((media) => media.setLayers(slot, consumerId, spatial, temporal));
  }

  keyFrame(deviceId: string, consumerId: string): Promise<void> {
    const slot = this.slotOf(deviceId);
    return this.attempt((media) => media.requestKeyFrame(slot, consumerId));
  }

  restartIce(deviceId: string, transportId: string): Promise<BoundedJsonObject> {
    const slot = this.slotOf(deviceId);
    return this.attempt((media) => media.restartIce(slot, transportId));
  }

  /** A member left: its transports go, and with them everyone's consumers of its media. */
  memberLeft(slot: number): void {
    void this.opening?.then((media) => media.removeMember(slot)).catch(() => {});
  }

  /** The room ended: its router and everything in it go. */
  close(): void {
    this.closed = true;
    void this.opening?.then((media) => media.close()).catch(() => {});
    this.opening = null;
  }

  /** The asking device's slot, if it is a member of a room whose media goes through the SFU. */
  private slotOf(deviceId: string): number {
    const member = this.room.memberOf(deviceId);
    if (!member) throw new RoomMediaError('not_in_call', 'You are not a member of this call');
    if (this.room.path !== 'sfu') {
      throw new RoomMediaError('call_state', "This call's media does not go through the SFU");
    }
    return member.slot;
  }

  private media(): Promise<CallMedia> {
    if (this.closed) {
      return Promise.reject(new RoomMediaError('unknown_call', 'This call has ended'));
    }
    if (!this.opening) {
      const opening = this.ports.media
        .openCall(this.room.callId, {
          consumer: (forSlot, offer) =>
            this.sendToSlot(forSlot, {
              v: PROTOCOL_VERSION,
              type: 'room.consumer',
              callId: this.room.callId,
              ...offer,
            }),
          consumerClosed: (forSlot, consumerId) =>
            this.sendToSlot(forSlot, {
              v: PROTOCOL_VERSION,
              type: 'room.consumer_closed',
              callId: this.room.callId,
              consumerId,
            }),
          speaker: (slot) =>
            this.sendToAll({
              v: PROTOCOL_VERSION,
              type: 'room.speaker',
              callId: this.room.callId,
              slot,
            }),
          lost: () => this.lost(opening),
        })
        .catch((error: unknown) => {
          if (this.opening === opening) this.opening = null;
          throw new RoomMediaError(
            'sfu_unavailable',
            `The SFU cannot carry this call now: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
      this.opening = opening;
    }
    return this.opening;
  }

  /** The worker died with the router: members make their transports again on a new one. */
  private lost(opening: Promise<CallMedia>): void {
    if (this.opening !== opening) return;
    this.opening = null;
    this.sendToAll({ v: PROTOCOL_VERSION, type: 'room.sfu_lost', callId: this.room.callId });
  }

  private async attempt<T>(step: (media: CallMedia) => Promise<T>): Promise<T> {
    const media = await this.media();
    try {
      return await step(media);
    } catch (error) {
      if (error instanceof MediaStateError) throw new RoomMediaError('call_state', error.message);
      if (error instanceof MediaParametersError) {
        throw new RoomMediaError('bad_message', error.message);
      }
      if (error instanceof CallFullError) throw new RoomMediaError('room_full', error.message);
      if (error instanceof SfuPortsExhaustedError) {
        throw new RoomMediaError('sfu_unavailable', error.message);
      }
      throw error;
    }
  }

  private sendToSlot(slot: number, message: RoomNotice): void {
    const member = this.room.liveMembers.find((m) => m.slot === slot);
    if (member) this.ports.send(member.deviceId, message);
  }

  private sendToAll(message: RoomNotice): void {
    for (const member of this.room.liveMembers) this.ports.send(member.deviceId, message);
  }
}
