import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { ratchetBaseKey } from '../../renderer/e2ee/callKeyIds';
import type { SenderFrameCounts } from '../../renderer/e2ee/worker/messages';
import { launchChromium } from './harness/chromium';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';
import { SfuLab } from './sfu/sfuLab';
import type { ConsumerStats } from './sfu/sfuLabPage';

/**
 * The group-call key rules as Chromium sees them, through the real SFU: what a joiner and a
 * member holding only old keys can decode of one sender's frames, which reach them all the same.
 * The lab hands keys out the way the call does (docs/security.md): on a join every sender ratchets
 * one epoch and the joiner gets only the ratcheted key; on a leave every sender draws a fresh
 * random key in the next generation, given only to those who stay. Counts come from the page's
 * E2EE worker (frames decrypted and refused per sender) and from getStats (frames decoded).
 */
jest.setTimeout(300_000);

// Small cameras: three pages send and receive on two cores.
const CAMERA = { width: 320, height: 180 };
const SENDER = 0;
let browser: Browser;
let lab: SfuLab;

beforeAll(async () => {
  browser = await launchChromium();
  lab = await SfuLab.start(browser, sfuPortsOf('sfuKeys'));
  await lab.join(SENDER, CAMERA);
  await lab.join(1, CAMERA);
  await lab.shareKey(SENDER, 1);
});

afterAll(async () => {
  await lab?.close();
  await browser?.close();
});

interface SeenFromSender {
  framesDecoded: number;
  packetsReceived: number;
  worker: SenderFrameCounts;
}

/** What `slot` has of the sender's camera (getStats) and frames (its E2EE worker's counts). */
async function seenFromSender(slot: number): Promise<SeenFromSender> {
  const stats: ConsumerStats[] = await lab.stats(slot);
  const camera = stats.find((s) => s.slot === SENDER && s.source === 'camera');
  const senders = await lab.page(slot).evaluate(() => window.sfuLab.decrypted());
  const none = { decrypted: 0, decryptFailed: 0 };
  return {
    framesDecoded: camera?.framesDecoded ?? 0,
    packetsReceived: camera?.packetsReceived ?? 0,
    worker: senders.find((s) => s.slot === SENDER) ?? { slot: SENDER, audio: none, video: none },
  };
}

/** Waits until `slot` decodes `frames` more of the sender's video frames than `before`. */
function decodesMore(slot: number, before: SeenFromSender, frames: number, what: string) {
  return pollUntil(
    () => seenFromSender(slot),
    (now) =>
      now.framesDecoded >= before.framesDecoded + frames &&
      now.worker.audio.decrypted > before.worker.audio.decrypted,
    what,
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

const base64 = (key: Uint8Array) => Buffer.from(key).toString('base64');
const NOTHING_SEEN: SeenFromSender = {
  framesDecoded: 0,
  packetsReceived: 0,
  worker: {
    slot: SENDER,
    audio: { decrypted: 0, decryptFailed: 0 },
    video: { decrypted: 0, decryptFailed: 0 },
  },
};

test('a joiner holding the ratcheted key decodes nothing the sender sent before the ratchet, and decodes from it on', async () => {
  await decodesMore(1, NOTHING_SEEN, 10, 'slot 1 decoding the sender before anyone joins');

  // Slot 2 joins and is given the sender's key one epoch on, while the sender still sends under
  // the key of before: those frames reach the joiner and none decrypts or decodes.
  const ratcheted = base64(
    await ratchetBaseKey(Buffer.from(lab.members.get(SENDER)!.key, 'base64')),
  );
  await lab.join(2, CAMERA);
  await lab.shareKey(SENDER, 2, ratcheted, { generation: 0, epoch: 1 });
  const beforeRatchet = await pollUntil(
    () => seenFromSender(2),
    (seen) =>
      seen.packetsReceived > 50 &&
      seen.worker.video.decryptFailed > 10 &&
      seen.worker.audio.decryptFailed > 20,
    "the joiner receiving the sender's frames from before the ratchet",
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  expect(beforeRatchet.worker.video.decrypted).toBe(0);
  expect(beforeRatchet.worker.audio.decrypted).toBe(0);
  expect(beforeRatchet.framesDecoded).toBe(0);

  // The sender ratchets: the joiner decodes from now on, and slot 1, holding the key of before,
  // follows the ratchet by itself and goes on decoding.
  const memberBefore = await seenFromSender(1);
  await lab.sendWith(SENDER, ratcheted, { generation: 0, epoch: 1 });
  await decodesMore(2, beforeRatchet, 10, 'the joiner decoding the sender after the ratchet');
  await decodesMore(1, memberBefore, 10, 'slot 1 decoding the sender across the ratchet');
});

test('after a leave the sender moves to a fresh key: a member holding only the old keys decodes nothing sent after, those given the new key go on', async () => {
  // Slot 2 plays the one who left (or anyone holding only the keys of before the rotation): its
  // consumer stays open, so every frame still reaches it. Slot 1 stays and gets the new key.
  const fresh = base64(randomBytes(32));
  await lab.shareKey(SENDER, 1, fresh, { generation: 1, epoch: 0 });
  const stayerBefore = await seenFromSender(1);
  const oldKeysBefore = await decodesMore(
    2,
    NOTHING_SEEN,
    1,
    'slot 2 decoding before the rotation',
  );
  await lab.sendWith(SENDER, fresh, { generation: 1, epoch: 0 });

  // Once frames of the new generation are being refused in both kinds, every frame before the
  // rotation has passed the worker (each track's frames come in order).
  const rotated = await pollUntil(
    () => seenFromSender(2),
    (seen) =>
      seen.worker.video.decryptFailed >= oldKeysBefore.worker.video.decryptFailed + 5 &&
      seen.worker.audio.decryptFailed >= oldKeysBefore.worker.audio.decryptFailed + 5,
    'slot 2 refusing the frames of the new generation',
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  const later = await pollUntil(
    () => seenFromSender(2),
    (seen) =>
      seen.packetsReceived >= rotated.packetsReceived + 50 &&
      seen.worker.video.decryptFailed >= rotated.worker.video.decryptFailed + 20 &&
      seen.worker.audio.decryptFailed >= rotated.worker.audio.decryptFailed + 50,
    "more of the sender's frames reaching slot 2 after the rotation",
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  expect(later.worker.video.decrypted).toBe(rotated.worker.video.decrypted);
  expect(later.worker.audio.decrypted).toBe(rotated.worker.audio.decrypted);
  expect(later.framesDecoded).toBe(rotated.framesDecoded);

  await decodesMore(1, stayerBefore, 10, 'slot 1 decoding the sender under the fresh key');
});
