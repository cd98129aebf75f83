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

beforeAll(async () => {
  asking = await launchChromium({ askForMedia: true });
});

afterAll(async () => {
  await asking?.close();
});

function previewCameraLabel(client: ParleyClient): Promise<string> {
  return client.byTestId(testIds.cameraPreview).evaluate((element) => {
    const stream = (element as HTMLVideoElement).srcObject as MediaStream | null;
    return stream?.getVideoTracks()[0]?.label ?? '';
  });
}

test("Settings names the blocked camera and Chromium's steps; allowing it, then Try again, shows the live preview", async () => {
  // The user allowed the microphone and blocked the camera.
  const alice = await ParleyClient.open(asking, env.server.url, { granted: ['microphone'] });
  try {
    await alice.register('alice', 'Alice Liddell');
    await alice.click(testIds.navSettings);
    await alice.waitForScreen(testIds.screenSettings);

    const remedy = alice.withAttribute(testIds.mediaRemedy, 'data-input', 'camera');
    await remedy.waitFor();
    await expect(remedy.getAttribute('data-problem')).resolves.toBe('denied');
    const text = await remedy.innerText();
    expect(text).toContain('Your browser blocked Parley from using your camera.');
    expect(text).toContain('at the left of the address bar');
    expect(text).toContain('Set Camera to Allow.');
    // Instead of a black preview.
    await expect(alice.byTestId(testIds.cameraPreview).count()).resolves.toBe(0);

    // The user allows the camera in the browser, then chooses Try again.
    await alice.context.grantPermissions(['microphone', 'camera'], {
      origin: new URL(env.server.url).origin,
    });
    await alice.click(testIds.mediaRemedyTryAgain);
    await alice.byTestId(testIds.cameraPreview).waitFor();
    await pollUntil(
      () => previewCameraLabel(alice),
      (label) => label.startsWith('fake_device'),
      'the live camera preview',
    );
    await expect(alice.byTestId(testIds.mediaRemedy).count()).resolves.toBe(0);
  } finally {
    await alice.close();
  }
});

test("a callee whose microphone is blocked is told which input and Chromium's steps with the failed call; allowing it, then Try again, clears it", async () => {
  const alice = await env.registeredClient('alice2', 'Alice Two');
  // Bob's browser lets the page use his camera; he blocked the microphone.
  const bob = await ParleyClient.open(asking, env.server.url, { granted: ['camera'] });
  try {
    await bob.register('bob2', 'Bob Two');
    await becomeContacts(alice, bob);
    await alice.callContact(bob.username);
    await bob.waitForIncomingCall();
    await bob.click(testIds.acceptVideoButton);
    await bob.waitForCallEnded('permission_denied');

    const remedy = bob.withAttribute(testIds.mediaRemedy, 'data-input', 'microphone');
    await remedy.waitFor();
    await expect(remedy.getAttribute('data-problem')).resolves.toBe('denied');
    const text = await remedy.innerText();
    expect(text).toContain('Your browser blocked Parley from using your microphone.');
    expect(text).toContain('Set Microphone to Allow.');

    await bob.context.grantPermissions(['camera', 'microphone'], {
      origin: new URL(env.server.url).origin,
    });
    await bob.click(testIds.mediaRemedyTryAgain);
    await bob.byTestId(testIds.mediaRemedy).waitFor({ state: 'detached' });
  } finally {
    await bob.close();
  }
});
