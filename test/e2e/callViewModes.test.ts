import { testIds } from '../../renderer/ui/testIds';
import { answerAndConnect, aliceAndBobFile } from './harness/callSetup';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

// Real Chromium against the real server: steps are waited for, never timed.
jest.setTimeout(120_000);

const env = aliceAndBobFile();

/** What of the call is outside the page: the picture-in-picture video and the full screen. */
function viewModes(client: ParleyClient) {
  return client.page.evaluate(
    (ids) => {
      const pip = document.pictureInPictureElement as HTMLVideoElement | null;
      return {
        pictureInPicture: pip?.getAttribute('data-testid') ?? null,
        pictureWidth: pip?.videoWidth ?? 0,
        fullScreen: document.fullscreenElement?.getAttribute('data-testid') ?? null,
        pipPressed: document
          .querySelector(`[data-testid="${ids.pip}"]`)
          ?.getAttribute('aria-pressed'),
      };
    },
    { pip: testIds.pictureInPictureButton },
  );
}

test('the remote video opens in picture-in-picture and full screen from the call, and both close when the call ends', async () => {
  const { alice, bob } = env;
  await alice.callContact(bob.username);
  await answerAndConnect(alice, bob);
  await alice.waitForInboundMedia();

  await alice.click(testIds.pictureInPictureButton);
  const inPicture = await pollUntil(
    () => viewModes(alice),
    (modes) => modes.pictureInPicture !== null,
    'the picture-in-picture window',
  );
  expect(inPicture).toMatchObject({ pictureInPicture: testIds.remoteVideo, pipPressed: 'true' });
  expect(inPicture.pictureWidth).toBeGreaterThan(0);
  await alice.click(testIds.pictureInPictureButton);
  await pollUntil(
    () => viewModes(alice),
    (modes) => modes.pictureInPicture === null && modes.pipPressed === 'false',
    'the picture-in-picture window to close',
  );

  await alice.click(testIds.fullScreenButton);
  await pollUntil(
    () => viewModes(alice),
    (modes) => modes.fullScreen === testIds.screenInCall,
    'the call in full screen',
  );
  await alice.click(testIds.pictureInPictureButton);
  await pollUntil(
    () => viewModes(alice),
    (modes) => modes.pictureInPicture !== null,
    'the picture-in-picture window again',
  );

  await bob.click(testIds.hangupButton);
  await alice.waitForCallEnded('remote_hangup');
  await pollUntil(
    () => viewModes(alice),
    (modes) => modes.pictureInPicture === null && modes.fullScreen === null,
    'nothing of the call left on screen',
  );
});
