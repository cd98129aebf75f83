import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { expectDecodingFrom } from './harness/groupCallMedia';
import { joinFromInvitation, startGroupCall, waitForTileNames } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * A member whose media stops reaching us while it stays with the server: its tile says
 * "Reconnecting…" instead of showing a frozen picture, and goes live again once its media is back.
 * A member who only mutes and turns its camera off still sends frames (silence, black) and stays
 * live. Steps are waited for, never timed.
 */
jest.setTimeout(300_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('groupMemberStall') });

/** The state Alice's tile of the member in `slot` shows (data-state). */
function tileState(client: ParleyClient, slot: number): Promise<string | null> {
  return client.page
    .locator(`[data-testid="${testIds.callTile}"][data-slot="${slot}"][data-source="camera"]`)
    .getAttribute('data-state');
}

/** Runs in Bob's page: every sender of his connections sends nothing (null) or its track again. */
function holdSenders(hold: boolean): Promise<void> {
  type HeldWindow = {
    __trackedPeerConnections: RTCPeerConnection[];
    __heldTracks?: Map<RTCRtpSender, MediaStreamTrack | null>;
  };
  const page = window as unknown as HeldWindow;
  const held = (page.__heldTracks ??= new Map());
  const senders = page.__trackedPeerConnections
    .filter((connection) => connection.connectionState !== 'closed')
    .flatMap((connection) => connection.getSenders());
  return Promise.all(
    senders.map((sender) => {
      if (hold) held.set(sender, sender.track);
      return sender.replaceTrack(hold ? null : (held.get(sender) ?? sender.track));
    }),
  ).then(() => undefined);
}

test('a member whose media stops shows reconnecting, not a frozen picture; one who only mutes and turns the camera off stays live', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  await becomeContacts(alice, bob);
  await startGroupCall(alice, [bob]);
  await joinFromInvitation(bob, 'Alice Liddell');
  for (const client of [alice, bob]) {
    await waitForTileNames(client, ['Alice Liddell', 'Bob Marley']);
  }
  await expectDecodingFrom(alice, 1, 'Alice, of Bob');
  await pollUntil(
    () => tileState(alice, 1),
    (state) => state === 'live',
    'Bob live at Alice',
  );

  // Muted with the camera off, Bob still sends silence and black frames: his tile stays live
  // (watched for twice the time a stall takes to show).
  await bob.click(testIds.muteButton);
  await bob.click(testIds.cameraButton);
  await bob.waitForAttribute(testIds.cameraButton, 'aria-pressed', 'true');
  const watchUntil = Date.now() + 6_000;
  while (Date.now() < watchUntil) {
    expect(await tileState(alice, 1)).toBe('live');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await bob.click(testIds.muteButton);
  await bob.click(testIds.cameraButton);
  await bob.waitForAttribute(testIds.cameraButton, 'aria-pressed', 'false');

  // Bob's senders stop while his connections and his signaling stay up.
  await bob.page.evaluate(holdSenders, true);
  await pollUntil(
    () => tileState(alice, 1),
    (state) => state === 'reconnecting',
    "Bob's tile at Alice says reconnecting",
  );
  await expect(alice.byTestId(testIds.mediaReconnecting).count()).resolves.toBe(0);

  // His media is back: live again, and Alice decodes him.
  await bob.page.evaluate(holdSenders, false);
  await pollUntil(
    () => tileState(alice, 1),
    (state) => state === 'live',
    'Bob live again',
  );
  await expectDecodingFrom(alice, 1, 'Alice, of Bob after his media came back');
});
