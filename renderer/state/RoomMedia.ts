import type { MediaSource } from '../../protocol';
import type {
  SfuConsumerOffer,
  SfuPathEvents,
  SfuRemoteTrack,
  SfuSignaling,
} from '../call/SfuPath';
import type { MediaPath } from '../call/MediaPath';
import type { SenderFrameCounts } from '../e2ee/worker/messages';
import type { TileSize } from './groupCallView';
import type { RoomLocalMedia } from './RoomLocalMedia';
import type { RoomRequests } from './RoomRequests';
import type { RoomWorkerKeys } from './RoomWorkerKeys';
import { SfuIceRestarts } from './SfuIceRestarts';

/**
 * What a group call asks of its media path through the SFU. SfuPath is the real one (tested in
 * Chromium against a real SFU); RoomClient's node tests drive a fake through this port.
 */
export interface RoomMediaPath extends MediaPath {
  opened(): Promise<void>;
  /** Whether it took the offer (false: not on its receive transport, see SfuPath.consume). */
  consume(offer: SfuConsumerOffer): Promise<boolean>;
  pauseConsumer(consumerId: string): Promise<void>;
  resumeConsumer(consumerId: string): Promise<void>;
  preferLayer(consumerId: string, spatialLayer: number): Promise<void>;
  closeConsumer(consumerId: string): void;
  /** Restarts ICE of one of the path's transports (one that SfuPathEvents.transportState named). */
  restartIce(transportId: string): Promise<void>;
}

/** Makes the path; asynchronous, since SfuPath and mediasoup-client load on first use. */
export type OpenRoomMediaPath = (
  signaling: SfuSignaling,
  events: SfuPathEvents,
) => Promise<RoomMediaPath>;

/** A remote track and how it stands: playing only while wanted (its key in, and seen). */
export interface RoomConsumer {
  consumerId: string;
  /** The receive transport the server made it on. */
  transportId: string;
  producerId: string;
  slot: number;
  kind: 'audio' | 'video';
  source: MediaSource;
  track: MediaStreamTrack | null;
  /** The path has it: before that, resuming or pausing it would reach nothing. */
  taken: boolean;
  resumed: boolean;
  spatialLayer: number | null;
  /** Resume requests of it that failed in a row (see RESUME_RETRY_MS). */
  failedResumes: number;
}

/**
 * A consumer whose resume failed (the request timed out, or the server refused it meanwhile) is
 * asked again after this long, up to RESUME_ATTEMPTS times in all: without it, a member's sound,
 * which no tile change ever asks for again, would stay paused for the rest of the call.
 */
export const RESUME_RETRY_MS = 2_000;
export const RESUME_ATTEMPTS = 5;

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
  /** The size of the tile that shows this sender's source; null while none is on screen. */
  tileSize(slot: number, source: MediaSource): TileSize | null;
  /** The worker counted each sender's frames (since the path was made). */
  framesCounted(senders: readonly SenderFrameCounts[]): void;
  /** The path was made again: its worker counts everyone's frames from zero. */
  pathStartsOver(): void;
  /** Anything a tile shows changed. */
  changed(): void;
}

/**
 * A group call's media through the SFU (docs/protocol.md "Media through the SFU"): the path made
 * (router, transports), our microphone and camera produced, each consumer the server offers taken
 * paused and resumed only once its sender's key is in and, for video, its tile is on screen (then
 * a key frame is asked for); the preferred layer follows the tile's size; a transport that a
 * network change cut off gets ICE restarts; a lost SFU, or a transport no restart brought back, is
 * started over with the same keys.
 */
export class RoomMedia {
  private path: RoomMediaPath | null = null;
  /**
   * The path being made (its code may still be loading): consumers offered meanwhile wait on it,
   * in the order they came, instead of being lost. Null once made, or when it could not be.
   */
  private opening: Promise<RoomMediaPath | null> | null = null;
  private iceRestarts: SfuIceRestarts | null = null;
  /** Bumped each time the path is made again, so a replaced path's late events are ignored. */
  private generation = 0;
  readonly consumers = new Map<string, RoomConsumer>();
  private closed = false;
  /** A path of this call has been connected to the SFU. */
  private everConnected = false;
  /** Since it was, the path is not connected: down, being restarted or made again. */
  private down = false;

  constructor(private readonly deps: RoomMediaDeps) {}

  /** Makes the path and sends our media. */
  async start(): Promise<void> {
    if (this.closed) return;
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.closed;
    const iceRestarts = new SfuIceRestarts({
      restart: async (transportId) => {
        if (current()) await this.path?.restartIce(transportId);
      },
      giveUp: () => {
        if (!current()) return;
        console.warn('parley: ICE restarts did not bring the SFU path back; making it again');
        void this.startOver().catch((error: unknown) => {
          console.warn('parley: could not make the SFU path again', error);
        });
      },
    });
    this.iceRestarts = iceRestarts;
    const opening = this.deps.openPath(this.deps.requests.sfuSignaling(this.deps.callId), {
      connectionState: (state) => current() && this.onConnectionState(state),
      transportState: (transportId, state) =>
        current() && iceRestarts.onTransportState(transportId, state),
      remoteTrack: (remote) => current() && this.onRemoteTrack(remote),
      remoteTrackEnded: (consumerId) => current() && this.forget(consumerId),
      e2eeReport: (report) => {
        if (!current()) return;
        this.deps.framesCounted(report.senders);
        this.deps.changed();
      },
    });
    // Set here, before any offer waiting on `opening` goes on, so each finds the path in place.
    const made = opening.then((path) => {
      if (!current()) {
        path.close();
        return null;
      }
      this.path = path;
      this.opening = null;
      this.deps.workerKeys.attach(path.keyPort);
      return path;
    });
    this.opening = made.catch(() => {
      if (current()) this.opening = null;
      return null;
    });
    const path = await made;
    if (!path) return;
    await path.opened();
    await this.deps.local.sendTo(path, current);
  }

  /** room.consumer: taken paused (once the path is made); it plays once wanted. */
  async consume(offer: SfuConsumerOffer): Promise<void> {
    if (this.closed || (!this.path && !this.opening)) return;
    const { consumerId, producerId, slot, kind, source, transportId } = offer;
    // A second consumer of one producer would play the same frames twice, and the worker's replay
    // window would let only one copy through, not always the one on screen: it stays unused. One
    // on another transport is not a second: an offer made for our previous path, sent again after
    // a reconnect, comes before the offers for the path made since, and the path refuses it.
    const consumers = [...this.consumers.values()];
    if (consumers.some((c) => c.producerId === producerId && c.transportId === transportId)) {
      console.warn('parley: the SFU offered a second consumer of one producer; left unused');
      return;
    }
    this.consumers.set(consumerId, {
      consumerId,
      transportId,
      producerId,
      slot,
      kind,
      source,
      track: null,
      taken: false,
      resumed: false,
      spatialLayer: null,
      failedResumes: 0,
    });
    const path = this.path ?? (await this.opening);
    if (!path) {
      // The path could not be made: nothing will take this consumer.
      this.consumers.delete(consumerId);
      return;
    }
    // Gone meanwhile: the path was dropped, or the consumer closed.
    if (this.path !== path || !this.consumers.has(consumerId)) return;
    const taken = await path.consume(offer);
    const consumer = this.consumers.get(consumerId);
    if (!consumer || this.path !== path) return;
    if (!taken) {
      this.forget(consumerId);
      return;
    }
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

  /** The tile of `slot`'s `source` changed size or left the screen (see deps.tileSize). */
  async tileResized(slot: number, source: 'camera' | 'screen'): Promise<void> {
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

  /** Our media to the SFU went down after it had connected, and is not back yet. */
  get reconnecting(): boolean {
    return this.down;
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

  private onConnectionState(state: RTCPeerConnectionState): void {
    if (state === 'connected') this.everConnected = true;
    const down = this.everConnected && state !== 'connected';
    if (down === this.down) return;
    this.down = down;
    this.deps.changed();
  }

  private dropPath(): void {
    // A path made again after one had connected is down until the new one connects.
    this.down = this.everConnected && !this.closed;
    this.generation += 1;
    this.opening = null;
    this.iceRestarts?.stop();
    this.iceRestarts = null;
    this.deps.local.detach();
    this.path?.close();
    this.path = null;
    this.deps.workerKeys.attach(null);
    this.consumers.clear();
    this.deps.pathStartsOver();
    this.deps.changed();
  }

  private onRemoteTrack(remote: SfuRemoteTrack): void {
    const consumer = this.consumers.get(remote.consumerId);
    if (!consumer) return;
    consumer.track = remote.track;
    this.deps.changed();
  }

  private resumeFailed(consumer: RoomConsumer, path: RoomMediaPath, error: unknown): void {
    if (this.consumers.get(consumer.consumerId) !== consumer || this.path !== path) return;
    consumer.resumed = false;
    consumer.failedResumes += 1;
    console.warn('parley: a group-call consumer could not be resumed', error);
    if (consumer.failedResumes >= RESUME_ATTEMPTS) return;
    setTimeout(() => {
      if (this.consumers.get(consumer.consumerId) !== consumer || this.path !== path) return;
      void this.update(consumer.consumerId).catch((retryError: unknown) => {
        console.warn('parley: a group-call consumer could not be resumed', retryError);
      });
    }, RESUME_RETRY_MS);
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
      consumer.kind === 'video' ? this.deps.tileSize(consumer.slot, consumer.source) : null;
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
      try {
        await path.resumeConsumer(consumerId);
      } catch (error) {
        this.resumeFailed(consumer, path, error);
        return;
      }
      consumer.failedResumes = 0;
      // Frames sent before the key came could not be decrypted; a decoder starts at a key frame.
      if (consumer.kind === 'video')
        await this.deps.requests.keyFrame(this.deps.callId, consumerId);
    } else if (!wanted && consumer.resumed) {
      consumer.resumed = false;
      await path.pauseConsumer(consumerId);
    }
  }
}
