import { testIds } from '../../../renderer/ui/testIds';
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
