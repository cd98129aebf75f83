import { testIds } from '../../renderer/ui/testIds';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import { readAttachedTransforms } from './harness/peerConnectionTracker';
import { pollUntil } from './harness/pollUntil';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import {
  deriveWrongX25519Secrets,
  expectNothingDecodedEitherWay,
  spoiledAgreements,
} from './harness/wrongKeyAgreement';

// Real Chromium and real calls on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

/** How long "still rising" and "still zero" are watched: well past the 2 s decrypt-failure threshold. */
const OBSERVATION_MS = 4_000;

const env = fileEnvironment({}, { closeClientsAfterEach: true });

/**
 * Fault injection, in one page only: the video sender gets no encoded-frame transform, so that
 * device sends its video as plain VP8 frames while its audio is encrypted as usual: what a client
 * sends that does not protect one of its tracks. Counts the transforms it withheld.
 */
function sendVideoUnencrypted(): void {
  const descriptor = Object.getOwnPropertyDescriptor(RTCRtpSender.prototype, 'transform')!;
  const state = { withheld: 0 };
  Object.defineProperty(window, '__withheldVideoTransforms', { get: () => state.withheld });
  Object.defineProperty(RTCRtpSender.prototype, 'transform', {
    ...descriptor,
    set(this: RTCRtpSender, transform: RTCRtpScriptTransform | null) {
      if (this.track?.kind === 'video') {
        state.withheld++;
        return;
      }
      descriptor.set!.call(this, transform);
    },
  });
}

function withheldVideoTransforms(client: ParleyClient): Promise<number> {
  return client.page.evaluate(
    () => (window as unknown as { __withheldVideoTransforms: number }).__withheldVideoTransforms,
  );
}

/**
 * The encoding names (rtpmap) of the newest connection's local and remote SDP, per media kind:
 * e.g. `audio: ['opus'], video: ['VP8', 'rtx']`.
 */
function negotiatedEncodings(
  client: ParleyClient,
): Promise<Record<'local' | 'remote', Record<string, string[]>>> {
  return client.page.evaluate(() => {
    const tracked = (window as unknown as { __trackedPeerConnections: RTCPeerConnection[] })
      .__trackedPeerConnections;
    const newest = tracked[tracked.length - 1]!;
    const byKind = (sdp: string | undefined) => {
      const result: Record<string, string[]> = {};
      for (const section of (sdp ?? '').split(/^(?=m=)/m).slice(1)) {
        const kind = /^m=(\w+)/.exec(section)![1]!;
        const names = [...section.matchAll(/^a=rtpmap:\d+ ([^/\r\n]+)/gm)].map((m) => m[1]!);
        result[kind] = [...new Set([...(result[kind] ?? []), ...names])];
      }
      return result;
    };
    return {
      local: byKind(newest.localDescription?.sdp),
      remote: byKind(newest.remoteDescription?.sdp),
    };
  });
}

/** The 60 digits of the in-call safety number, and whether they are shown as 12 groups of 5. */
async function readSafetyNumber(
  client: ParleyClient,
): Promise<{ digits: string; grouped: boolean }> {
  const element = client.byTestId(testIds.safetyNumber);
  await element.waitFor({ state: 'visible', timeout: 20_000 });
  const text = await element.innerText();
  const groups = text.match(/\d+/g) ?? [];
  return {
    digits: groups.join(''),
    grouped: groups.length === 12 && groups.every((group) => group.length === 5),
  };
}

async function callAndAccept(caller: ParleyClient, callee: ParleyClient): Promise<void> {
  await caller.addContact(callee.username);
  // The callee has not added the caller, so the caller sees them offline (presence is shared
  // only with people one has added); they are signed in since their registration finished.
  await caller.waitForPresence(callee.username, 'offline');
  await caller.callContact(callee.username);
  expect(await callee.waitForIncomingCall()).toContain(caller.displayName);
  await callee.click(testIds.acceptVideoButton);
  await Promise.all([caller.waitForInCall(), callee.waitForInCall()]);
}

test('an encrypted call decodes on both sides, says it is encrypted and shows both users the same safety number', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  await callAndAccept(alice, bob);

  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
    await client.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');
  }
  await expectMediaStillFlowing([alice, bob]);

  // Every frame goes through the encryption worker: each sender and receiver has its transform.
  for (const client of [alice, bob]) {
    const transforms = await readAttachedTransforms(client.page);
    expect(transforms).not.toBeNull();
    expect(transforms!.senders).toEqual([true, true]);
    expect(transforms!.receivers.length).toBeGreaterThanOrEqual(2);
    expect(transforms!.receivers.every(Boolean)).toBe(true);
  }

  const [aliceNumber, bobNumber] = await Promise.all([
    readSafetyNumber(alice),
    readSafetyNumber(bob),
  ]);
  expect(aliceNumber.digits).toMatch(/^\d{60}$/);
  expect(aliceNumber.grouped).toBe(true);
  expect(bobNumber.grouped).toBe(true);
  expect(bobNumber.digits).toBe(aliceNumber.digits);

  await alice.click(testIds.hangupButton);
  await alice.waitForCallEnded('hangup');
  await bob.waitForCallEnded('remote_hangup');
});

test('a device that receives the media but derives the wrong key decodes no frame while packets keep arriving, and says why', async () => {
  const carol = await env.registeredClient('carol', 'Carol King');
  // Dave's page agrees a wrong secret; everything else about him is genuine.
  const dave = await env.registeredClient('dave', 'Dave Brubeck', {
    initScripts: [deriveWrongX25519Secrets],
  });
  await callAndAccept(carol, dave);

  for (const client of [carol, dave]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }
  expect(await spoiledAgreements(dave)).toBeGreaterThan(0);

  // Both send keys come from the one shared secret, so Dave's wrong secret breaks both directions:
  // Dave cannot decrypt Carol, and Carol cannot decrypt what Dave encrypted with his wrong key.
  await expectNothingDecodedEitherWay([dave, carol]);

  await carol.click(testIds.hangupButton);
  await carol.waitForCallEnded('hangup');
  await dave.waitForCallEnded('remote_hangup');
});

test('video that arrives unencrypted is never decoded, and the call screen says video cannot be decrypted while audio stays encrypted', async () => {
  const erin = await env.registeredClient('erin', 'Erin Brockovich');
  // Frank's page sends its camera without encryption; everything else about him is genuine.
  const frank = await env.registeredClient('frank', 'Frank Zappa', {
    initScripts: [sendVideoUnencrypted],
  });
  await callAndAccept(erin, frank);
  for (const client of [erin, frank]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }
  expect(await withheldVideoTransforms(frank)).toBeGreaterThan(0);

  // Only the codecs with a defined clear prefix were offered and answered, on both sides.
  for (const client of [erin, frank]) {
    const { local, remote } = await negotiatedEncodings(client);
    for (const sections of [local, remote]) {
      expect(sections.audio).toEqual(['opus']);
      expect(sections.video).toContain('VP8');
      const repair = ['rtx', 'red', 'ulpfec', 'flexfec-03'];
      expect(sections.video!.filter((name) => name !== 'VP8' && !repair.includes(name))).toEqual(
        [],
      );
    }
  }

  // Erin receives Frank's plain VP8 packets but never hands one frame to the decoder.
  await pollUntil(
    () => erin.readInboundMedia(),
    (media) => media.videoPacketsReceived > 0 && media.audioPacketsReceived > 0,
    'video and audio packets to reach erin',
  );
  const first = await erin.readInboundMedia();
  await erin.waitForAttribute(testIds.e2eeStatus, 'data-video-state', 'decrypt_failed');
  await new Promise((resolve) => setTimeout(resolve, OBSERVATION_MS));
  const later = await erin.readInboundMedia();
  expect(later.videoPacketsReceived).toBeGreaterThan(first.videoPacketsReceived);
  expect(later.audioPacketsReceived).toBeGreaterThan(first.audioPacketsReceived);
  expect(later.videoFramesDecoded).toBe(0);

  // Erin's call screen names the failing kind; audio is still end-to-end encrypted.
  const status = erin.byTestId(testIds.e2eeStatus);
  expect(await status.getAttribute('data-audio-state')).toBe('encrypted');
  expect(await status.getAttribute('data-state')).toBe('decrypt_failed');
  const sentence = await status.innerText();
  expect(sentence).toMatch(/can't decrypt video from Frank/i);
  expect(sentence).toMatch(/audio is end-to-end encrypted/i);

  // Frank decrypts everything Erin sends: his screen says the call is encrypted.
  await frank.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');
  await frank.waitForAttribute(testIds.e2eeStatus, 'data-video-state', 'encrypted');
  await pollUntil(
    () => frank.readInboundMedia(),
    (media) => media.videoFramesDecoded > 0,
    "Erin's video to be decoded by frank",
  );

  await erin.click(testIds.hangupButton);
  await erin.waitForCallEnded('hangup');
  await frank.waitForCallEnded('remote_hangup');
});
