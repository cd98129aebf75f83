/**
 * The encoded-transform worker: encrypts every outgoing frame and decrypts every incoming one of
 * one call with FrameCryptor, drops frames that do not decrypt (the decoder never sees them) and
 * reports frame counts to the main thread.
 */
import { type MediaCodec, codecFromName } from '../clearPrefix';
import { FrameCryptor } from '../frameCryptor';
import type {
  E2eeWorkerReport,
  E2eeWorkerRequest,
  FrameCounts,
  KindCounts,
  MediaKind,
  TransformOptions,
} from './messages';
import { STATS_INTERVAL_MS } from './messages';

declare const self: DedicatedWorkerGlobalScope;

type EncodedFrame = RTCEncodedVideoFrame | RTCEncodedAudioFrame;

const cryptor = new FrameCryptor();
const zeroCounts = (): FrameCounts => ({
  encrypted: 0,
  encryptFailed: 0,
  decrypted: 0,
  decryptFailed: 0,
});
const counts: KindCounts = { audio: zeroCounts(), video: zeroCounts() };

self.onmessage = (event: MessageEvent<E2eeWorkerRequest>) => {
  const message = event.data;
  switch (message.kind) {
    case 'setSendKey':
      void cryptor.setSendKey(message.kid, message.baseKey).catch(report('setSendKey'));
      return;
    case 'setReceiveKey':
      void cryptor.setReceiveKey(message.kid, message.baseKey).catch(report('setReceiveKey'));
      return;
    case 'streams':
      pipe(message, message.readable, message.writable);
      return;
  }
};

self.onrtctransform = (event: RTCTransformEvent) => {
  const { transformer } = event;
  pipe(transformer.options as TransformOptions, transformer.readable, transformer.writable);
};

setInterval(() => {
  const report: E2eeWorkerReport = {
    kind: 'stats',
    counts: { audio: { ...counts.audio }, video: { ...counts.video } },
  };
  self.postMessage(report);
}, STATS_INTERVAL_MS);

function pipe(options: TransformOptions, readable: ReadableStream, writable: WritableStream) {
  const transform =
    options.operation === 'encrypt'
      ? (frame: EncodedFrame, controller: TransformStreamDefaultController<EncodedFrame>) =>
          encryptFrame(options.mediaKind, frame, controller)
      : (frame: EncodedFrame, controller: TransformStreamDefaultController<EncodedFrame>) =>
          decryptFrame(options.mediaKind, frame, controller);
  void readable
    .pipeThrough(new TransformStream<EncodedFrame, EncodedFrame>({ transform }))
    .pipeTo(writable)
    .catch(report(`${options.operation} ${options.mediaKind} stream`));
}

async function encryptFrame(
  mediaKind: MediaKind,
  frame: EncodedFrame,
  controller: TransformStreamDefaultController<EncodedFrame>,
) {
  try {
    const encrypted = await cryptor.encrypt(codecOf(mediaKind, frame), new Uint8Array(frame.data));
    frame.data = encrypted.buffer;
    counts[mediaKind].encrypted++;
    controller.enqueue(frame);
  } catch {
    // Never send a frame in the clear: no key yet, or a frame with no defined clear prefix.
    counts[mediaKind].encryptFailed++;
  }
}

async function decryptFrame(
  mediaKind: MediaKind,
  frame: EncodedFrame,
  controller: TransformStreamDefaultController<EncodedFrame>,
) {
  try {
    const decrypted = await cryptor.decrypt(codecOf(mediaKind, frame), new Uint8Array(frame.data));
    frame.data = decrypted.buffer;
    counts[mediaKind].decrypted++;
    controller.enqueue(frame);
  } catch {
    // Dropped: the decoder never sees a frame that did not authenticate (an empty one included).
    counts[mediaKind].decryptFailed++;
  }
}

/** The frame's codec from its metadata; the codecs Parley negotiates when the browser omits it. */
function codecOf(mediaKind: MediaKind, frame: EncodedFrame): MediaCodec {
  const mimeType = frame.getMetadata().mimeType;
  if (mimeType) return codecFromName(mimeType);
  return mediaKind === 'audio' ? 'opus' : 'vp8';
}

function report(what: string) {
  return (error: unknown) => console.warn(`parley e2ee worker: ${what} failed`, error);
}
