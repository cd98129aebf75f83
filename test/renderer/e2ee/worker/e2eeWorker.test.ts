/**
 * The E2EE worker itself, run in Node: frames through its fallback stream pair, keys by message,
 * and the stats it posts: totals per kind as the 1:1 status reads them, and counts per sender
 * slot, which a group call's tiles read.
 */
import { kidFor } from '../../../../renderer/e2ee/callKeyIds';
import { FrameCryptor } from '../../../../renderer/e2ee/frameCryptor';
import {
  type E2eeWorkerReport,
  type E2eeWorkerRequest,
  type MediaKind,
  type SenderFrameCounts,
  STATS_INTERVAL_MS,
} from '../../../../renderer/e2ee/worker/messages';
import { pollUntil } from '../../../e2e/harness/pollUntil';
import { randomBytes } from '../helpers';

const keyOf = (seed: number) => Uint8Array.from({ length: 32 }, (_, i) => (seed * 37 + i) & 0xff);

interface FakeFrame {
  type?: 'key' | 'delta';
  data: ArrayBuffer;
  getMetadata(): { mimeType: string };
}

/** The worker's global scope, as much of it as the worker touches. */
const scope = {
  posted: [] as unknown[],
  onmessage: null as ((event: { data: E2eeWorkerRequest }) => void) | null,
  onrtctransform: null as unknown,
  postMessage(message: unknown) {
    this.posted.push(message);
  },
};

/** Frames handed to the worker's decrypting streams so far. */
let pushed = 0;

/** A decrypting stream pair handed to the worker: frames in, and what it lets through. */
function decryptStream(mediaKind: MediaKind) {
  let input!: ReadableStreamDefaultController<FakeFrame>;
  const passed: Uint8Array[] = [];
  const readable = new ReadableStream<FakeFrame>({
    start: (controller) => void (input = controller),
  });
  const writable = new WritableStream<FakeFrame>({
    write: (frame) => void passed.push(new Uint8Array(frame.data)),
  });
  send({ kind: 'streams', operation: 'decrypt', mediaKind, readable, writable });
  const mimeType = mediaKind === 'audio' ? 'audio/opus' : 'video/VP8';
  return {
    passed,
    push(wire: Uint8Array) {
      const frame: FakeFrame = { data: wire.slice().buffer, getMetadata: () => ({ mimeType }) };
      if (mediaKind === 'video') frame.type = 'delta';
      input.enqueue(frame);
      pushed++;
    },
  };
}

function send(message: E2eeWorkerRequest) {
  scope.onmessage?.({ data: message });
}

/** The worker's next stats report (its interval is the only faked timer). */
async function nextReport(): Promise<E2eeWorkerReport> {
  jest.advanceTimersByTime(STATS_INTERVAL_MS);
  const report = scope.posted.at(-1) as E2eeWorkerReport;
  expect(report.kind).toBe('stats');
  return report;
}

const slotCounts = (report: E2eeWorkerReport, slot: number): SenderFrameCounts | undefined =>
  report.senders.find((sender) => sender.slot === slot);

const total = (report: E2eeWorkerReport) =>
  report.counts.audio.decrypted +
  report.counts.audio.decryptFailed +
  report.counts.video.decrypted +
  report.counts.video.decryptFailed;

async function sender(slot: number, generation: number, baseKey: Uint8Array) {
  const cryptor = new FrameCryptor();
  await cryptor.setSendKey(kidFor(slot, 0, generation), baseKey);
  return cryptor;
}

const opus = () => Uint8Array.from([0x78, ...randomBytes(30)]);
const vp8Delta = () => Uint8Array.from([0x31, 0x0a, 0x00, ...randomBytes(120)]);

beforeAll(async () => {
  // Only the worker's stats interval is faked, so that each report comes when the test asks.
  jest.useFakeTimers({
    doNotFake: [
      'Date',
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
    ],
  });
  Object.assign(globalThis, { self: scope });
  // Through a variable: the worker is type-checked under its own WebWorker lib, not this one.
  const workerEntry = '../../../../renderer/e2ee/worker/e2eeWorker';
  await import(workerEntry);
});

afterAll(() => {
  jest.clearAllTimers();
  jest.useRealTimers();
});

// Waits on the worker's key import, whose time a busy machine stretches.
jest.setTimeout(30_000);

test('the worker counts incoming frames per sender slot beside its per-kind totals', async () => {
  send({ kind: 'setReceiveKey', kid: kidFor(2, 0), baseKey: keyOf(2) });
  send({ kind: 'setReceiveKey', kid: kidFor(3, 0), baseKey: keyOf(3) });
  const slot2 = await sender(2, 0, keyOf(2));
  const slot3 = await sender(3, 0, keyOf(3));
  const slot2NextGeneration = await sender(2, 1, randomBytes(32)); // its key never sent
  const slot9 = await sender(9, 0, keyOf(9)); // a slot the worker has no key for
  const audio = decryptStream('audio');
  const video = decryptStream('video');

  // The keys are set asynchronously: wait until both senders' frames decrypt, then until every
  // frame pushed while waiting is counted, so nothing of the wait is left in flight.
  await pollUntil(
    async () => {
      audio.push(await slot2.encrypt('opus', opus()));
      audio.push(await slot3.encrypt('opus', opus()));
      return nextReport();
    },
    (report) =>
      (slotCounts(report, 2)?.audio.decrypted ?? 0) > 0 &&
      (slotCounts(report, 3)?.audio.decrypted ?? 0) > 0,
    'both senders decrypting',
  );
  const settled = await pollUntil(nextReport, (report) => total(report) === pushed, 'the wait');
  const passedBefore = { audio: audio.passed.length, video: video.passed.length };

  const sentVideo = [vp8Delta(), vp8Delta(), vp8Delta()];
  for (const frame of sentVideo) video.push(await slot2.encrypt('vp8', frame));
  const sentAudio = [opus(), opus()];
  for (const frame of sentAudio) audio.push(await slot3.encrypt('opus', frame));
  for (let i = 0; i < 2; i++) video.push(await slot2NextGeneration.encrypt('vp8', vp8Delta()));
  audio.push(await slot9.encrypt('opus', opus()));
  audio.push(Uint8Array.of(0x78)); // not an SFrame: no slot to count it for

  const after = await pollUntil(
    nextReport,
    (report) => total(report) === pushed,
    'the nine frames counted',
  );
  const delta = (slot: number, kind: MediaKind, field: 'decrypted' | 'decryptFailed') =>
    (slotCounts(after, slot)?.[kind][field] ?? 0) - (slotCounts(settled, slot)?.[kind][field] ?? 0);
  expect(delta(2, 'video', 'decrypted')).toBe(3);
  expect(delta(2, 'video', 'decryptFailed')).toBe(2);
  expect(delta(3, 'audio', 'decrypted')).toBe(2);
  expect(delta(3, 'audio', 'decryptFailed')).toBe(0);
  expect(delta(9, 'audio', 'decryptFailed')).toBe(1);
  expect(after.senders.map((s) => s.slot)).toEqual([2, 3, 9]);
  // The totals the 1:1 status reads count every frame, the one without a slot included.
  expect(after.counts.video.decrypted - settled.counts.video.decrypted).toBe(3);
  expect(after.counts.video.decryptFailed - settled.counts.video.decryptFailed).toBe(2);
  expect(after.counts.audio.decrypted - settled.counts.audio.decrypted).toBe(2);
  expect(after.counts.audio.decryptFailed - settled.counts.audio.decryptFailed).toBe(2);
  // Only the authentic frames reach the decoder, exactly as sent.
  expect(video.passed.slice(passedBefore.video)).toEqual(sentVideo);
  expect(audio.passed.slice(passedBefore.audio)).toEqual(sentAudio);
  expect(total(after) - total(settled)).toBe(9);
});
