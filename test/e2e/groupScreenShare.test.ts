import { testIds } from '../../renderer/ui/testIds';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { decodedInTiles, expectDecodingFrom, type TileDecoded } from './harness/groupCallMedia';
import { threeInAGroupCall } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * A screen shared in a group call, in the app: real Chromium pages of the web client (headless
 * Chromium's fake screen stands in for the picker), the real server and its SFU, every frame
 * SFrame-encrypted. Waits have deadlines for media on two busy cores.
 */
jest.setTimeout(420_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('groupScreenShare') });

/** The slot of the client's own camera tile. */
async function ownSlot(client: ParleyClient): Promise<number> {
  const tile = client.page.locator(
    `[data-testid="${testIds.callTile}"][data-self="true"][data-source="camera"]`,
  );
  return Number(await tile.getAttribute('data-slot'));
}

function stageOf(client: ParleyClient): Promise<string | null> {
  return client.byTestId(testIds.screenGroupCall).getAttribute('data-stage');
}

const tileOf = (tiles: TileDecoded[], slot: number, source: string) =>
  tiles.find((tile) => tile.slot === slot && tile.source === source);

test("one member shares a screen: the others see it large with the sharer's camera small and decode it; stopping returns to the grid", async () => {
  // Alice starts a group video call with Bob and Carol, who join from their invitations.
  const { alice, bob, carol } = await threeInAGroupCall(env);
  for (const client of [bob, carol]) {
    await expectDecodingFrom(client, 2, `${client.username} before the share`);
    await expect(stageOf(client)).resolves.toBe('grid');
  }

  // Bob shares his screen from the call screen's control bar.
  const sharer = await ownSlot(bob);
  await bob.click(testIds.screenShareButton);
  await bob.byTestId(testIds.stopShareButton).waitFor({ state: 'visible' });
  await bob.byTestId(testIds.presentingBanner).waitFor({ state: 'visible' });

  // Alice and Carol see his screen large, his camera in the strip, and decode the screen.
  for (const client of [alice, carol]) {
    const shown = await pollUntil(
      () => decodedInTiles(client),
      (tiles) => {
        const screen = tileOf(tiles, sharer, 'screen');
        return screen?.place === 'large' && screen.videoWidth > 0 && screen.framesDecoded > 0;
      },
      `${client.username} showing Bob's screen large, with its picture`,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await expect(stageOf(client)).resolves.toBe('focus');
    expect(tileOf(shown, sharer, 'camera')?.place).toBe('strip');
    await pollUntil(
      () => decodedInTiles(client),
      (tiles) =>
        (tileOf(tiles, sharer, 'screen')?.framesDecoded ?? 0) >=
        tileOf(shown, sharer, 'screen')!.framesDecoded + 10,
      `${client.username} decoding more frames of Bob's screen`,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }

  // Bob stops: no screen tile is left, and the others are back to the grid of cameras.
  await bob.click(testIds.stopShareButton);
  await bob.byTestId(testIds.stopShareButton).waitFor({ state: 'detached' });
  await bob.byTestId(testIds.presentingBanner).waitFor({ state: 'detached' });
  for (const client of [alice, carol]) {
    await pollUntil(
      async () => ({ stage: await stageOf(client), tiles: await decodedInTiles(client) }),
      ({ stage, tiles }) =>
        stage === 'grid' &&
        tiles.every((tile) => tile.source === 'camera' && tile.place === 'grid'),
      `${client.username} back to the grid after Bob stopped sharing`,
      { timeoutMs: 30_000 },
    );
    await expectDecodingFrom(client, 2, `${client.username} after the share`);
  }
});
