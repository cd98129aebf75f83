import type { MediaSource } from '../../protocol';
import type {
  SfuConsumerOffer,
  SfuPathEvents,
  SfuRemoteTrack,
  SfuSignaling,
} from '../call/SfuPath';
import type { SenderFrameCounts } from '../e2ee/worker/messages';
import type { E2eeWorkerPort } from '../keys/SenderKeyRing';
import type { TileSize } from './groupCallView';
import type { RoomLocalMedia } from './RoomLocalMedia';
import type { RoomRequests } from './RoomRequests';
import type { RoomWorkerKeys } from './RoomWorkerKeys';

/**
 * What a group call asks of its media path through the SFU. SfuPath is the real one (tested in
 * Chromium against a real SFU); RoomClient's node tests drive a fake through this port.
 */
export interface RoomMediaPath {
  /** The path's E2EE worker, where SFrame keys go. */
  readonly keyPort: E2eeWorkerPort;
  opened(): Promise<void>;
  produce(source: MediaSource, track: MediaStreamTrack): Promise<void>;
  stopProducing(source: MediaSource): Promise<void>;
  consume(offer: SfuConsumerOffer): Promise<void>;
  pauseConsumer(consumerId: string): Promise<void>;
  resumeConsumer(consumerId: string): Promise<void>;
  preferLayer(consumerId: string, spatialLayer: number): Promise<void>;
  closeConsumer(consumerId: string): void;
  close(): void;
}

export type OpenRoomMediaPath = (signaling: SfuSignaling, events: SfuPathEvents) => RoomMediaPath;

/** A remote track and how it stands: playing only while wanted (its key in, and seen). */
export interface RoomConsumer {
  consumerId: string;
  slot: number;
  kind: 'audio' | 'video';
  source: MediaSource;
  track: MediaStreamTrack | null;
  /** The path has it: before that, resuming or pausing it would reach nothing. */
  taken: boolean;
  resumed: boolean;
  spatialLayer: number | null;
}

/**
 * The simulcast layer a tile of this height wants: the camera sends a quarter, half and the full
 * resolution (SfuPath.CAMERA_LAYERS), so the smallest layer that fills the tile.
 */
export function layerForTile(size: TileSize): number {
  if (size.height <= 180) return 0;
  if (size.height <= 360) return 1;
  return 2;
}

export interface RoomMediaDeps {
  callId: string;
  requests: RoomRequests;
  openPath: OpenRoomMediaPath;
  workerKeys: RoomWorkerKeys;
  /** Our tracks, sent through each path this makes. */
  local: RoomLocalMedia;
  /** Whether a key of this sender is in the worker (its frames can be decrypted). */
  hasKey(slot: number): boolean;
  /** Anything a tile shows changed. */
  changed(): void;
}

/**
 * A group call's media through the SFU (docs/protocol.md "Media through the SFU"): the path made
 * (router, transports), our microphone and camera produced, each consumer the server offers taken
 * paused and resumed only once its sender's key is in and, for video, its tile is on screen (then
 * a key frame is asked for); the preferred layer follows the tile's size; a lost SFU is started
 * over with the same keys.
 */
export class RoomMedia {
  private path: RoomMediaPath | null = null;
  /** Bumped each time the path is made again, so a replaced path's late events are ignored. */
  private generation = 0;
  readonly consumers = new Map<string, RoomConsumer>();
  /** Tile sizes by "slot source"; a tile not on screen has none. */
  private readonly tiles = new Map<string, TileSize>();
  private readonly frames = new Map<number, SenderFrameCounts>();
  private closed = false;

  constructor(private readonly deps: RoomMediaDeps) {}

  /** Makes the path and sends our media. */
  async start(): Promise<void> {
    if (this.closed) return;
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.closed;
    const path = this.deps.openPath(this.deps.requests.sfuSignaling(this.deps.callId), {
      connectionState: () => undefined,
      remoteTrack: (remote) => current() && this.onRemoteTrack(remote),
      remoteTrackEnded: (consumerId) => current() && this.forget(consumerId),
      e2eeReport: (report) => {
        if (!current()) return;
        for (const sender of report.senders) this.frames.set(sender.slot, sender);
        this.deps.changed();
      },
    });
    this.path = path;
    this.deps.workerKeys.attach(path.keyPort);
    await path.opened();
    await this.deps.local.sendTo(path, current);
  }

  /** room.consumer: taken paused; it plays once wanted. */
  async consume(offer: SfuConsumerOffer): Promise<void> {
    const path = this.path;
    if (!path || this.closed) return;
    const { consumerId, slot, kind, source } = offer;
    this.consumers.set(consumerId, {
      consumerId,
      slot,
      kind,
      source,
      track: null,
      taken: false,
      resumed: false,
      spatialLayer: null,
    });
    await path.consume(offer);
    const consumer = this.consumers.get(consumerId);
    if (!consumer || this.path !== path) return;
    consumer.taken = true;
    await this.update(consumerId);
  }

  /** room.consumer_closed: its producer or its member went. */
  consumerClosed(consumerId: string): void {
    this.path?.closeConsumer(consumerId);
    this.forget(consumerId);
  }

  /** A key of `slot` is in: its consumers that should play now do. */
  async keyInstalled(slot: number): Promise<void> {
    for (const consumer of [...this.consumers.values()]) {
      if (consumer.slot === slot) await this.update(consumer.consumerId);
    }
  }

  /** A tile changed size or left the screen (null). */
  async tileResized(
    slot: number,
    source: 'camera' | 'screen',
    size: TileSize | null,
  ): Promise<void> {
    const key = `${slot} ${source}`;
    if (size) this.tiles.set(key, size);
    else this.tiles.delete(key);
    for (const consumer of [...this.consumers.values()]) {
      if (consumer.slot === slot && consumer.source === source)
        await this.update(consumer.consumerId);
    }
  }

  /**
   * The path is made again (router, transports, produce), keys as they are: the SFU lost the call
   * (room.sfu_lost), or our connection came back after a drop.
   */
  async startOver(): Promise<void> {
    this.dropPath();
    await this.start();
  }

  /** The frames of `slot` the worker counted, when it has any. */
  framesOf(slot: number): SenderFrameCounts | null {
    return this.frames.get(slot) ?? null;
  }

  /** The remote track of a member's source, once it arrived. */
  trackOf(slot: number, source: MediaSource): MediaStreamTrack | null {
    for (const consumer of this.consumers.values()) {
      if (consumer.slot === slot && consumer.source === source && consumer.track) {
        return consumer.track;
      }
    }
    return null;
  }

  close(): void {
    this.closed = true;
    this.dropPath();
    this.deps.local.close();
  }

  private dropPath(): void {
    this.generation += 1;
    this.deps.local.detach();
    this.path?.close();
    this.path = null;
    this.deps.workerKeys.attach(null);
    this.consumers.clear();
    this.frames.clear();
    this.deps.changed();
  }

  private onRemoteTrack(remote: SfuRemoteTrack): void {
    const consumer = this.consumers.get(remote.consumerId);
    if (!consumer) return;
    consumer.track = remote.track;
    this.deps.changed();
  }

  private forget(consumerId: string): void {
    if (this.consumers.delete(consumerId)) this.deps.changed();
  }

  /** Resumes or pauses one consumer, and sets its layer, from its key and its tile. */
  private async update(consumerId: string): Promise<void> {
    const consumer = this.consumers.get(consumerId);
    const path = this.path;
    // Not taken by the path yet: `consume` updates it once it is.
    if (!consumer?.taken || !path) return;
    const tileOf = () =>
      consumer.kind === 'video'
        ? (this.tiles.get(`${consumer.slot} ${consumer.source}`) ?? null)
        : null;
    const tile = tileOf();
    if (tile && consumer.source === 'camera') {
      const layer = layerForTile(tile);
      if (layer !== consumer.spatialLayer) {
        consumer.spatialLayer = layer;
        await path.preferLayer(consumerId, layer);
      }
    }
    // Read after the await: a key or a tile that came meanwhile (its own update already ran)
    // must not be undone by what held before it.
    const wanted =
      this.deps.hasKey(consumer.slot) && (consumer.kind === 'audio' || tileOf() !== null);
    if (wanted && !consumer.resumed) {
      consumer.resumed = true;
      await path.resumeConsumer(consumerId);
      // Frames sent before the key came could not be decrypted; a decoder starts at a key frame.
      if (consumer.kind === 'video')
        await this.deps.requests.keyFrame(this.deps.callId, consumerId);
    } else if (!wanted && consumer.resumed) {
      consumer.resumed = false;
      await path.pauseConsumer(consumerId);
    }
  }
}
