import type {
  E2eeWorkerReport,
  E2eeWorkerRequest,
  MediaKind,
  TransformOptions,
} from '../e2ee/worker/messages';
import type { E2eeWorkerPort } from '../keys/CallKeyRing';

/** The worker bundle, served beside app.js (same origin, so script-src 'self' allows it). */
const WORKER_URL = 'e2ee-worker.js';

interface EncodedStreams {
  readable: ReadableStream;
  writable: WritableStream;
}
/** Chromium's older API, where RTCRtpScriptTransform is missing. */
interface WithEncodedStreams {
  createEncodedStreams(): EncodedStreams;
}

/**
 * One call's E2EE worker and the transforms that route every sender's and receiver's encoded
 * frames through it: RTCRtpScriptTransform where it exists, else createEncodedStreams.
 */
export class MediaTransforms implements E2eeWorkerPort {
  private readonly worker = new Worker(WORKER_URL, { name: 'parley-e2ee' });
  private readonly useScriptTransform = typeof RTCRtpScriptTransform !== 'undefined';
  private readonly attached = new WeakSet<RTCRtpSender | RTCRtpReceiver>();

  constructor(onReport: (report: E2eeWorkerReport) => void) {
    this.worker.onmessage = (event: MessageEvent<E2eeWorkerReport>) => onReport(event.data);
    this.worker.onerror = (event) => console.warn('parley: e2ee worker error', event.message);
  }

  /** What the RTCPeerConnection needs for the fallback API (nothing for script transforms). */
  get peerConnectionConfig(): RTCConfiguration {
    return this.useScriptTransform ? {} : ({ encodedInsertableStreams: true } as RTCConfiguration);
  }

  post(message: E2eeWorkerRequest): void {
    this.worker.postMessage(message);
  }

  /** Idempotent: a sender keeps the first transform it got. */
  attachSender(sender: RTCRtpSender, kind: string): void {
    if (this.attached.has(sender)) return;
    this.attached.add(sender);
    this.attach(sender, { operation: 'encrypt', mediaKind: mediaKind(kind) });
  }

  /** Idempotent: a receiver keeps the first transform it got. */
  attachReceiver(receiver: RTCRtpReceiver): void {
    if (this.attached.has(receiver)) return;
    this.attached.add(receiver);
    this.attach(receiver, { operation: 'decrypt', mediaKind: mediaKind(receiver.track.kind) });
  }

  close(): void {
    this.worker.terminate();
  }

  private attach(endpoint: RTCRtpSender | RTCRtpReceiver, options: TransformOptions): void {
    if (this.useScriptTransform) {
      endpoint.transform = new RTCRtpScriptTransform(this.worker, options);
      return;
    }
    const { readable, writable } = (
      endpoint as unknown as WithEncodedStreams
    ).createEncodedStreams();
    const message: E2eeWorkerRequest = { kind: 'streams', ...options, readable, writable };
    this.worker.postMessage(message, [readable, writable]);
  }
}

function mediaKind(kind: string): MediaKind {
  return kind === 'audio' ? 'audio' : 'video';
}
