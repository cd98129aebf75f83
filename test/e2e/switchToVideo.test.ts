import { testIds } from '../../renderer/ui/testIds';
import { aliceAndBobFile } from './harness/callSetup';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

// Real Chromium against the real server: steps are waited for, never timed.
jest.setTimeout(120_000);

const env = aliceAndBobFile();

/** Waits until this client decodes video frames, and they keep coming a second later. */
async function expectVideoArriving(client: ParleyClient, what: string): Promise<void> {
  const first = await pollUntil(
    () => client.readInboundMedia(),
    (media) => media.videoFramesDecoded > 0,
    what,
  );
  await pollUntil(
    () => client.readInboundMedia(),
    (media) => media.videoFramesDecoded > first.videoFramesDecoded + 10,
    `${what}, still coming`,
  );
}

test('a voice call switches to video: each side turns its camera on and the other sees it, still end-to-end encrypted', async () => {
  const { alice, bob } = env;
  await alice.callByUsername(bob.username, 'audio');
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptAudioButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
    await expect(client.byTestId(testIds.localVideo).count()).resolves.toBe(0);
  }
  expect(await bob.readInboundMedia()).toMatchObject({ videoFramesDecoded: 0 });

  // Alice turns her camera on: Bob sees her, with no question asked (as in Signal).
  expect(await alice.byTestId(testIds.cameraButton).getAttribute('aria-label')).toBe(
    'Switch to video',
  );
  await alice.click(testIds.cameraButton);
  await alice.byTestId(testIds.localVideo).waitFor();
  await expectVideoArriving(bob, "Alice's video at Bob's");
  await bob.byTestId(testIds.remoteVideo).waitFor({ state: 'visible' });
  await bob.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');

  // Bob does the same.
  await bob.click(testIds.cameraButton);
  await bob.byTestId(testIds.localVideo).waitFor();
  await expectVideoArriving(alice, "Bob's video at Alice's");
  await alice.byTestId(testIds.remoteVideo).waitFor({ state: 'visible' });

  // And back: Alice's camera off shows as "camera off" to Bob.
  await alice.click(testIds.cameraButton);
  await bob.byTestId(testIds.remoteCameraOff).waitFor();
  await alice.click(testIds.hangupButton);
  await bob.waitForCallEnded('remote_hangup');
});

test('both turn their cameras on at the same moment: each sees the other', async () => {
  const { alice, bob } = env;
  await bob.callByUsername(alice.username, 'audio');
  await alice.waitForIncomingCall();
  await alice.click(testIds.acceptAudioButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }
  await Promise.all([alice.click(testIds.cameraButton), bob.click(testIds.cameraButton)]);
  await Promise.all([
    expectVideoArriving(alice, "Bob's video at Alice's"),
    expectVideoArriving(bob, "Alice's video at Bob's"),
  ]);
  for (const client of [alice, bob]) {
    await client.byTestId(testIds.remoteVideo).waitFor({ state: 'visible' });
    await client.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');
  }
  await bob.click(testIds.hangupButton);
  await alice.waitForCallEnded('remote_hangup');
});

/** The media sections of the page's newest connection's remote description (one per track sent). */
function remoteSections(client: ParleyClient): Promise<string[]> {
  return client.page.evaluate(() => {
    const tracked = (window as unknown as { __trackedPeerConnections: RTCPeerConnection[] })
      .__trackedPeerConnections;
    const sdp = tracked[tracked.length - 1]?.remoteDescription?.sdp ?? '';
    return sdp.split('\r\n').filter((line) => line.startsWith('m='));
  });
}

test('a video call answered with sound while it rang connected: the callee then turns the camera on, on the video section the call has', async () => {
  const { alice, bob } = env;
  await alice.callByUsername(bob.username, 'video');
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptAudioButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }
  expect(await alice.readInboundMedia()).toMatchObject({ videoFramesDecoded: 0 });

  await bob.click(testIds.cameraButton);
  await bob.byTestId(testIds.localVideo).waitFor();
  await expectVideoArriving(alice, "Bob's video at Alice's");
  await alice.byTestId(testIds.remoteVideo).waitFor({ state: 'visible' });
  // Bob's video went on the section his answer had for it: no second video section.
  const sections = await remoteSections(alice);
  expect(sections.map((line) => line.split(' ')[0])).toEqual(['m=audio', 'm=video']);
  await alice.click(testIds.hangupButton);
  await bob.waitForCallEnded('remote_hangup');
});
