import { testIds } from '../../renderer/ui/testIds';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { decodedFromOthers, expectDecodingFrom } from './harness/groupCallMedia';
import { threeInAGroupCall, waitForTileNames } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { testIdSelector } from './harness/parleyUser';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * A page reloaded during a group call comes back into it by itself (docs/protocol.md "Leaving
 * and the end", `room.rejoin`), as WhatsApp and Signal do: real Chromium pages of the web client,
 * the real server with its mediasoup SFU on loopback, every frame SFrame-encrypted by its sender.
 * Steps are waited for with deadlines (media on two busy cores: up to a minute), never timed.
 */
jest.setTimeout(420_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('groupCallRejoin') });

test('Carol reloads her page in a call of three: she is back in the call without a click, all three see and hear the other two again, decrypted end to end, and muted before a reload she is muted after it', async () => {
  // Alice starts a group video call with Bob and Carol, who join from their invitations.
  const { alice, bob, carol } = await threeInAGroupCall(env);
  for (const client of [alice, bob, carol]) {
    await expectDecodingFrom(client, 2, `${client.username} before the reload`);
  }
  const carolSlotBefore = (await decodedFromOthers(alice)).map((s) => s.slot);

  await carol.page.reload();

  // No click: the group call screen comes back by itself, with the two others in it.
  await carol.waitForScreen(testIds.screenGroupCall);
  const everyone = ['Alice Liddell', 'Bob Marley', 'Carol King'];
  for (const client of [alice, bob, carol]) await waitForTileNames(client, everyone);
  for (const client of [alice, bob, carol]) {
    await expectDecodingFrom(client, 2, `${client.username} after Carol's reload`);
  }
  // Carol is in a new slot: her old one (and its keys) left the call.
  const slotsAtAlice = (await decodedFromOthers(alice)).map((s) => s.slot);
  expect(slotsAtAlice).toHaveLength(2);
  expect(slotsAtAlice).not.toEqual(carolSlotBefore);
  await expect(carol.byTestId(testIds.groupCallError).count()).resolves.toBe(0);

  // Carol mutes, and reloads again: she comes back muted, and the others' tile of her (in her
  // newest slot) says so.
  await carol.click(testIds.muteButton);
  await carol.waitForAttribute(testIds.muteButton, 'aria-pressed', 'true');
  const slotBeforeSecondReload = await carolSlotAt(alice);
  await carol.page.reload();
  await carol.waitForScreen(testIds.screenGroupCall);
  await carol.waitForAttribute(testIds.muteButton, 'aria-pressed', 'true');
  for (const client of [alice, bob]) {
    await pollUntil(
      async () => ({
        slot: await carolSlotAt(client),
        muted: await carolTile(client).locator(testIdSelector(testIds.callTileMuted)).count(),
      }),
      ({ slot, muted }) => slot !== null && slot !== slotBeforeSecondReload && muted === 1,
      `${client.username}'s tile of Carol, in a new slot, to show her muted`,
      { timeoutMs: 30_000 },
    );
  }
});

function carolTile(client: ParleyClient) {
  return client.page.locator(`${testIdSelector(testIds.callTile)}[data-source="camera"]`, {
    hasText: 'Carol King',
  });
}

async function carolSlotAt(client: ParleyClient): Promise<string | null> {
  const tiles = carolTile(client);
  return (await tiles.count()) === 1 ? tiles.getAttribute('data-slot') : null;
}
