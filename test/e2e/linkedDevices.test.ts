import { testIds } from '../../renderer/ui/testIds';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';
import { expectMediaStillFlowing } from './harness/mediaFlow';

// Real Chromium and real calls on two cores: steps are waited for, never timed.
jest.setTimeout(240_000);

const env = fileEnvironment();

async function openDevices(client: ParleyClient): Promise<void> {
  // Named apart from the camera, microphone and speaker, which are devices too.
  expect(await client.byTestId(testIds.navDevices).innerText()).toBe('Linked devices');
  await client.click(testIds.navDevices);
  await client.waitForScreen(testIds.screenDevices);
}

async function openContacts(client: ParleyClient): Promise<void> {
  await client.click(testIds.navContacts);
  await client.waitForScreen(testIds.screenContacts);
}

test('Bob links a second device; both ring, the first to accept wins, a decline on one declines for all, and a removed device loses the account', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bobDesk = await env.registeredClient('bob', 'Bob Marley');

  // Linking: the new device shows a code (text and QR), the desk looks it up and approves it.
  const bobLaptop = await env.newClient();
  const code = await bobLaptop.startLinking('Bob laptop');
  await expect(bobLaptop.byTestId(testIds.linkQr).count()).resolves.toBe(1);
  await expect(bobLaptop.byTestId(testIds.linkQr).isVisible()).resolves.toBe(true);
  expect(await bobDesk.lookUpLinkCode(code)).toContain('Bob laptop');
  await bobDesk.click(testIds.linkApproveButton);
  await bobLaptop.waitForLinked('bob', 'Bob Marley');

  await bobDesk.waitForScreen(testIds.screenDevices);
  const rows = await pollUntil(
    () => bobDesk.readDeviceRows(),
    (seen) => seen.length === 2,
    "two devices on Bob's device list",
  );
  expect(rows.filter((row) => row.current)).toHaveLength(1);
  const laptopRow = rows.find((row) => !row.current)!;
  expect(laptopRow.deviceId).not.toBe('');
  await openContacts(bobDesk);

  await alice.addContact('bob');
  // The callee has not added the caller, so the caller sees them offline (presence is shared
  // only with people one has added); they are signed in since their registration finished.
  await alice.waitForPresence('bob', 'offline');

  // Both of Bob's devices ring; the laptop answers, the desk is told and steps back.
  await alice.callContact('bob');
  const [deskCaller, laptopCaller] = await Promise.all([
    bobDesk.waitForIncomingCall(),
    bobLaptop.waitForIncomingCall(),
  ]);
  expect(deskCaller).toContain('Alice Liddell');
  expect(laptopCaller).toContain('Alice Liddell');
  await bobLaptop.click(testIds.acceptVideoButton);
  await bobDesk.waitForCallEnded('answered_elsewhere');
  await Promise.all([alice.waitForInCall(), bobLaptop.waitForInCall()]);
  for (const client of [alice, bobLaptop]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
    await client.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');
  }
  await expectMediaStillFlowing([alice, bobLaptop], { audio: false });
  await expect(bobDesk.byTestId(testIds.screenInCall).count()).resolves.toBe(0);
  await alice.click(testIds.hangupButton);
  await alice.waitForCallEnded('hangup');
  await bobLaptop.waitForCallEnded('remote_hangup');

  // A decline on the desk declines for all: the laptop stops ringing and Alice hears no.
  await alice.callContact('bob');
  await Promise.all([bobDesk.waitForIncomingCall(), bobLaptop.waitForIncomingCall()]);
  await bobDesk.click(testIds.declineButton);
  await alice.waitForCallEnded('declined');
  await bobLaptop.waitForCallEnded('declined');
  await expect(bobLaptop.byTestId(testIds.screenIncoming).count()).resolves.toBe(0);

  // The desk removes the laptop: the laptop is signed out at once and back at its first run.
  bobDesk.page.on('dialog', (dialog) => void dialog.accept());
  await openDevices(bobDesk);
  await bobDesk.click(testIds.removeDeviceButton(laptopRow.deviceId));
  await bobLaptop.waitForScreen(testIds.screenFirstRun);
  await pollUntil(
    () => bobDesk.readDeviceRows(),
    (seen) => seen.length === 1 && seen[0]!.current,
    "only the desk left on Bob's device list",
  );
  // Its account is gone from the laptop for good: a reload does not sign it back in.
  await bobLaptop.page.reload();
  await bobLaptop.waitForScreen(testIds.screenFirstRun);
  await expect(bobLaptop.byTestId(testIds.screenContacts).count()).resolves.toBe(0);
});
