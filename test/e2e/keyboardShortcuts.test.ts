import { testIds } from '../../renderer/ui/testIds';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';

// Real Chromium and a real call on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

/**
 * The in-window shortcuts of the web client: renderer/desktop/keyboardShortcuts.ts's defaults,
 * CommandOrControl+Alt+Shift+<key>, which is Control on this (non-Mac) machine. Keys are pressed
 * by physical code, as the app matches them.
 */
const shortcut = {
  toggleMute: 'Control+Alt+Shift+KeyM',
  hangUp: 'Control+Alt+Shift+KeyH',
  acceptCall: 'Control+Alt+Shift+KeyA',
  declineCall: 'Control+Alt+Shift+KeyD',
};

const env = fileEnvironment({}, { closeClientsAfterEach: true });

/** Caller places a video call and waits until the callee's incoming call screen shows it. */
async function ring(caller: ParleyClient, callee: ParleyClient): Promise<void> {
  await caller.callByUsername(callee.username, 'video');
  await caller.waitForRinging();
  expect(await callee.waitForIncomingCall()).toContain(caller.displayName);
}

test('during a call the mute shortcut mutes and unmutes, the peer sees it, and the hang-up shortcut ends the call on both sides', async () => {
  const alice = await env.registeredClient('keys-alice', 'Alice Keys');
  const bob = await env.registeredClient('keys-bob', 'Bob Keys');

  await ring(alice, bob);
  await bob.click(testIds.acceptVideoButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  await alice.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'false');
  await bob.waitForRemoteMuted(false);

  await alice.page.keyboard.press(shortcut.toggleMute);
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'true');
  await bob.waitForRemoteMuted(true);

  await alice.page.keyboard.press(shortcut.toggleMute);
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'false');
  await bob.waitForRemoteMuted(false);

  await alice.page.keyboard.press(shortcut.hangUp);
  await alice.waitForCallEnded('hangup');
  await bob.waitForCallEnded('remote_hangup');
});

test('on an incoming call the decline shortcut declines it, and both sides are told so', async () => {
  const alice = await env.registeredClient('keys-decline-alice', 'Alice Decline');
  const bob = await env.registeredClient('keys-decline-bob', 'Bob Decline');

  await ring(alice, bob);
  await bob.page.keyboard.press(shortcut.declineCall);

  await bob.waitForCallEnded('declined');
  await alice.waitForCallEnded('declined');
});

test('on an incoming video call the accept shortcut answers with audio only: the camera stays off', async () => {
  const alice = await env.registeredClient('keys-accept-alice', 'Alice Accept');
  const bob = await env.registeredClient('keys-accept-bob', 'Bob Accept');

  await ring(alice, bob);
  await bob.page.keyboard.press(shortcut.acceptCall);

  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  await bob.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  // A key pressed without looking must never switch the camera on (as main's global shortcut).
  await expect(bob.byTestId(testIds.localVideo).count()).resolves.toBe(0);
  // Only a click on it would: the camera button offers to switch to video.
  await expect(bob.byTestId(testIds.cameraButton).getAttribute('aria-label')).resolves.toBe(
    'Switch to video',
  );
});
