import { testIds } from '../../renderer/ui/testIds';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { threeInAGroupCall, waitForTileNames } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { testIdSelector } from './harness/parleyUser';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * The in-window shortcuts (renderer/desktop/keyboardShortcuts.ts's defaults, Control on this
 * machine) in a group call: mute toggles the group call's microphone, hang up leaves it. Real
 * Chromium pages, the real server with its SFU on loopback.
 */
jest.setTimeout(300_000);

const shortcut = {
  toggleMute: 'Control+Alt+Shift+KeyM',
  hangUp: 'Control+Alt+Shift+KeyH',
};

const env = groupCallEnvironment({ ports: sfuPortsOf('groupCallShortcuts') });

/** Whether `viewer` shows `name`'s tile with its microphone off. */
function tileMuted(viewer: ParleyClient, name: string): Promise<boolean> {
  return viewer.page.$$eval(
    `${testIdSelector(testIds.callTile)}[data-source="camera"]`,
    (tiles, ids) =>
      tiles.some(
        (tile) =>
          tile.querySelector(`[data-testid="${ids.name}"]`)?.textContent === ids.shown &&
          tile.querySelector(`[data-testid="${ids.muted}"]`) !== null,
      ),
    { name: testIds.callTileName, muted: testIds.callTileMuted, shown: name },
  );
}

async function waitForTileMuted(viewer: ParleyClient, name: string, muted: boolean) {
  await pollUntil(
    () => tileMuted(viewer, name),
    (shown) => shown === muted,
    `${viewer.username} to show ${name} ${muted ? 'muted' : 'unmuted'}`,
  );
}

test('in a group call the mute shortcut mutes and unmutes our microphone for everyone, and hang up leaves', async () => {
  const { alice, bob, carol } = await threeInAGroupCall(env, 'audio');
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'false');

  await alice.page.keyboard.press(shortcut.toggleMute);
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'true');
  for (const viewer of [bob, carol]) await waitForTileMuted(viewer, 'Alice Liddell', true);

  await alice.page.keyboard.press(shortcut.toggleMute);
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'false');
  for (const viewer of [bob, carol]) await waitForTileMuted(viewer, 'Alice Liddell', false);

  // Hang up leaves: the call goes on for the other two.
  await alice.page.keyboard.press(shortcut.hangUp);
  await alice.waitForScreen(testIds.screenContacts);
  for (const client of [bob, carol]) {
    await waitForTileNames(client, ['Bob Marley', 'Carol King']);
    await client.waitForScreen(testIds.screenGroupCall);
  }
});
