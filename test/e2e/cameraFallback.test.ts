import type { Browser } from 'playwright-core';
import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { launchChromium } from './harness/chromium';
import { fileEnvironment } from './harness/fileEnvironment';
import { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

// Real Chromium against the real server: steps are waited for, never timed.
jest.setTimeout(180_000);

const env = fileEnvironment();
/** A browser that asks before handing out camera or microphone: each context says what it allows. */
let asking: Browser;
let alice: ParleyClient;
let bob: ParleyClient;

beforeAll(async () => {
  asking = await launchChromium({ askForMedia: true });
  alice = await env.registeredClient('alice', 'Alice Liddell');
  // Bob's browser lets the page use his microphone; he blocked the camera.
  bob = await ParleyClient.open(asking, env.server.url, { granted: ['microphone'] });
  await bob.register('bob', 'Bob Marley');
  await becomeContacts(alice, bob);
});

afterAll(async () => {
  await bob?.close();
  await asking?.close();
});

/** Alice's video reaches Bob, and Bob's sound reaches Alice; nothing of Bob's camera does. */
async function expectSoundBothWaysAndAlicesVideo(): Promise<void> {
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }
  const first = await pollUntil(
    () => Promise.all([alice.readInboundMedia(), bob.readInboundMedia()]),
    ([atAlice, atBob]) => atAlice.audioPacketsReceived > 0 && atBob.videoFramesDecoded > 0,
    "Bob's sound at Alice and Alice's video at Bob",
  );
  const later = await pollUntil(
    () => Promise.all([alice.readInboundMedia(), bob.readInboundMedia()]),
    ([atAlice, atBob]) =>
      atAlice.audioPacketsReceived > first[0].audioPacketsReceived &&
      atBob.videoFramesDecoded > first[1].videoFramesDecoded &&
      atBob.audioPacketsReceived > first[1].audioPacketsReceived,
    'media still flowing',
  );
  expect(later[0].videoPacketsReceived).toBe(0);
}

async function expectBobShownWithoutCamera(): Promise<void> {
  // Bob's camera button says why it is off; Alice sees his camera as off.
  await bob.waitForAttribute(testIds.cameraButton, 'data-camera-failure', 'camera_denied');
  expect(await bob.byTestId(testIds.cameraButton).getAttribute('aria-label')).toMatch(
    /^Camera blocked/,
  );
  await alice.byTestId(testIds.remoteCameraOff).waitFor();
}

async function hangUp(): Promise<void> {
  await alice.click(testIds.hangupButton);
  await Promise.all([alice.waitForCallEnded('hangup'), bob.waitForCallEnded('remote_hangup')]);
}

test('a callee whose camera is blocked answers a video call with sound: the call goes ahead, and each side sees why there is no picture of him', async () => {
  await alice.callContact(bob.username);
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptVideoButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  await expectBobShownWithoutCamera();
  await expectSoundBothWaysAndAlicesVideo();
  await hangUp();
});

test('a caller whose camera is blocked places a video call: it goes ahead with his sound, and he sees the callee', async () => {
  await bob.callContact(alice.username);
  await alice.waitForIncomingCall();
  await alice.click(testIds.acceptVideoButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  await expectBobShownWithoutCamera();
  await expectSoundBothWaysAndAlicesVideo();
  await hangUp();
});

test('a callee with no camera at all answers a video call with sound, and his button says there is none', async () => {
  const cameraless = await launchChromium({ cameras: 0 });
  try {
    const frank = await ParleyClient.open(cameraless, env.server.url);
    await frank.register('frank', 'Frank Ocean');
    await becomeContacts(alice, frank);
    await alice.callContact(frank.username);
    await frank.waitForIncomingCall();
    await frank.click(testIds.acceptVideoButton);
    await Promise.all([alice.waitForInCall(), frank.waitForInCall()]);
    await frank.waitForAttribute(testIds.cameraButton, 'data-camera-failure', 'camera_unavailable');
    await alice.byTestId(testIds.remoteCameraOff).waitFor();
    const heard = await pollUntil(
      () => alice.readInboundMedia(),
      (media) => media.audioPacketsReceived > 0,
      "Frank's sound at Alice",
    );
    expect(heard.videoPacketsReceived).toBe(0);
    await alice.click(testIds.hangupButton);
    await frank.waitForCallEnded('remote_hangup');
  } finally {
    await cameraless.close();
  }
});
