import type { Locator } from 'playwright-core';
import { testIds } from '../../renderer/ui/testIds';
import { answerAndConnect, registerAliceAndBob } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';

// Real Chromium and a real call on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

const NARROW = { width: 400, height: 800 };
const WIDE = { width: 1280, height: 720 };

const env = fileEnvironment();

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Where the element is drawn; it must be visible. */
async function boxOf(element: Locator): Promise<Box> {
  await element.waitFor({ state: 'visible', timeout: 20_000 });
  const box = await element.boundingBox();
  if (!box) throw new Error('the element is not drawn');
  return { left: box.x, right: box.x + box.width, top: box.y, bottom: box.y + box.height };
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** What of the boxes runs out of the window, in words (empty when nothing does). */
function outsideWindow(
  boxes: Record<string, Box>,
  size: { width: number; height: number },
): string[] {
  const slack = 0.5; // sub-pixel rounding
  return Object.entries(boxes)
    .filter(
      ([, box]) =>
        box.left < -slack ||
        box.top < -slack ||
        box.right > size.width + slack ||
        box.bottom > size.height + slack,
    )
    .map(([name, box]) => `${name} runs out of the window: ${JSON.stringify(box)}`);
}

/** The in-call control bar, its controls and the self-preview: all in the window, none covered. */
async function expectControlsClearOfPreview(
  client: ParleyClient,
  size: { width: number; height: number },
): Promise<void> {
  await client.page.setViewportSize(size);
  const preview = await boxOf(client.byTestId(testIds.localVideo));
  const controls: Record<string, Box> = {};
  for (const id of [
    testIds.callControlBar,
    testIds.muteButton,
    testIds.cameraButton,
    testIds.screenShareButton,
    testIds.inCallDevicesButton,
    testIds.hangupButton,
  ]) {
    controls[id] = await boxOf(client.byTestId(id));
  }
  const covered = Object.entries(controls)
    .filter(([, box]) => overlaps(box, preview))
    .map(([id]) => `${id} is covered by the self-preview`);
  expect({
    size,
    problems: [...covered, ...outsideWindow({ ...controls, preview }, size)],
  }).toEqual({ size, problems: [] });
}

test('below the breakpoint the home screen is one column, navigation first; contact and new-call panes open over the list with a back control; in a call the self-preview leaves the controls clear', async () => {
  const { alice, bob } = await registerAliceAndBob(env);

  // Wide: the list and the new-call pane side by side, no back control.
  await alice.page.setViewportSize(WIDE);
  const wideRow = await boxOf(alice.byTestId(testIds.contactRow('bob')));
  const wideNewCall = await boxOf(alice.byTestId(testIds.callUsernameInput));
  expect(wideNewCall.left).toBeGreaterThanOrEqual(wideRow.right);
  expect(await alice.byTestId(testIds.paneBackButton).isVisible()).toBe(false);
  expect(await alice.byTestId(testIds.newCallButton).isVisible()).toBe(false);

  // Narrow: the account, the tabs and the list, top to bottom, in the window's width.
  await alice.page.setViewportSize(NARROW);
  const header = await boxOf(alice.page.locator('.sidebar__header'));
  const tabs = await boxOf(alice.byTestId(testIds.navContacts));
  const row = await boxOf(alice.byTestId(testIds.contactRow('bob')));
  expect(header.bottom).toBeLessThanOrEqual(tabs.top + 0.5);
  expect(tabs.bottom).toBeLessThanOrEqual(row.top + 0.5);
  expect(outsideWindow({ header, tabs, row }, NARROW)).toEqual([]);
  expect(row.right - row.left).toBeGreaterThan(NARROW.width * 0.9);
  expect(await alice.byTestId(testIds.callUsernameInput).isVisible()).toBe(false);

  // A contact opens over the list, below the tabs, and Back returns to the list.
  await alice.click(testIds.openContact('bob'));
  const contact = await boxOf(alice.byTestId(testIds.screenContact));
  const back = await boxOf(alice.byTestId(testIds.paneBackButton));
  expect(contact.top).toBeGreaterThanOrEqual(tabs.bottom - 0.5);
  expect(back.bottom).toBeLessThanOrEqual(contact.top + 0.5);
  // A long contact page scrolls inside its pane, which stays within the window.
  const pane = await boxOf(alice.page.locator('.pane__main'));
  expect(outsideWindow({ pane, back }, NARROW)).toEqual([]);
  expect(contact.top).toBeLessThan(NARROW.height);
  expect(await alice.byTestId(testIds.contactRow('bob')).isVisible()).toBe(false);
  await alice.click(testIds.paneBackButton);
  await alice.byTestId(testIds.screenContact).waitFor({ state: 'detached' });
  await boxOf(alice.byTestId(testIds.contactRow('bob')));
  expect(await alice.byTestId(testIds.paneBackButton).isVisible()).toBe(false);

  // So does the new-call pane.
  await alice.click(testIds.newCallButton);
  const input = await boxOf(alice.byTestId(testIds.callUsernameInput));
  expect(outsideWindow({ input }, NARROW)).toEqual([]);
  expect(await alice.byTestId(testIds.contactRow('bob')).isVisible()).toBe(false);
  await alice.click(testIds.paneBackButton);
  await alice.byTestId(testIds.callUsernameInput).waitFor({ state: 'hidden' });
  await boxOf(alice.byTestId(testIds.contactRow('bob')));

  // Settings open over the list too, and Back returns to the contacts.
  await alice.click(testIds.navSettings);
  await alice.waitForScreen(testIds.screenSettings);
  const settingsBack = await boxOf(alice.byTestId(testIds.paneBackButton));
  expect(settingsBack.top).toBeGreaterThanOrEqual(tabs.bottom - 0.5);
  await alice.click(testIds.paneBackButton);
  await alice.waitForScreen(testIds.screenContacts);
  await boxOf(alice.byTestId(testIds.contactRow('bob')));

  // Linked devices: the list, then linking a device below it, both in the window.
  await alice.click(testIds.navDevices);
  await alice.waitForScreen(testIds.screenDevices);
  const device = await boxOf(alice.byTestId(testIds.deviceRow));
  const linkCode = await boxOf(alice.byTestId(testIds.linkCodeInput));
  expect(linkCode.top).toBeGreaterThanOrEqual(device.bottom - 0.5);
  expect(outsideWindow({ device, linkCode }, NARROW)).toEqual([]);
  await alice.click(testIds.navContacts);

  // In a video call, narrow and wide: the control bar and the self-preview do not overlap.
  await alice.click(testIds.contactCallVideo('bob'));
  await answerAndConnect(alice, bob);
  await expectControlsClearOfPreview(alice, NARROW);
  await expectControlsClearOfPreview(alice, WIDE);
  await expectControlsClearOfPreview(alice, NARROW);
  await alice.click(testIds.hangupButton);
  await bob.waitForCallEnded('remote_hangup');
  // The notice of the call's end is shown in the narrow window too.
  await alice.waitForCallEnded('hangup');
  await boxOf(alice.byTestId(testIds.callNotice));
});
