// A page that runs only SfuPath, for tests of the media path through the real SFU before any
// call logic: its SFU requests go to the test (window.sfuRequest), which plays the server.
import type { MediaSource } from '../../../protocol';
import { kidFor } from '../../../renderer/e2ee/callKeyIds';
import {
  SfuPath,
  type SfuConsumerOffer,
  type SfuPathEvents,
  type SfuSignaling,
} from '../../../renderer/call/SfuPath';
import type { SenderFrameCounts } from '../../../renderer/e2ee/worker/messages';

declare global {
  interface Window {
    sfuRequest(method: string, args: unknown[]): Promise<unknown>;
    sfuLab: typeof lab;
  }
}

export interface ConsumerStats {
  consumerId: string;
  slot: number;
  kind: string;
  source: MediaSource;
  framesDecoded: number;
  /** Frames assembled from packets (before the E2EE worker and the decoder). */
  framesReceived: number;
  /** Frames received but not decoded in time (the decoder fell behind). */
  framesDropped: number;
  frameWidth: number;
  packetsReceived: number;
}

let path: SfuPath;
let senders: SenderFrameCounts[] = [];
/** Each transport's latest state, by id, as SfuPath reports it. */
const transportStates = new Map<string, RTCPeerConnectionState>();
const remote = new Map<string, { slot: number; source: MediaSource; track: MediaStreamTrack }>();

function request<T>(method: string, ...args: unknown[]): Promise<T> {
  return window.sfuRequest(method, args) as Promise<T>;
}

const signaling: SfuSignaling = {
  router: () => request('router'),
  transports: (rtpCapabilities) => request('transports', rtpCapabilities),
  connect: (transportId, dtlsParameters) => request('connect', transportId, dtlsParameters),
  produce: (kind, source, rtpParameters) => request('produce', kind, source, rtpParameters),
  closeProducer: (producerId) => request('closeProducer', producerId),
  resume: (consumerId) => request('resume', consumerId),
  pause: (consumerId) => request('pause', consumerId),
  layers: (consumerId, spatial, temporal) => request('layers', consumerId, spatial, temporal),
  keyFrame: (consumerId) => request('keyFrame', consumerId),
  restartIce: (transportId) => request('restartIce', transportId),
};

function bytes(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

const events: SfuPathEvents = {
  connectionState: () => {},
  transportState: (transportId, state) => void transportStates.set(transportId, state),
  remoteTrack: ({ consumerId, slot, source, track }) => {
    remote.set(consumerId, { slot, source, track });
    const element = document.createElement(track.kind === 'video' ? 'video' : 'audio');
    element.id = consumerId;
    element.autoplay = true;
    element.muted = true;
    element.srcObject = new MediaStream([track]);
    document.body.append(element);
  },
  remoteTrackEnded: (consumerId) => {
    remote.delete(consumerId);
    document.getElementById(consumerId)?.remove();
  },
  e2eeReport: (report) => {
    senders = report.senders;
  },
};

const lab = {
  async start(width: number, height: number): Promise<void> {
    // Made before it opens: the SFU offers the consumers of members already there meanwhile.
    path = new SfuPath(signaling, events, []);
    await path.opened();
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width, height, frameRate: 15 },
    });
    await path.send('microphone', stream.getAudioTracks()[0]!);
    await path.send('camera', stream.getVideoTracks()[0]!);
  },
  /** Only receives: the path with its transports, and nothing produced. */
  async startReceiving(): Promise<void> {
    path = new SfuPath(signaling, events, []);
    await path.opened();
  },
  setSendKey(slot: number, generation: number, key: string, epoch = 0): void {
    path.keyPort.post({
      kind: 'setSendKey',
      kid: kidFor(slot, epoch, generation),
      baseKey: bytes(key),
    });
  },
  setReceiveKey(slot: number, generation: number, key: string, epoch = 0): void {
    path.keyPort.post({
      kind: 'setReceiveKey',
      kid: kidFor(slot, epoch, generation),
      baseKey: bytes(key),
    });
  },
  /** Restarts ICE of both transports (as after a network change); their ids. */
  async restartIce(): Promise<string[]> {
    const ids = [...transportStates.keys()];
    for (const id of ids) await path.restartIce(id);
    return ids;
  },
  transportStates: () => Object.fromEntries(transportStates),
  /** The receive transport's ICE: its selected candidate pair and our ICE username fragment. */
  async receiveIce(): Promise<{ pair: string; ufrag: string }> {
    let ice = { pair: '', ufrag: '' };
    (await path.receiveStats()).forEach((entry: Record<string, unknown>) => {
      if (entry.type === 'transport') {
        ice = {
          pair: String(entry.selectedCandidatePairId ?? ''),
          ufrag: String(entry.iceLocalUsernameFragment ?? ''),
        };
      }
    });
    return ice;
  },
  consume: (offer: SfuConsumerOffer) => path.consume(offer),
  resumeSlot: (slot: number) => path.resumeSlot(slot),
  preferLayer: (consumerId: string, layer: number) => path.preferLayer(consumerId, layer),
  closeConsumer: (consumerId: string) => path.closeConsumer(consumerId),
  /** Per consumer: what the browser decoded of it. */
  async stats(): Promise<ConsumerStats[]> {
    const report = await path.receiveStats();
    const inbound = new Map<string, Record<string, number>>();
    report.forEach((entry: Record<string, unknown>) => {
      if (entry.type === 'inbound-rtp')
        inbound.set(String(entry.trackIdentifier), entry as Record<string, number>);
    });
    return [...remote].map(([consumerId, { slot, source, track }]) => {
      const entry = inbound.get(track.id) ?? {};
      return {
        consumerId,
        slot,
        kind: track.kind,
        source,
        framesDecoded: entry.framesDecoded ?? 0,
        framesReceived: entry.framesReceived ?? 0,
        framesDropped: entry.framesDropped ?? 0,
        frameWidth: entry.frameWidth ?? 0,
        packetsReceived: entry.packetsReceived ?? 0,
      };
    });
  },
  /** Frames the worker decrypted (and failed to) per sender slot. */
  decrypted: () => senders,
};

window.sfuLab = lab;
export type SfuLabPage = typeof lab;
