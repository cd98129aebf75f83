/**
 * The encoded-transform worker: encrypts every outgoing frame and decrypts every incoming one of
 * one call with FrameCryptor, drops frames that do not decrypt (the decoder never sees them) and
 * reports frame counts to the main thread, per track kind and per sender slot.
 */
import { FrameCryptor, senderSlotOf } from '../frameCryptor';
import { FrameProfiler } from './frameProfiler';
import { FrameTally } from './frameTally';
import { type EncodedFrame, StreamCodec } from './streamCodec';
import type {
  E2eeWorkerProfileReport,
  E2eeWorkerRequest,
  MediaKind,
  TransformOptions,
} from './messages';
import { STATS_INTERVAL_MS } from './messages';

declare const self: DedicatedWorkerGlobalScope;

const cryptor = new FrameCryptor();
const tally = new FrameTally((slot) => cryptor.hasReceiveSlot(slot));
/** Set only while a benchmark profiles the frame path. */
let profiler: FrameProfiler | null = null;

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
    case 'profile':
      profiler = message.enabled ? new FrameProfiler() : null;
      return;
    case 'readProfile': {
      const report: E2eeWorkerProfileReport = {
        kind: 'profile',
        profile: (profiler ?? new FrameProfiler()).snapshot(),
      };
      self.postMessage(report);
      return;
    }
  }
};

self.onrtctransform = (event: RTCTransformEvent) => {
  const { transformer } = event;
  pipe(transformer.options as TransformOptions, transformer.readable, transformer.writable);
};

setInterval(() => self.postMessage(tally.report()), STATS_INTERVAL_MS);

function pipe(options: TransformOptions, readable: ReadableStream, writable: WritableStream) {
  const { operation, mediaKind } = options;
  const codec = new StreamCodec(mediaKind);
  const transform =
    operation === 'encrypt'
      ? (frame: EncodedFrame, controller: TransformStreamDefaultController<EncodedFrame>) =>
          encryptFrame(mediaKind, codec, frame, controller)
      : (frame: EncodedFrame, controller: TransformStreamDefaultController<EncodedFrame>) =>
          decryptFrame(mediaKind, codec, frame, controller);
  void readable
    .pipeThrough(new TransformStream<EncodedFrame, EncodedFrame>({ transform }))
    .pipeTo(writable)
    .catch(report(`${operation} ${mediaKind} stream`));
}

async function encryptFrame(
  mediaKind: MediaKind,
  codec: StreamCodec,
  frame: EncodedFrame,
  controller: TransformStreamDefaultController<EncodedFrame>,
) {
  const clock = profiler?.start('encrypt', mediaKind);
  try {
    const data = new Uint8Array(frame.data);
    clock?.lap('read');
    const frameCodec = codec.of(frame);
    clock?.lap('codec');
    const encrypting = cryptor.encrypt(frameCodec, data);
    clock?.lap('cipherCall');
    const encrypted = await encrypting;
    clock?.lap('cipherWait');
    frame.data = encrypted.buffer;
    tally.encrypted(mediaKind);
    controller.enqueue(frame);
    clock?.end('write', data.length);
  } catch {
    // Never send a frame in the clear: no key yet, or a frame with no defined clear prefix.
    tally.encryptFailed(mediaKind);
  }
}

async function decryptFrame(
  mediaKind: MediaKind,
  codec: StreamCodec,
  frame: EncodedFrame,
  controller: TransformStreamDefaultController<EncodedFrame>,
) {
  const clock = profiler?.start('decrypt', mediaKind);
  let slot: number | null = null;
  try {
    const data = new Uint8Array(frame.data);
    clock?.lap('read');
    const frameCodec = codec.of(frame);
    clock?.lap('codec');
    slot = senderSlotOf(frameCodec, data);
    const decrypting = cryptor.decrypt(frameCodec, data);
    clock?.lap('cipherCall');
    const decrypted = await decrypting;
    clock?.lap('cipherWait');
    frame.data = decrypted.buffer;
    tally.decrypted(mediaKind, slot);
    controller.enqueue(frame);
    clock?.end('write', data.length);
  } catch {
    // Dropped: the decoder never sees a frame that did not authenticate (an empty one included).
    tally.decryptFailed(mediaKind, slot);
  }
}

function report(what: string) {
  return (error: unknown) => console.warn(`parley e2ee worker: ${what} failed`, error);
}
