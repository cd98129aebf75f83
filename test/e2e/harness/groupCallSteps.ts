import { testIds } from '../../../renderer/ui/testIds';
import { becomeContacts } from './callSetup';
import type { GroupCallEnvironment } from './groupCallEnvironment';
import type { ParleyClient } from './parleyClient';
import { testIdSelector } from './parleyUser';
import { pollUntil } from './pollUntil';

/** A user's steps in a group call, through the app's screens, shared by the group e2e tests. */

/** Whether this client's ringtone is playing. */
export function ringing(client: ParleyClient): Promise<boolean> {
  return client.page.evaluate((ringtoneId) => {
    const ringtone = document.querySelector<HTMLAudioElement>(`[data-testid="${ringtoneId}"]`);
    return ringtone !== null && !ringtone.paused && ringtone.currentTime > 0;
  }, testIds.ringtone);
}

export async function waitForRingtone(client: ParleyClient, on: boolean): Promise<void> {
  await pollUntil(
    () => ringing(client),
    (playing) => playing === on,
    `${client.username}'s ringtone to ${on ? 'play' : 'stop'}`,
  );
}

/** The names of the people in the call, as the tiles show them. */
export function tileNames(client: ParleyClient): Promise<string[]> {
  return client.page.$$eval(
    `${testIdSelector(testIds.callTile)}[data-source="camera"] ${testIdSelector(testIds.callTileName)}`,
    (names) => names.map((name) => name.textContent ?? '').sort(),
  );
}

export async function waitForTileNames(client: ParleyClient, names: string[]): Promise<void> {
  await pollUntil(
    () => tileNames(client),
    (shown) => JSON.stringify(shown) === JSON.stringify([...names].sort()),
    `${client.username}'s tiles to name ${names.join(', ')}`,
    { timeoutMs: 30_000 },
  );
}

/** `creator` picks `invitees` in the contacts panel and starts a group call (video unless said). */
export async function startGroupCall(
  creator: ParleyClient,
  invitees: readonly ParleyClient[],
  media: 'audio' | 'video' = 'video',
): Promise<void> {
  await creator.waitForScreen(testIds.groupCallPanel);
  for (const invitee of invitees) await creator.click(testIds.groupCallContact(invitee.username));
  await creator.click(
    media === 'video' ? testIds.groupCallVideoButton : testIds.groupCallAudioButton,
  );
  await creator.waitForScreen(testIds.screenGroupCall);
}

/** Rung into a group call: the invitation screen names the inviter, rings, and Join joins. */
export async function joinFromInvitation(client: ParleyClient, inviter: string): Promise<void> {
  await client.waitForScreen(testIds.screenGroupInvite);
  expect(await client.readText(testIds.groupInviteFrom)).toContain(inviter);
  await waitForRingtone(client, true);
  await client.click(testIds.groupJoinButton);
  await client.waitForScreen(testIds.screenGroupCall);
  await waitForRingtone(client, false);
}

/**
 * `alice` (Alice Liddell) and `bob` (Bob Marley) become contacts, and she starts a group video call
 * with him that he joins from the invitation: resolves once each shows both tiles.
 */
export async function twoInAGroupCall(alice: ParleyClient, bob: ParleyClient): Promise<void> {
  await becomeContacts(alice, bob);
  await startGroupCall(alice, [bob]);
  await joinFromInvitation(bob, 'Alice Liddell');
  for (const client of [alice, bob]) {
    await waitForTileNames(client, ['Alice Liddell', 'Bob Marley']);
  }
}

/**
 * Erin (Erin Brockovich) and Frank (Frank Ocean), registered and contacts, in a group video call
 * Erin started and Frank joined from his invitation: the call the call-link tests make links in.
 */
export async function erinAndFrankInAGroupCall(
  env: Pick<GroupCallEnvironment, 'registeredClient'>,
): Promise<{ erin: ParleyClient; frank: ParleyClient }> {
  const erin = await env.registeredClient('erin', 'Erin Brockovich');
  const frank = await env.registeredClient('frank', 'Frank Ocean');
  await becomeContacts(erin, frank);
  await startGroupCall(erin, [frank]);
  await joinFromInvitation(frank, 'Erin Brockovich');
  return { erin, frank };
}

/**
 * In the invite panel `creator` has open, makes the call's link (one that asks first when
 * `askFirst`): resolves with the link once the panel shows it.
 */
export async function makeCallLink(
  creator: ParleyClient,
  { askFirst }: { askFirst: boolean },
): Promise<string> {
  if (askFirst) await creator.byTestId(testIds.callLinkApprovalToggle).check();
  await creator.click(testIds.createCallLinkButton);
  await creator.port.waitFor(testIdSelector(testIds.callLink), 'visible', 20_000);
  return creator.byTestId(testIds.callLink).inputValue();
}

/** Alice, Bob and Carol registered, Alice a contact of both. */
async function aliceWithBobAndCarol(
  env: Pick<GroupCallEnvironment, 'registeredClient'>,
): Promise<{ alice: ParleyClient; bob: ParleyClient; carol: ParleyClient }> {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  const carol = await env.registeredClient('carol', 'Carol King');
  await becomeContacts(alice, bob);
  await becomeContacts(alice, carol);
  return { alice, bob, carol };
}

/**
 * Alice, Bob and Carol, each in the others' contacts, in a group call (video unless said) Alice
 * started and the other two joined from their invitations: resolves once each shows all three
 * tiles.
 */
export async function threeInAGroupCall(
  env: Pick<GroupCallEnvironment, 'registeredClient'>,
  media: 'audio' | 'video' = 'video',
): Promise<{ alice: ParleyClient; bob: ParleyClient; carol: ParleyClient }> {
  const { alice, bob, carol } = await aliceWithBobAndCarol(env);
  await becomeContacts(bob, carol);
  await startGroupCall(alice, [bob, carol], media);
  await joinFromInvitation(bob, 'Alice Liddell');
  await joinFromInvitation(carol, 'Alice Liddell');
  const everyone = ['Alice Liddell', 'Bob Marley', 'Carol King'];
  for (const client of [alice, bob, carol]) await waitForTileNames(client, everyone);
  return { alice, bob, carol };
}

/**
 * A short group voice call for the call log: Alice (a contact of both) rings Bob and Carol, Carol
 * declines, Bob joins and leaves, and the call ends with Alice alone, back on her contacts.
 */
export async function shortGroupVoiceCall(
  env: Pick<GroupCallEnvironment, 'registeredClient'>,
): Promise<{ alice: ParleyClient; bob: ParleyClient; carol: ParleyClient }> {
  const { alice, bob, carol } = await aliceWithBobAndCarol(env);
  await startGroupCall(alice, [bob, carol], 'audio');
  await carol.waitForScreen(testIds.screenGroupInvite);
  await carol.click(testIds.groupDeclineButton);
  await bob.waitForScreen(testIds.screenGroupInvite);
  await bob.click(testIds.groupJoinButton);
  await bob.waitForScreen(testIds.screenGroupCall);
  await bob.click(testIds.leaveCallButton);
  await alice.waitForScreen(testIds.screenContacts);
  return { alice, bob, carol };
}
