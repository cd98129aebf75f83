import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { decodedOf, expectVideoOf, openConnections } from './harness/groupCallMedia';
import { joinFromInvitation } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { testIdSelector } from './harness/parleyUser';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * A camera turned on in a grown call still carried by its 1:1 connection, in the app: real
 * Chromium pages of the web client, the real server with its SFU (which carries the call only
 * once a third joins), every frame SFrame-encrypted by its sender. Waits have deadlines for media on two
 * busy cores.
 */
jest.setTimeout(300_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('growCallCamera') });

/** The size of the picture our own camera tile shows (0 wide: none). */
function ownPictureWidth(client: ParleyClient): Promise<number> {
  return client.page.evaluate((tile) => {
    const video = document.querySelector<HTMLVideoElement>(
      `[data-testid="${tile}"][data-self="true"][data-source="camera"] video`,
    );
    return video?.videoWidth ?? 0;
  }, testIds.callTile);
}

test('a 1:1 voice call grows, the invitee declines, and one turns the camera on: the peer decodes the video over the 1:1 connection, encrypted end to end, and the self view shows it; once the SFU carries the call, her camera goes through it', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  const carol = await env.registeredClient('carol', 'Carol King');
  await becomeContacts(alice, bob);
  await becomeContacts(alice, carol);

  // A 1:1 voice call, peer to peer: Alice called (slot 0), Bob answered with sound (slot 1).
  await alice.callByUsername(bob.username, 'audio');
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptAudioButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }

  // Alice adds Carol, who declines: the call stays a grown call carried peer to peer.
  await alice.click(testIds.addPeopleButton);
  await alice.click(testIds.inviteContact('carol'));
  await alice.click(testIds.addPeopleSendButton);
  for (const client of [alice, bob]) await client.waitForScreen(testIds.screenGroupCall);
  await carol.waitForScreen(testIds.screenGroupInvite);
  await carol.click(testIds.groupDeclineButton);
  await alice.click(testIds.inviteButton);
  await alice.port.waitFor(
    `${testIdSelector(testIds.invitationRow)}[data-username="carol"][data-state="declined"]`,
    'attached',
    20_000,
  );
  await pollUntil(
    () => decodedOf(bob, 0),
    (seen) => seen?.tileState === 'live' && seen.audioSamples > 0,
    'Bob hearing Alice over the 1:1 connection',
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  expect(await decodedOf(bob, 0)).toMatchObject({ videoFrames: 0, videoWidth: 0 });

  // Alice switches to video from the group call screen's control bar.
  await expect(alice.byTestId(testIds.cameraButton).getAttribute('aria-label')).resolves.toBe(
    'Switch to video',
  );
  await alice.click(testIds.cameraButton);
  await alice.waitForAttribute(testIds.cameraButton, 'aria-label', 'Turn camera off');

  // Bob decodes her picture (it has a resolution), and more of it: it keeps coming.
  await expectVideoOf(bob, 0, "Bob seeing Alice's camera");
  // Through the 1:1 connection, the only one either page has: the SFU never carried this call.
  for (const client of [alice, bob]) expect(await openConnections(client)).toBe(1);
  // Alice's own tile shows her camera.
  await pollUntil(
    () => ownPictureWidth(alice),
    (width) => width > 0,
    "Alice's self view showing her camera",
    { timeoutMs: 30_000 },
  );

  // Alice rings Carol again, who joins: the SFU carries the call, and her camera with it.
  await alice.click(testIds.inviteContact('carol'));
  await alice.click(testIds.inviteSendButton);
  await joinFromInvitation(carol, 'Alice Liddell');
  for (const client of [alice, bob]) {
    await pollUntil(
      () => openConnections(client),
      (open) => open === 2,
      `${client.username}'s 1:1 connection to close once the SFU carries the call`,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  }
  for (const client of [bob, carol]) {
    await expectVideoOf(client, 0, `${client.username} seeing Alice's camera through the SFU`);
  }
  await expect(alice.byTestId(testIds.cameraButton).getAttribute('aria-label')).resolves.toBe(
    'Turn camera off',
  );
});
