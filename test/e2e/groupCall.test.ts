import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { E2eEnvironment } from './harness/e2eEnvironment';
import { expectDecodingFrom } from './harness/groupCallMedia';
import type { ParleyClient } from './harness/parleyClient';
import { testIdSelector } from './harness/parleyUser';
import { pollUntil } from './harness/pollUntil';

/**
 * Group calls in the app, end to end: real Chromium pages of the web client, the real server with
 * its mediasoup SFU on loopback, and every frame SFrame-encrypted by its sender. Steps are waited
 * for with deadlines (media on two busy cores: up to a minute), never timed.
 */
jest.setTimeout(420_000);

let env: E2eEnvironment;

beforeAll(async () => {
  env = await E2eEnvironment.start({
    // Its own port range: sfuPath.test.ts uses 47500-47599, the server tests 47100-47699.
    sfu: { listenIp: '127.0.0.1', workers: 1, rtcMinPort: 47700, rtcMaxPort: 47799 },
  });
});

// Each test's people close with it: a call left running would take the next test's two cores.
afterEach(async () => {
  await env?.closeClients();
});

afterAll(async () => {
  await env?.close();
});

/** Whether this client's ringtone is playing. */
function ringing(client: ParleyClient): Promise<boolean> {
  return client.page.evaluate((ringtoneId) => {
    const ringtone = document.querySelector<HTMLAudioElement>(`[data-testid="${ringtoneId}"]`);
    return ringtone !== null && !ringtone.paused && ringtone.currentTime > 0;
  }, testIds.ringtone);
}

/** The names of the people in the call, as the tiles show them. */
function tileNames(client: ParleyClient): Promise<string[]> {
  return client.page.$$eval(
    `${testIdSelector(testIds.callTile)}[data-source="camera"] ${testIdSelector(testIds.callTileName)}`,
    (names) => names.map((name) => name.textContent ?? '').sort(),
  );
}

async function waitForTileNames(client: ParleyClient, names: string[]): Promise<void> {
  await pollUntil(
    () => tileNames(client),
    (shown) => JSON.stringify(shown) === JSON.stringify([...names].sort()),
    `${client.username}'s tiles to name ${names.join(', ')}`,
    { timeoutMs: 30_000 },
  );
}

/** Rung into a group call: the invitation screen names the inviter, rings, and Join joins. */
async function joinFromInvitation(client: ParleyClient, inviter: string): Promise<void> {
  await client.waitForScreen(testIds.screenGroupInvite);
  expect(await client.readText(testIds.groupInviteFrom)).toContain(inviter);
  await pollUntil(() => ringing(client), Boolean, `${client.username}'s ringtone to play`);
  await client.click(testIds.groupJoinButton);
  await client.waitForScreen(testIds.screenGroupCall);
  await pollUntil(
    () => ringing(client),
    (on) => !on,
    `${client.username}'s ringtone to stop`,
  );
}

test('three people in a group video call each see and hear the other two, decrypted end to end; when one leaves the other two go on', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  const carol = await env.registeredClient('carol', 'Carol King');
  await becomeContacts(alice, bob);
  await becomeContacts(alice, carol);
  await becomeContacts(bob, carol);

  // Alice picks Bob and Carol in her contacts and starts a group video call.
  await alice.waitForScreen(testIds.groupCallPanel);
  await alice.click(testIds.groupCallContact('bob'));
  await alice.click(testIds.groupCallContact('carol'));
  await alice.click(testIds.groupCallVideoButton);
  await alice.waitForScreen(testIds.screenGroupCall);

  await joinFromInvitation(bob, 'Alice Liddell');
  await joinFromInvitation(carol, 'Alice Liddell');
  const everyone = ['Alice Liddell', 'Bob Marley', 'Carol King'];
  for (const client of [alice, bob, carol]) await waitForTileNames(client, everyone);

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
  const erin = await env.registeredClient('erin', 'Erin Brockovich');
  const frank = await env.registeredClient('frank', 'Frank Ocean');
  await becomeContacts(erin, frank);
  await erin.waitForScreen(testIds.groupCallPanel);
  await erin.click(testIds.groupCallContact('frank'));
  await erin.click(testIds.groupCallVideoButton);
  await erin.waitForScreen(testIds.screenGroupCall);
  await joinFromInvitation(frank, 'Erin Brockovich');

  // Erin makes the call's link; Dave, no contact of either, opens it in his browser.
  await erin.click(testIds.inviteButton);
  await erin.click(testIds.createCallLinkButton);
  await erin.port.waitFor(testIdSelector(testIds.callLink), 'visible', 20_000);
  const link = await erin.byTestId(testIds.callLink).inputValue();
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
