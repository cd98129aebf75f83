import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { kidFor } from '../../renderer/e2ee/callKeyIds';
import { clearPrefixLength } from '../../renderer/e2ee/clearPrefix';
import { FrameCryptor } from '../../renderer/e2ee/frameCryptor';
import { decodeHeader } from '../../renderer/e2ee/sframeHeader';
import { launchChromium } from './harness/chromium';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';
import { SfuLab } from './sfu/sfuLab';
import type { ConsumerStats } from './sfu/sfuLabPage';
import { parseRtp, vp8FramesOf, type RtpPacket } from './sfu/rtpFrames';

/**
 * Group-call media through the real SFU (a mediasoup worker built for this machine) between real
 * Chromium pages running the renderer's SfuPath and E2EE worker: every frame is SFrame-encrypted
 * by its sender and decrypted only by members holding that sender's key. The keys are handed out
 * by the test here; the call logic that agrees them is tested on its own.
 */
jest.setTimeout(300_000);

const CAMERA = { width: 640, height: 360 };
// Chrome sends all three of the camera's simulcast layers only from 960x540 up (below it, its
// simulcast layer limit drops the top one), so the member whose layers are switched below
// captures that size; the others stay small, to spare the two cores.
const LAYERED_CAMERA = { width: 960, height: 540 };
let browser: Browser;
let lab: SfuLab;

beforeAll(async () => {
  browser = await launchChromium();
  lab = await SfuLab.start(browser, sfuPortsOf('sfuPath'));
  for (const slot of [0, 1, 2]) await lab.join(slot, slot === 0 ? LAYERED_CAMERA : CAMERA);
  for (const from of [0, 1, 2]) {
    for (const to of [0, 1, 2]) if (from !== to) await lab.shareKey(from, to);
  }
});

afterAll(async () => {
  await lab?.close();
  await browser?.close();
});

const cameraOf = (stats: ConsumerStats[], slot: number) =>
  stats.find((s) => s.slot === slot && s.source === 'camera');

test("three members each decode the other two's video and audio, encrypted end to end", async () => {
  for (const slot of [0, 1, 2]) {
    const others = [0, 1, 2].filter((other) => other !== slot);
    await pollUntil(
      () => lab.stats(slot),
      (stats) => others.every((other) => (cameraOf(stats, other)?.framesDecoded ?? 0) > 10),
      `slot ${slot} decoding the video of slots ${others.join(' and ')}`,
    );
    const decrypted = await pollUntil(
      () => lab.page(slot).evaluate(() => window.sfuLab.decrypted()),
      (senders) =>
        others.every((other) => {
          const counts = senders.find((s) => s.slot === other);
          return (counts?.audio.decrypted ?? 0) > 20 && (counts?.video.decrypted ?? 0) > 10;
        }),
      `slot ${slot} decrypting audio and video of slots ${others.join(' and ')}`,
    );
    expect(decrypted.some((s) => s.slot === slot)).toBe(false);
  }
});

test("a receiver's preferred simulcast layer switches and the decoded size follows", async () => {
  const consumer = cameraOf(await lab.stats(1), 0)!;
  for (const [layer, width] of [
    [0, LAYERED_CAMERA.width / 4],
    [2, LAYERED_CAMERA.width],
    [1, LAYERED_CAMERA.width / 2],
  ] as const) {
    await lab.page(1).evaluate(({ id, layer }) => window.sfuLab.preferLayer(id, layer), {
      id: consumer.consumerId,
      layer,
    });
    await pollUntil(
      () => lab.stats(1),
      (stats) => cameraOf(stats, 0)?.frameWidth === width,
      `slot 1 decoding slot 0's camera ${width} wide (layer ${layer})`,
      // The top layer starts only once the sender's bandwidth estimate has grown to carry it.
      { timeoutMs: 60_000 },
    );
  }
});

test('a member holding another key for a sender decodes none of its frames, though they arrive', async () => {
  await lab.join(3, CAMERA);
  await lab.shareKey(1, 3);
  await lab.shareKey(0, 3, randomBytes(32).toString('base64'));
  const stats = await pollUntil(
    () => lab.stats(3),
    (all) =>
      (cameraOf(all, 1)?.framesDecoded ?? 0) > 10 && (cameraOf(all, 0)?.packetsReceived ?? 0) > 100,
    "slot 3 decoding slot 1's video while slot 0's packets arrive",
  );
  expect(cameraOf(stats, 0)!.framesDecoded).toBe(0);
  const senders = await lab.page(3).evaluate(() => window.sfuLab.decrypted());
  const fromZero = senders.find((s) => s.slot === 0)!;
  expect(fromZero.video.decrypted).toBe(0);
  expect(fromZero.video.decryptFailed).toBeGreaterThan(0);
});

test('the SFU forwards only ciphertext: valid SFrame under the sender KID, a clear VP8 prefix, no plaintext', async () => {
  const router = lab.mediasoupRouter!;
  const sender = 2;
  const direct = await router.createDirectTransport();
  const packets: RtpPacket[] = [];
  const taps = await Promise.all(
    lab.producersOf(sender).map(async ({ id, kind }) => {
      const consumer = await direct.consume({
        producerId: id,
        rtpCapabilities: router.rtpCapabilities,
      });
      consumer.on('rtp', (packet: Buffer) => packets.push(parseRtp(packet, kind)));
      return consumer;
    }),
  );
  try {
    await pollUntil(
      async () => vp8FramesOf(packets).length,
      (frames) => frames >= 20,
      'twenty whole video frames through the tap',
    );
    const senderKey = Buffer.from(lab.members.get(sender)!.key, 'base64');
    const withKey = new FrameCryptor();
    await withKey.setReceiveKey(kidFor(sender, 0), senderKey);
    const withoutKey = new FrameCryptor();
    await withoutKey.setReceiveKey(kidFor(sender, 0), randomBytes(32));

    const frames = vp8FramesOf(packets);
    let keyFrames = 0;
    for (const frame of frames) {
      const prefix = clearPrefixLength('vp8', frame)!;
      const keyFrame = (frame[0]! & 0x01) === 0;
      if (keyFrame) {
        keyFrames += 1;
        // RFC 6386 9.1: a key frame's start code, readable through the SFU.
        expect([...frame.subarray(3, 6)]).toEqual([0x9d, 0x01, 0x2a]);
      }
      expect(decodeHeader(frame.subarray(prefix)).kid).toBe(kidFor(sender, 0));
      const plain = await withKey.decrypt('vp8', frame);
      expect(plain.length).toBeLessThan(frame.length);
      await expect(withoutKey.decrypt('vp8', frame)).rejects.toThrow();
    }
    const audio = packets.filter((packet) => packet.kind === 'audio');
    expect(audio.length).toBeGreaterThan(10);
    for (const packet of audio.slice(0, 10)) {
      expect(decodeHeader(packet.payload.subarray(1)).kid).toBe(kidFor(sender, 0));
      await withKey.decrypt('opus', packet.payload);
      await expect(withoutKey.decrypt('opus', packet.payload)).rejects.toThrow();
    }
    // A new consumer asks its producer for a key frame, so the tap sees at least one.
    expect(keyFrames).toBeGreaterThan(0);
  } finally {
    for (const tap of taps) tap.close();
    direct.close();
  }
});

test("an ICE restart of a member's transports, with new ICE parameters from the SFU, keeps its media both ways", async () => {
  const member = 2;
  const page = lab.page(member);
  await pollUntil(
    () => page.evaluate(() => window.sfuLab.transportStates()),
    (states) =>
      Object.keys(states).length === 2 &&
      Object.values(states).every((state) => state === 'connected'),
    `slot ${member}'s two transports connected`,
  );
  const decodedBy = async (slot: number, from: number) =>
    cameraOf(await lab.stats(slot), from)?.framesDecoded ?? 0;
  const receivedBefore = await decodedBy(member, 0);
  const sentBefore = await decodedBy(0, member);

  const iceBefore = await page.evaluate(() => window.sfuLab.receiveIce());
  const restarted = await page.evaluate(() => window.sfuLab.restartIce());
  expect(restarted).toHaveLength(2);
  expect(lab.iceRestarts).toEqual(restarted);
  // A new ICE session: our new credentials, and a pair selected by checks that the SFU answered
  // under the new parameters it gave (with the old ones it would answer none).
  await pollUntil(
    () => page.evaluate(() => window.sfuLab.receiveIce()),
    (ice) => ice.ufrag !== iceBefore.ufrag && ice.pair !== '' && ice.pair !== iceBefore.pair,
    `slot ${member}'s receive transport on a new ICE session`,
  );

  // Both ways still: it decodes slot 0's camera, and slot 0 decodes its camera, 30 frames on.
  await pollUntil(
    async () => [await decodedBy(member, 0), await decodedBy(0, member)],
    ([received, sent]) => received! > receivedBefore + 30 && sent! > sentBefore + 30,
    `video both ways after slot ${member}'s ICE restart`,
  );
  const states = await page.evaluate(() => window.sfuLab.transportStates());
  expect(Object.values(states)).toEqual(['connected', 'connected']);
});
