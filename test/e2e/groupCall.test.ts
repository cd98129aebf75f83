import { testIds } from '../../renderer/ui/testIds';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { expectDecodingFrom } from './harness/groupCallMedia';
import {
  erinAndFrankInAGroupCall,
  makeCallLink,
  threeInAGroupCall,
  waitForTileNames,
} from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { testIdSelector } from './harness/parleyUser';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * Group calls in the app, end to end: real Chromium pages of the web client, the real server with
 * its mediasoup SFU on loopback, and every frame SFrame-encrypted by its sender. Steps are waited
 * for with deadlines (media on two busy cores: up to a minute), never timed.
 */
jest.setTimeout(420_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('groupCall') });

test('three people in a group video call each see and hear the other two, decrypted end to end; when one leaves the other two go on', async () => {
  // Alice starts a group video call with Bob and Carol, who join from their invitations.
  const { alice, bob, carol } = await threeInAGroupCall(env);

  for (const client of [alice, bob, carol]) {
    await expectDecodingFrom(client, 2, `${client.username} in the call of three`);
  }

  // Bob mutes from the call screen: the others' tiles of him say so, until he unmutes.
  const bobMutedAt = (client: ParleyClient) =>
    client.page
      .locator(testIdSelector(testIds.callTile), { hasText: 'Bob Marley' })
      .locator(testIdSelector(testIds.callTileMuted));
  await bob.click(testIds.muteButton);
  await bob.waitForAttribute(testIds.muteButton, 'aria-pressed', 'true');
  for (const client of [alice, carol])
    await bobMutedAt(client).waitFor({ state: 'attached', timeout: 20_000 });
  await bob.click(testIds.muteButton);
  await bob.waitForAttribute(testIds.muteButton, 'aria-pressed', 'false');
  for (const client of [alice, carol])
    await bobMutedAt(client).waitFor({ state: 'detached', timeout: 20_000 });

  // Carol leaves: she is back home, and the two others keep decoding each other after the
  // senders moved to fresh keys.
  await carol.click(testIds.leaveCallButton);
  await carol.waitForScreen(testIds.screenContacts);
  for (const client of [alice, bob]) {
    await waitForTileNames(client, ['Alice Liddell', 'Bob Marley']);
  }
  for (const client of [alice, bob]) {
    await expectDecodingFrom(client, 1, `${client.username} after Carol left`);
  }
});

test('a call link shows who made the call and how many are in, and joins a fourth person; once revoked it is refused and the screen says so', async () => {
  const { erin, frank } = await erinAndFrankInAGroupCall(env);

  // Erin makes the call's link; Dave, no contact of either, opens it in his browser.
  await erin.click(testIds.inviteButton);
  const link = await makeCallLink(erin, { askFirst: false });
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/call\/[\w-]+$/);
  const dave = await env.registeredClient('dave', 'Dave Grohl');
  await dave.page.goto(link);
  await dave.waitForScreen(testIds.screenCallLinkPreview);
  expect(await dave.readText(testIds.callLinkCreator)).toContain('Erin Brockovich');
  await dave.waitForAttribute(testIds.callLinkMembers, 'data-count', '2');
  await dave.click(testIds.callLinkJoinButton);
  await dave.waitForScreen(testIds.screenGroupCall);
  const three = ['Dave Grohl', 'Erin Brockovich', 'Frank Ocean'];
  for (const client of [erin, frank, dave]) await waitForTileNames(client, three);
  await expectDecodingFrom(dave, 2, 'dave, joined through the link');
  await expectDecodingFrom(erin, 2, 'erin, with dave in');

  // Erin revokes the link: Gina, opening it afterwards, is told it was turned off.
  await erin.click(testIds.revokeCallLinkButton);
  await erin.port.waitFor(testIdSelector(testIds.createCallLinkButton), 'visible', 20_000);
  const gina = await env.registeredClient('gina', 'Gina Torres');
  await gina.page.goto(link);
  await gina.waitForScreen(testIds.screenContacts);
  await gina.port.waitFor(testIdSelector(testIds.groupCallError), 'visible', 20_000);
  expect(await gina.readText(testIds.groupCallError)).toContain('turned off');
  await expect(gina.byTestId(testIds.screenCallLinkPreview).count()).resolves.toBe(0);
});
