import type { Browser } from 'playwright-core';
import { testIds } from '../../renderer/ui/testIds';
import { launchChromium } from './harness/chromium';
import { pollUntil } from './harness/pollUntil';
import { ScreenLab } from './groupCallScreen/screenLab';
import type { TileSpec } from './groupCallScreen/screenLabPage';

/**
 * The group-call screen as a user sees it, in Chromium with the app's stylesheet and CSP: the
 * test plays the call (the RoomClient) and hands the screen its view; videos are canvas streams.
 */
jest.setTimeout(120_000);

const WINDOW = { width: 1280, height: 720 };
let browser: Browser;
let lab: ScreenLab;

beforeAll(async () => {
  browser = await launchChromium();
  lab = await ScreenLab.start(browser, WINDOW);
});

afterAll(async () => {
  await lab?.close();
  await browser?.close();
});

/** A distinct 60-digit safety number per participant. */
const safetyNumberOf = (slot: number) => String(slot).padStart(2, '0').repeat(30);

/** Us in slot 0, then `count - 1` others. */
function people(count: number, change: (tile: TileSpec) => TileSpec = (t) => t): TileSpec[] {
  return Array.from({ length: count }, (_, slot) =>
    change(
      slot === 0
        ? { slot, name: 'Me', self: true }
        : { slot, name: `Person ${slot}`, safetyNumber: safetyNumberOf(slot) },
    ),
  );
}

interface DrawnTile {
  slot: number;
  source: string;
  place: string;
  left: number;
  top: number;
  width: number;
  height: number;
  /** The width of the picture its video decodes (0: none). */
  videoWidth: number;
  /** The active speaker's ring, as drawn. */
  ringWidth: string;
  status: string | null;
  muted: boolean;
  name: string;
}

/** Every tile on the screen, as drawn. */
function drawnTiles(): Promise<DrawnTile[]> {
  return lab.page.$$eval(`[data-testid="${testIds.callTile}"]`, (elements) =>
    elements.map((element) => {
      const box = element.getBoundingClientRect();
      const video = element.querySelector('video');
      const status = element.querySelector('[data-testid="call-tile-status"]');
      return {
        slot: Number(element.getAttribute('data-slot')),
        source: element.getAttribute('data-source') ?? '',
        place: element.getAttribute('data-place') ?? '',
        left: box.left,
        top: box.top,
        width: box.width,
        height: box.height,
        videoWidth: video?.videoWidth ?? 0,
        ringWidth: getComputedStyle(element, '::after').borderTopWidth,
        status: status && status.getBoundingClientRect().width > 0 ? status.textContent : null,
        muted: element.querySelector('[data-testid="call-tile-muted"]') !== null,
        name: element.querySelector('[data-testid="call-tile-name"]')?.textContent ?? '',
      };
    }),
  );
}

const distinct = (values: number[]) => [...new Set(values.map((v) => Math.round(v)))];
const area = (t: DrawnTile) => t.width * t.height;
const tileOf = (tiles: DrawnTile[], slot: number, source = 'camera') =>
  tiles.find((t) => t.slot === slot && t.source === source);

describe('the grid', () => {
  test.each([
    [2, 2, 1],
    [5, 3, 2],
    [9, 3, 3],
    [16, 4, 4],
  ])(
    '%i people fill %i columns and %i rows of equal tiles, each playing',
    async (count, columns, rows) => {
      await lab.show({ tiles: people(count) });
      const tiles = await pollUntil(
        drawnTiles,
        (t) =>
          t.length === count &&
          distinct(t.map((x) => x.left)).length === columns &&
          t.every((x) => x.videoWidth > 0),
        `${count} playing tiles in ${columns} columns`,
      );
      expect(distinct(tiles.map((t) => t.top))).toHaveLength(rows);
      expect(distinct(tiles.map((t) => t.width))).toHaveLength(1);
      expect(distinct(tiles.map((t) => t.height))).toHaveLength(1);
      for (const t of tiles) {
        expect(t.left).toBeGreaterThanOrEqual(0);
        expect(t.left + t.width).toBeLessThanOrEqual(WINDOW.width);
        expect(t.top + t.height).toBeLessThanOrEqual(WINDOW.height);
      }
      // Ourselves first, then by slot: reading order is slot order.
      const reading = [...tiles].sort((a, b) => Math.round(a.top - b.top) || a.left - b.left);
      expect(reading.map((t) => t.slot)).toEqual(people(count).map((p) => p.slot));
    },
  );
});

describe('the active speaker', () => {
  test('has the ring, is announced politely, and is the large one in speaker view', async () => {
    await lab.show({ tiles: people(5), activeSpeakerSlot: 3 });
    let tiles = await pollUntil(drawnTiles, (t) => t.length === 5, 'five tiles');
    expect(tiles.filter((t) => t.ringWidth === '3px').map((t) => t.slot)).toEqual([3]);
    const announcement = lab.page.getByTestId(testIds.activeSpeakerAnnouncement);
    await expect(announcement.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(announcement.textContent()).resolves.toBe('Person 3 is speaking');

    await lab.page.getByTestId(testIds.layoutButton).click();
    expect(await lab.collect()).toContainEqual({ action: 'setLayout', layout: 'speaker' });
    tiles = await pollUntil(drawnTiles, (t) => tileOf(t, 3)?.place === 'large', 'slot 3 large');
    const strip = tiles.filter((t) => t.place === 'strip').sort((a, b) => a.left - b.left);
    expect(strip.map((t) => t.slot)).toEqual([0, 1, 2, 4]);
    for (const small of strip) expect(area(tileOf(tiles, 3)!)).toBeGreaterThan(area(small) * 4);
    await expect(
      lab.page.getByTestId(testIds.layoutButton).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
  });

  test('in speaker view the last one who spoke stays large through silence and while we speak', async () => {
    const speakerView = { tiles: people(4), layout: 'speaker' as const };
    await lab.show({ ...speakerView, activeSpeakerSlot: 2 });
    await pollUntil(drawnTiles, (t) => tileOf(t, 2)?.place === 'large', 'slot 2 large');
    for (const activeSpeakerSlot of [null, 0]) {
      await lab.show({ ...speakerView, activeSpeakerSlot });
      // Drawn once the ring shows the new speaker (none in silence).
      const tiles = await pollUntil(
        drawnTiles,
        (t) =>
          t
            .filter((x) => x.ringWidth === '3px')
            .map((x) => x.slot)
            .join() === (activeSpeakerSlot === null ? '' : String(activeSpeakerSlot)),
        `the ring on ${activeSpeakerSlot ?? 'nobody'}`,
      );
      expect(tiles.find((t) => t.place === 'large')?.slot).toBe(2);
      expect(tileOf(tiles, 0)?.place).toBe('strip');
    }
    await expect(
      lab.page.getByTestId(testIds.activeSpeakerAnnouncement).textContent(),
    ).resolves.toBe('');
  });
});

test('each tile says what keeps its media from playing, and who has the microphone off', async () => {
  await lab.show({
    tiles: [
      { slot: 0, name: 'Me', self: true },
      { slot: 1, name: 'Undecryptable', state: 'cant_decrypt', camera: false },
      { slot: 2, name: 'Joining', state: 'connecting', camera: false },
      { slot: 3, name: 'Dropped', state: 'reconnecting' },
      { slot: 4, name: 'Quiet', microphoneOn: false },
    ],
  });
  const tiles = await pollUntil(
    drawnTiles,
    (t) => t.length === 5 && [0, 3, 4].every((slot) => (tileOf(t, slot)?.videoWidth ?? 0) > 0),
    'five tiles, the three with a camera playing',
  );
  expect(tiles.map((t) => [t.slot, t.name, t.status, t.muted])).toEqual([
    [0, 'Me', null, false],
    [1, 'Undecryptable', "Can't decrypt", false],
    [2, 'Joining', 'Connecting…', false],
    [3, 'Dropped', 'Reconnecting…', false],
    [4, 'Quiet', null, true],
  ]);
  // No picture from the two without a camera: their avatar instead.
  expect(tiles.filter((t) => t.videoWidth === 0).map((t) => t.slot)).toEqual([1, 2]);
});

test("a shared screen is large and plays, with the sharer's camera small beside it", async () => {
  await lab.show({
    tiles: people(4, (t) => (t.slot === 2 ? { ...t, screen: true } : t)),
    screenShareSlot: 2,
    activeSpeakerSlot: 3,
    layout: 'grid',
  });
  const tiles = await pollUntil(
    drawnTiles,
    (t) => (tileOf(t, 2, 'screen')?.videoWidth ?? 0) > 0,
    'the shared screen playing',
  );
  const screen = tileOf(tiles, 2, 'screen')!;
  expect(screen.place).toBe('large');
  expect(screen.videoWidth).toBe(640);
  const strip = tiles.filter((t) => t.place === 'strip').sort((a, b) => a.left - b.left);
  expect(strip.map((t) => `${t.slot}:${t.source}`)).toEqual([
    '2:camera',
    '0:camera',
    '1:camera',
    '3:camera',
  ]);
  expect(area(screen)).toBeGreaterThan(area(tileOf(tiles, 2)!) * 10);
  await expect(
    lab.page.getByTestId(testIds.screenGroupCall).getAttribute('data-stage'),
  ).resolves.toBe('focus');
});

test("the participant list shows everyone, and each other participant's safety number", async () => {
  await lab.show({
    tiles: people(4, (t) => (t.slot === 3 ? { ...t, state: 'cant_decrypt' } : t)),
  });
  await lab.page.getByTestId(testIds.participantsButton).click();
  await lab.page.getByTestId(testIds.participantList).waitFor();
  const rows = lab.page.getByTestId(testIds.participantRow);
  await expect(rows.count()).resolves.toBe(4);
  const self = rows.nth(0);
  await expect(self.getAttribute('data-self')).resolves.toBe('true');
  await expect(self.getByTestId(testIds.participantSafetyNumberButton).count()).resolves.toBe(0);
  for (const slot of [1, 2, 3]) {
    const row = lab.page.locator(`[data-testid="${testIds.participantRow}"][data-slot="${slot}"]`);
    await expect(row.getByTestId(testIds.safetyNumber).count()).resolves.toBe(0);
    const button = row.getByTestId(testIds.participantSafetyNumberButton);
    await button.click();
    await expect(button.getAttribute('aria-expanded')).resolves.toBe('true');
    const shown = await row.getByTestId(testIds.safetyNumber).textContent();
    expect(shown?.replace(/\s/g, '')).toBe(safetyNumberOf(slot));
    expect(shown?.trim().split(/\s+/)).toHaveLength(12);
  }
  await expect(
    lab.page.locator(`[data-testid="${testIds.participantRow}"][data-slot="3"]`).textContent(),
  ).resolves.toContain("Can't decrypt their media");
  await lab.page.getByTestId(testIds.participantsButton).click();
  await expect(rows.count()).resolves.toBe(0);
});

test('a member whose safety number changed is warned about on their tile and in the list', async () => {
  await lab.clear(); // no panel left open by an earlier test
  await lab.show({
    tiles: people(3, (t) => (t.slot === 2 ? { ...t, safetyNumberChanged: true } : t)),
  });
  const sentence =
    'Person 2’s safety number has changed. Compare it with them before you trust this call.';
  const tile = (slot: number) =>
    lab.page.locator(`[data-testid="${testIds.callTile}"][data-slot="${slot}"]`);
  const warning = tile(2).getByTestId(testIds.callTileKeyChanged);
  await warning.waitFor();
  await expect(warning.isVisible()).resolves.toBe(true);
  await expect(warning.textContent()).resolves.toBe(sentence);
  for (const slot of [0, 1]) {
    await expect(tile(slot).getByTestId(testIds.callTileKeyChanged).count()).resolves.toBe(0);
  }
  await lab.page.getByTestId(testIds.participantsButton).click();
  const rowWarnings = lab.page.getByTestId(testIds.participantKeyChanged);
  await expect(rowWarnings.count()).resolves.toBe(1);
  await expect(rowWarnings.textContent()).resolves.toBe(sentence);
  await expect(
    lab.page
      .locator(`[data-testid="${testIds.participantRow}"][data-slot="2"]`)
      .getByTestId(testIds.participantKeyChanged)
      .isVisible(),
  ).resolves.toBe(true);
  await lab.page.getByTestId(testIds.participantsButton).click();
});

describe('tile sizes reported to the call', () => {
  /** Where the tile of `slot`'s camera is drawn, rounded as reported. */
  async function drawnSize(slot: number) {
    const tile = tileOf(await drawnTiles(), slot)!;
    return { width: Math.round(tile.width), height: Math.round(tile.height) };
  }

  /** Slot 1's camera tile as drawn and as last reported, once the two agree. */
  function reportedAsDrawn(what: string, differentFrom?: { width: number; height: number }) {
    return pollUntil(
      async () => ({ drawn: await drawnSize(1), reported: await lab.lastSize(1, 'camera') }),
      ({ drawn, reported }) =>
        JSON.stringify(reported) === JSON.stringify(drawn) &&
        JSON.stringify(drawn) !== JSON.stringify(differentFrom),
      what,
    );
  }

  test('the size a tile is drawn at, again when the window changes', async () => {
    await lab.show({ tiles: people(2) });
    const wide = await reportedAsDrawn('slot 1 reporting the size it is drawn at');
    expect(wide.drawn.width).toBeGreaterThan(wide.drawn.height);
    await lab.page.setViewportSize({ width: 800, height: 600 });
    try {
      // The grid may restack for the new shape: whatever the tile becomes, it is reported.
      await reportedAsDrawn('slot 1 reporting its new size', wide.drawn);
    } finally {
      await lab.page.setViewportSize(WINDOW);
    }
  });

  test('null once a tile is scrolled out of the strip, its size again when back, null when it goes', async () => {
    const call = { tiles: people(16), layout: 'speaker' as const, activeSpeakerSlot: 15 };
    await lab.show(call);
    await pollUntil(drawnTiles, (t) => tileOf(t, 15)?.place === 'large', 'slot 15 large');
    // The strip holds 15 tiles, wider than the window: its last ones start off screen.
    const stripped = await drawnSize(1);
    await pollUntil(
      () => lab.lastSize(1, 'camera'),
      (size) => JSON.stringify(size) === JSON.stringify(stripped),
      'slot 1 reporting its strip size',
    );
    await pollUntil(
      () => lab.lastSize(14, 'camera'),
      (size) => size === null,
      'slot 14 hidden',
    );

    await lab.page.$eval('.call-strip', (strip) => (strip.scrollLeft = strip.scrollWidth));
    await pollUntil(
      () => lab.lastSize(1, 'camera'),
      (size) => size === null,
      'slot 1 hidden',
    );
    await pollUntil(
      () => lab.lastSize(14, 'camera'),
      (size) => JSON.stringify(size) === JSON.stringify(stripped),
      'slot 14 reporting its size once scrolled into view',
    );

    await lab.show({ ...call, tiles: call.tiles.filter((t) => t.slot !== 14) });
    await pollUntil(
      () => lab.lastSize(14, 'camera'),
      (size) => size === null,
      'slot 14 gone',
    );
  });
});

test('inviting contacts, the invitations as they stand, the call link, and leaving', async () => {
  await lab.show({
    tiles: people(3),
    invited: [
      { username: 'bob', displayName: 'Bob', state: 'ringing' },
      { username: 'dave', displayName: 'Dave', state: 'declined' },
    ],
  });
  await lab.page.getByTestId(testIds.inviteButton).click();
  await lab.page.getByTestId(testIds.invitePanel).waitFor();
  // Bob is being rung: not offered again; Dave declined: he may be asked again.
  await expect(lab.page.getByTestId(testIds.inviteContact('bob')).count()).resolves.toBe(0);
  await lab.page.getByTestId(testIds.inviteContact('alice')).check();
  await lab.page.getByTestId(testIds.inviteContact('dave')).check();
  await lab.page.getByTestId(testIds.inviteSendButton).click();
  expect(await lab.collect()).toContainEqual({ action: 'invite', usernames: ['alice', 'dave'] });
  const invitations = lab.page.getByTestId(testIds.invitationRow);
  await expect(invitations.allTextContents()).resolves.toEqual(['BobRinging…', 'DaveDeclined']);

  await lab.page.getByTestId(testIds.createCallLinkButton).click();
  expect(await lab.collect()).toContainEqual({ action: 'createLink', approval: false });
  const url = 'https://parley.example/call/c2VjcmV0LXRva2Vu';
  await lab.show({
    tiles: people(3),
    link: { url, deepLink: 'parley://call-link/c2VjcmV0LXRva2Vu' },
  });
  await expect(lab.page.getByTestId(testIds.callLink).inputValue()).resolves.toBe(url);
  await lab.page.getByTestId(testIds.revokeCallLinkButton).click();
  expect(await lab.collect()).toContainEqual({ action: 'revokeLink' });

  await lab.page.getByTestId(testIds.leaveCallButton).click();
  expect(await lab.collect()).toContainEqual({ action: 'leave' });
});

test('only the creator of the call is offered a call link', async () => {
  await lab.clear(); // no panel left open by an earlier test
  await lab.show({ tiles: people(3), canCreateLink: false });
  await lab.page.getByTestId(testIds.inviteButton).click();
  await lab.page.getByTestId(testIds.invitePanel).waitFor();
  await expect(lab.page.getByTestId(testIds.createCallLinkButton).count()).resolves.toBe(0);
  await expect(lab.page.getByTestId(testIds.invitePanel).textContent()).resolves.not.toContain(
    'Call link',
  );
  // The creator (same screen, same panel open) is offered it.
  await lab.show({ tiles: people(3), canCreateLink: true });
  await lab.page.getByTestId(testIds.createCallLinkButton).waitFor();
});

test('a link that asks first: made with approval on, each knock shown over the call with Let in and Refuse, answered once', async () => {
  await lab.clear();
  await lab.show({ tiles: people(2) });
  await lab.page.getByTestId(testIds.inviteButton).click();
  const approval = lab.page.getByTestId(testIds.callLinkApprovalToggle);
  await expect(approval.isChecked()).resolves.toBe(false);
  await approval.check();
  await expect(approval.getAttribute('aria-checked')).resolves.toBe('true');
  await lab.page.getByTestId(testIds.createCallLinkButton).click();
  expect(await lab.collect()).toContainEqual({ action: 'createLink', approval: true });

  const link = { url: 'https://parley.example/call/YXNrLWZpcnN0', deepLink: 'parley://x' };
  await lab.show({
    tiles: people(2),
    link: { ...link, approval: true },
    knocks: [
      { username: 'gina', displayName: 'Gina Torres' },
      { username: 'hal', displayName: 'Hal Incandenza' },
    ],
  });
  await expect(lab.page.getByTestId(testIds.invitePanel).innerText()).resolves.toContain(
    'you let each one in or not',
  );
  // The knocks show whatever panel is open: here with the invite panel closed.
  await lab.page.getByTestId(testIds.inviteButton).click();
  await lab.page.getByTestId(testIds.invitePanel).waitFor({ state: 'detached' });
  const rows = lab.page.getByTestId(testIds.knockRow);
  await expect(rows.allInnerTexts()).resolves.toEqual([
    expect.stringContaining('Gina Torres asks to join'),
    expect.stringContaining('Hal Incandenza asks to join'),
  ]);
  const gina = rows.filter({ hasText: 'Gina Torres' });
  // Each button names whom it answers (the name isolated, as every name in a label is).
  await expect(gina.getByTestId(testIds.knockAdmitButton).getAttribute('aria-label')).resolves.toBe(
    'Let \u2068Gina Torres\u2069 in',
  );
  await gina.getByRole('button', { name: /^Let .*Gina Torres.* in$/ }).click();
  await rows
    .filter({ hasText: 'Hal Incandenza' })
    .getByRole('button', { name: /^Refuse .*Hal Incandenza/ })
    .click();
  const answers = (await lab.collect()).filter((r) => r.action === 'admit');
  expect(answers).toEqual([
    { action: 'admit', username: 'gina', admit: true },
    { action: 'admit', username: 'hal', admit: false },
  ]);
});

test('in a narrow window the tiles fit, and an open panel takes their place above the controls', async () => {
  const NARROW = { width: 400, height: 800 };
  await lab.page.setViewportSize(NARROW);
  try {
    await lab.clear(); // no panel left open by an earlier test
    await lab.show({ tiles: people(5) });
    const tiles = await pollUntil(
      drawnTiles,
      (t) => t.length === 5 && t.every((x) => x.width > 0 && x.videoWidth > 0),
      'five playing tiles',
    );
    const bar = (await lab.page.getByTestId(testIds.callControlBar).boundingBox())!;
    for (const t of tiles) {
      expect(t.left + t.width).toBeLessThanOrEqual(NARROW.width);
      expect(t.top + t.height).toBeLessThanOrEqual(bar.y);
    }
    await pollUntil(
      () => lab.lastSize(1, 'camera'),
      (size) => size !== null,
      'slot 1 shown',
    );

    await lab.page.getByTestId(testIds.participantsButton).click();
    const list = (await lab.page.getByTestId(testIds.participantList).boundingBox())!;
    expect(list.y + list.height).toBeLessThanOrEqual(bar.y);
    expect(list.width).toBeGreaterThan(NARROW.width / 2);
    await pollUntil(
      () => lab.lastSize(1, 'camera'),
      (size) => size === null,
      'slot 1 hidden',
    );
    await lab.page.getByTestId(testIds.participantsButton).click();
    await pollUntil(
      () => lab.lastSize(1, 'camera'),
      (size) => size !== null,
      'slot 1 back',
    );
  } finally {
    await lab.page.setViewportSize(WINDOW);
  }
});

test('the screen drew all of this without a console error or a CSP violation', () => {
  expect(lab.problems).toEqual([]);
});
