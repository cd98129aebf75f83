import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { expectDecodingFrom } from './harness/groupCallMedia';
import {
  erinAndFrankInAGroupCall,
  makeCallLink,
  startGroupCall,
  waitForRingtone,
  waitForTileNames,
} from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { testIdSelector } from './harness/parleyUser';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * A call link that asks first, in the app through the real server and SFU: whoever opens it
 * knocks and waits; the call's creator sees each knock over the call and lets one in, refuses
 * another. Media waits have deadlines for two busy cores.
 */
jest.setTimeout(420_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('groupCallLinkApproval') });

/** Opens the link, asks to join from its preview, and waits for the creator's answer. */
async function knock(client: ParleyClient, link: string, creator: string): Promise<void> {
  await client.page.goto(link);
  await client.waitForScreen(testIds.screenCallLinkPreview);
  expect(await client.readText(testIds.screenCallLinkPreview)).toContain(
    'The person who made the call lets you in',
  );
  await client.click(testIds.callLinkJoinButton);
  await client.port.waitFor(testIdSelector(testIds.callLinkWaiting), 'visible', 20_000);
  expect(await client.readText(testIds.callLinkWaiting)).toContain(`Waiting for ${creator}`);
}

function knockRowOf(client: ParleyClient, username: string) {
  return client.page.locator(`${testIdSelector(testIds.knockRow)}[data-username="${username}"]`);
}

test('the creator makes a link that asks first, lets one knocker in, who decodes the others, and refuses another, who is told so', async () => {
  const { erin, frank } = await erinAndFrankInAGroupCall(env);

  // Erin makes the call's link with approval on.
  await erin.click(testIds.inviteButton);
  const link = await makeCallLink(erin, { askFirst: true });
  expect(await erin.readText(testIds.invitePanel)).toContain('you let each one in or not');
  // The panel closed: a knock shows over the call all the same.
  await erin.click(testIds.inviteButton);

  // Dave knocks and waits, out of the call; only Erin, who made it, is asked.
  const dave = await env.registeredClient('dave', 'Dave Grohl');
  await knock(dave, link, 'Erin Brockovich');
  await knockRowOf(erin, 'dave').waitFor({ state: 'visible', timeout: 20_000 });
  expect(await knockRowOf(erin, 'dave').innerText()).toContain('Dave Grohl asks to join');
  await expect(frank.byTestId(testIds.knockRow).count()).resolves.toBe(0);
  await expect(dave.byTestId(testIds.screenGroupCall).count()).resolves.toBe(0);

  // Erin lets him in: he is in the call without a ring, and decodes the two others.
  await knockRowOf(erin, 'dave').getByTestId(testIds.knockAdmitButton).click();
  await knockRowOf(erin, 'dave').waitFor({ state: 'detached' });
  await dave.waitForScreen(testIds.screenGroupCall);
  const three = ['Dave Grohl', 'Erin Brockovich', 'Frank Ocean'];
  for (const client of [erin, frank, dave]) await waitForTileNames(client, three);
  await expectDecodingFrom(dave, 2, 'dave, let in through the link');
  await expectDecodingFrom(frank, 2, 'frank, with dave in');

  // Gina knocks too; Erin refuses: Gina is told, and the call stays the three of them.
  const gina = await env.registeredClient('gina', 'Gina Torres');
  await knock(gina, link, 'Erin Brockovich');
  await knockRowOf(erin, 'gina').waitFor({ state: 'visible', timeout: 20_000 });
  await knockRowOf(erin, 'gina').getByTestId(testIds.knockRefuseButton).click();
  await knockRowOf(erin, 'gina').waitFor({ state: 'detached' });
  await gina.port.waitFor(testIdSelector(testIds.groupCallError), 'visible', 20_000);
  expect(await gina.readText(testIds.groupCallError)).toContain('did not let you in');
  await gina.port.waitFor(testIdSelector(testIds.callLinkWaiting), 'detached', 20_000);
  await expect(gina.byTestId(testIds.screenGroupCall).count()).resolves.toBe(0);
  for (const client of [erin, frank, dave]) await waitForTileNames(client, three);
});

test('a revoked link turns its knockers away; a knock given up on and left unanswered by an ended call lets no other call in unasked', async () => {
  const hana = await env.registeredClient('hana', 'Hana Takahashi');
  const ivan = await env.registeredClient('ivan', 'Ivan Petrov');
  const jules = await env.registeredClient('jules', 'Jules Verne');
  const kim = await env.registeredClient('kim', 'Kim Gordon');
  await becomeContacts(hana, ivan);
  await becomeContacts(kim, jules);
  await startGroupCall(hana, [ivan]);
  await hana.click(testIds.inviteButton);

  // Jules knocks; Hana revokes the link instead of answering: Jules is told, Hana's knock goes.
  const first = await makeCallLink(hana, { askFirst: true });
  await knock(jules, first, 'Hana Takahashi');
  await knockRowOf(hana, 'jules').waitFor({ state: 'visible', timeout: 20_000 });
  await hana.click(testIds.revokeCallLinkButton);
  await hana.port.waitFor(testIdSelector(testIds.createCallLinkButton), 'visible', 20_000);
  await knockRowOf(hana, 'jules').waitFor({ state: 'detached', timeout: 20_000 });
  await jules.port.waitFor(testIdSelector(testIds.groupCallError), 'visible', 20_000);
  expect(await jules.readText(testIds.groupCallError)).toContain('did not let you in');
  await jules.port.waitFor(testIdSelector(testIds.callLinkWaiting), 'detached', 20_000);

  // Jules knocks through a new link, then gives up waiting before Hana answers; Hana leaves,
  // ending the call (the server's no for that knock now concerns no call Jules waits for).
  await knock(jules, await makeCallLink(hana, { askFirst: true }), 'Hana Takahashi');
  await knockRowOf(hana, 'jules').waitFor({ state: 'visible', timeout: 20_000 });
  await jules.click(testIds.callLinkStopWaitingButton);
  await jules.port.waitFor(testIdSelector(testIds.callLinkWaiting), 'detached', 20_000);
  await hana.click(testIds.leaveCallButton);
  await hana.waitForScreen(testIds.screenContacts);

  // Kim rings Jules into another call: it rings, and Jules decides; nothing joins by itself.
  await startGroupCall(kim, [jules]);
  await jules.waitForScreen(testIds.screenGroupInvite);
  expect(await jules.readText(testIds.groupInviteFrom)).toContain('Kim Gordon');
  await waitForRingtone(jules, true);
  await expect(jules.byTestId(testIds.screenGroupCall).count()).resolves.toBe(0);

  // Jules declines Kim: no call at all, and no waiting left.
  await jules.click(testIds.groupDeclineButton);
  await jules.waitForScreen(testIds.screenContacts);
  await expect(jules.byTestId(testIds.callLinkWaiting).count()).resolves.toBe(0);
  await expect(jules.byTestId(testIds.screenGroupCall).count()).resolves.toBe(0);
});
