import { testIds } from '../../renderer/ui/testIds';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import { readSentAudio, readSentVideo } from './harness/peerConnectionTracker';
import { remoteVideoSize } from './harness/mediaFlow';
import { pollUntil } from './harness/pollUntil';

jest.setTimeout(180_000);

const env = fileEnvironment();

/** The label of the microphone in the call's local stream (the local preview's source). */
function localMicrophoneLabel(client: ParleyClient): Promise<string | undefined> {
  return client.byTestId(testIds.localVideo).evaluate((element) => {
    const stream = (element as HTMLVideoElement).srcObject as MediaStream | null;
    return stream?.getAudioTracks()[0]?.label;
  });
}

/** Waits until the peer receives more audio packets than now (the sound keeps coming). */
async function waitForMoreAudio(client: ParleyClient, what: string): Promise<void> {
  const before = await client.readInboundMedia();
  await pollUntil(
    () => client.readInboundMedia(),
    (media) => media.audioPacketsReceived > before.audioPacketsReceived + 50,
    what,
  );
}

/** Waits until the peer decodes more frames than now (the picture keeps coming). */
async function waitForMoreFrames(client: ParleyClient, what: string): Promise<void> {
  const before = await client.readInboundMedia();
  await pollUntil(
    () => client.readInboundMedia(),
    (media) => media.videoFramesDecoded > before.videoFramesDecoded + 30,
    what,
  );
}

test('sharing the screen in a call sends the screen and its audio to the peer, and stopping brings the camera and microphone back', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  await alice.addContact('bob');
  // The callee has not added the caller, so the caller sees them offline (presence is shared
  // only with people one has added); they are signed in since their registration finished.
  await alice.waitForPresence('bob', 'offline');
  await alice.callContact('bob');
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptVideoButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  await bob.waitForInboundMedia();

  const camera = await readSentVideo(alice.page);
  expect(camera?.label).toBe('fake_device_0');
  const microphone = await readSentAudio(alice.page);
  expect(microphone?.label).not.toBe('Fake Audio Input 2');
  await pollUntil(
    () => remoteVideoSize(bob),
    (size) => size.width > 0,
    "Bob's remote video to show Alice's camera",
  );
  await expect(alice.byTestId(testIds.stopShareButton).count()).resolves.toBe(0);

  await expect(alice.byTestId(testIds.presentingBanner).count()).resolves.toBe(0);
  await alice.click(testIds.screenShareButton);
  await alice.byTestId(testIds.stopShareButton).waitFor({ state: 'visible' });
  // Alice sees that she is presenting, with a labelled way to stop.
  await expect(alice.byTestId(testIds.presentingBanner).innerText()).resolves.toContain(
    'You are presenting your screen',
  );
  await expect(alice.byTestId(testIds.presentingStopButton).innerText()).resolves.toBe(
    'Stop sharing',
  );
  const screen = await pollUntil(
    () => readSentVideo(alice.page),
    (sent) => sent !== null && sent.label.startsWith('screen:'),
    'Alice to send her screen',
  );
  expect(screen!.width).toBeGreaterThan(0);
  await waitForMoreFrames(bob, 'Bob to keep decoding the shared screen');
  // The shared screen is Alice's video now: Bob must not see her as "camera off".
  await expect(bob.byTestId(testIds.remoteCameraOff).count()).resolves.toBe(0);
  // Headless Chromium's fake screen comes with audio: it goes out mixed with the microphone on
  // the same sender, so the sender carries the mix, not the microphone track.
  const mix = await readSentAudio(alice.page);
  expect(mix?.id).not.toBe(microphone!.id);
  expect(mix?.label).not.toBe(microphone!.label);
  await waitForMoreAudio(bob, 'Bob to keep receiving audio during the share');

  // Mute silences only the microphone: the mix keeps flowing and Bob sees Alice as muted.
  await alice.click(testIds.muteButton);
  await bob.byTestId(testIds.remoteMuted).waitFor({ state: 'visible' });
  await expect(readSentAudio(alice.page)).resolves.toEqual(mix);
  await waitForMoreAudio(bob, 'Bob to keep receiving the screen audio while Alice is muted');
  await alice.click(testIds.muteButton);
  await bob.byTestId(testIds.remoteMuted).waitFor({ state: 'detached' });

  // Switching the microphone during the share re-mixes with the new one on the same sender.
  await alice.click(testIds.inCallDevicesButton);
  await alice.byTestId(testIds.micSelect).selectOption({ label: 'Fake Audio Input 2' });
  await pollUntil(
    () => localMicrophoneLabel(alice),
    (label) => label === 'Fake Audio Input 2',
    'the call to take the second microphone',
  );
  await expect(readSentAudio(alice.page)).resolves.toEqual(mix);
  await waitForMoreAudio(bob, 'Bob to keep receiving audio after the microphone switch');

  // The banner's button stops the share, like the one in the control bar.
  await alice.click(testIds.presentingStopButton);
  await alice.byTestId(testIds.stopShareButton).waitFor({ state: 'detached' });
  await alice.byTestId(testIds.presentingBanner).waitFor({ state: 'detached' });
  await pollUntil(
    () => readSentVideo(alice.page),
    (sent) => sent?.label === 'fake_device_0',
    'Alice to send her camera again',
  );
  // The plain microphone again: the one chosen during the share.
  const secondMicrophone = await readSentAudio(alice.page);
  expect(secondMicrophone?.label).toBe('Fake Audio Input 2');
  expect(secondMicrophone?.enabled).toBe(true);
  await waitForMoreFrames(bob, 'Bob to keep decoding the camera after the share');
  await waitForMoreAudio(bob, 'Bob to keep receiving the microphone after the share');

  // The browser's own "stop sharing" (the track ends) restores the camera too.
  await alice.click(testIds.screenShareButton);
  await pollUntil(
    () => readSentVideo(alice.page),
    (sent) => sent !== null && sent.label.startsWith('screen:'),
    'Alice to share again',
  );
  await alice.page.evaluate(() => {
    const tracked = (window as unknown as { __trackedPeerConnections: RTCPeerConnection[] })
      .__trackedPeerConnections;
    const sender = tracked[tracked.length - 1]!.getSenders().find((s) => s.track?.kind === 'video');
    sender!.track!.stop();
    sender!.track!.dispatchEvent(new Event('ended'));
  });
  await alice.byTestId(testIds.stopShareButton).waitFor({ state: 'detached' });
  await pollUntil(
    () => readSentVideo(alice.page),
    (sent) => sent?.label === 'fake_device_0',
    'the camera to come back after the browser stopped the share',
  );
  await pollUntil(
    () => readSentAudio(alice.page),
    (sent) => sent?.id === secondMicrophone!.id,
    'the microphone alone to be sent after the browser stopped the share',
  );
  await waitForMoreFrames(bob, 'Bob to keep decoding after the browser stopped the share');
});
