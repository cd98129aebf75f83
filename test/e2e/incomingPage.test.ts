import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './harness/chromium';
import { RENDERER_FILES_ORIGIN, rendererFilesPage } from './harness/rendererFilesPage';

// The incoming-call window's real page (dist/renderer/incoming.*) in real Chromium. Only the
// bridge its preload would expose is stood in for: without Electron there is no preload.
jest.setTimeout(120_000);

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

interface Person {
  username: string;
  displayName: string;
}

/** Opens the incoming page showing a call from `peer` (a group call when `group` is given). */
async function incomingPage(
  peer: Person,
  group: { members: Person[] } | null = null,
): Promise<Page> {
  const page = await rendererFilesPage(browser);
  await page.addInitScript(
    ({ caller, ringingGroup }) => {
      const callId = '6f1c7a52-3a3e-4d8e-9a53-0c2f1c9e4b10';
      const call = { callId, peer: caller, media: 'video', group: ringingGroup };
      const answers: unknown[] = [];
      Object.assign(window, {
        answers,
        parleyIncoming: {
          getCall: () => Promise.resolve(call),
          accept: (choice: unknown) => (answers.push(['accept', choice]), Promise.resolve(null)),
          decline: (choice: unknown) => (answers.push(['decline', choice]), Promise.resolve(null)),
        },
      });
    },
    { caller: peer, ringingGroup: group },
  );
  await page.goto(`${RENDERER_FILES_ORIGIN}/incoming.html`);
  await page.locator('[data-testid="incoming-accept-audio"]:enabled').waitFor();
  return page;
}

test('shows the caller’s @username beside the display name, so a copied name does not pass', async () => {
  const page = await incomingPage({ username: 'mallory', displayName: 'Bob' });
  await expect(page.locator('[data-testid="incoming-caller"]').innerText()).resolves.toBe('Bob');
  await expect(page.locator('[data-testid="incoming-username"]').innerText()).resolves.toBe(
    '@mallory',
  );
  await expect(page.title()).resolves.toBe('\u2068Bob\u2069 (@mallory) is calling — Parley');
  await page.close();
});

test('keeps a right-to-left override in the display name away from the username', async () => {
  const page = await incomingPage({ username: 'mallory', displayName: 'gnp.\u202Eexe' });
  await expect(page.locator('[data-testid="incoming-caller"]').innerText()).resolves.toBe(
    'gnp.exe',
  );
  await expect(page.locator('[data-testid="incoming-username"]').innerText()).resolves.toBe(
    '@mallory',
  );
  await page.close();
});

test('a group call names who invites and who is in it, and Join joins with the call’s media', async () => {
  const page = await incomingPage(
    { username: 'bob', displayName: 'Bob' },
    {
      members: [
        { username: 'bob', displayName: 'Bob' },
        { username: 'carol', displayName: 'Carol' },
      ],
    },
  );
  await expect(page.locator('[data-testid="incoming-caller"]').innerText()).resolves.toBe('Bob');
  await expect(page.locator('[data-testid="incoming-kind"]').innerText()).resolves.toBe(
    'Group video call with \u2068Bob\u2069, \u2068Carol\u2069',
  );
  await expect(page.title()).resolves.toBe(
    '\u2068Bob\u2069 (@bob) invites you to a group call — Parley',
  );
  await expect(page.locator('[data-testid="incoming-accept-audio"]').innerText()).resolves.toBe(
    'Join',
  );
  await expect(page.locator('[data-testid="incoming-accept-video"]').isVisible()).resolves.toBe(
    false,
  );
  await page.locator('[data-testid="incoming-accept-audio"]').click();
  await expect(
    page.evaluate(() => (window as unknown as { answers: unknown[] }).answers),
  ).resolves.toEqual([
    ['accept', { callId: '6f1c7a52-3a3e-4d8e-9a53-0c2f1c9e4b10', media: 'video' }],
  ]);
  await page.close();
});

test('a group call is declined from the window', async () => {
  const page = await incomingPage(
    { username: 'bob', displayName: 'Bob' },
    { members: [{ username: 'bob', displayName: 'Bob' }] },
  );
  await page.locator('[data-testid="incoming-decline"]').click();
  await expect(
    page.evaluate(() => (window as unknown as { answers: unknown[] }).answers),
  ).resolves.toEqual([['decline', { callId: '6f1c7a52-3a3e-4d8e-9a53-0c2f1c9e4b10' }]]);
  await page.close();
});

test('a group call of sixteen keeps to one line in the small window, its buttons in view', async () => {
  const members = Array.from({ length: 16 }, (_, i) => ({
    username: `member${i}`,
    displayName: `A rather long display name ${i}`,
  }));
  const page = await incomingPage(
    { username: 'member0', displayName: members[0]!.displayName },
    {
      members,
    },
  );
  // The incoming-call window's size (main/incoming/IncomingCallWindow.ts).
  await page.setViewportSize({ width: 340, height: 168 });
  const kind = page.locator('[data-testid="incoming-kind"]');
  const box = (await kind.boundingBox())!;
  expect(box.height).toBeLessThan(24);
  expect(box.x + box.width).toBeLessThanOrEqual(340);
  await expect(kind.getAttribute('title')).resolves.toContain('A rather long display name 15');
  for (const id of ['incoming-decline', 'incoming-accept-audio']) {
    const button = (await page.locator(`[data-testid="${id}"]`).boundingBox())!;
    expect(button.y + button.height).toBeLessThanOrEqual(168);
  }
  await page.close();
});
