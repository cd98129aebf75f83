import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../server/db/openDatabase';
import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import {
  nameLayoutProblems,
  readNameLayout,
  readSentenceAroundName,
  sentenceOrderProblems,
} from './harness/nameLayout';
import type { ParleyClient } from './harness/parleyClient';

// Real Chromium and a real call on two cores: steps are waited for, never timed.
jest.setTimeout(240_000);

/** 64 fullwidth letters: the widest name the protocol allows, about 64 em. */
const WIDE_NAME = '\uFF37'.repeat(64);
const ARABIC_NAME = 'ليلى عبد الله';
const HEBREW_DEVICE = 'המחשב של דנה';
const NARROW = { width: 360, height: 640 };
const WIDE_WINDOW = { width: 1280, height: 720 };

const env = fileEnvironment({}, { closeClientsAfterEach: true });

const sel = (id: string) => `[data-testid="${id}"]`;

/** The name `name` shows inside `container`: in its box, clear of `avoid`, cut, isolated. */
async function expectNameShownWell(
  client: ParleyClient,
  where: { name: string; container: string; avoid: string[]; cut: boolean },
): Promise<void> {
  const name = client.page.locator(where.name).first();
  await name.waitFor({ state: 'visible', timeout: 20_000 });
  const layout = await readNameLayout(name, where.container, where.avoid);
  const problems = nameLayoutProblems(layout, { cut: where.cut });
  expect({ name: where.name, problems }).toEqual({ name: where.name, problems: [] });
}

/**
 * Each check once in a wide window and once in a 360 px one, where 64 wide characters cannot fit
 * whatever the font (`narrow`).
 */
async function atBothWidths(
  client: ParleyClient,
  check: (narrow: boolean) => Promise<void>,
): Promise<void> {
  for (const size of [WIDE_WINDOW, NARROW]) {
    await client.page.setViewportSize(size);
    await check(size === NARROW);
  }
  await client.page.setViewportSize(WIDE_WINDOW);
}

test('a 64-wide-character name is cut with an ellipsis and stays clear of the buttons everywhere it is shown; an Arabic name is isolated', async () => {
  const wide = await env.registeredClient('wide', WIDE_NAME);
  const laila = await env.registeredClient('laila', ARABIC_NAME);
  await becomeContacts(wide, laila);
  await laila.waitForPresence('wide', 'online');

  // Laila's contact list and Wide's contact page.
  await atBothWidths(laila, () =>
    expectNameShownWell(laila, {
      name: `${sel(testIds.contactRow('wide'))} .name`,
      container: sel(testIds.contactRow('wide')),
      avoid: [sel(testIds.contactCallAudio('wide')), sel(testIds.contactCallVideo('wide'))],
      cut: true, // the list is at most 400 px wide
    }),
  );
  await laila.click(testIds.openContact('wide'));
  await laila.waitForScreen(testIds.screenContact);
  await atBothWidths(laila, async (narrow) => {
    await expectNameShownWell(laila, {
      name: '.contact-page__header .name',
      container: '.contact-page__header',
      avoid: ['button[aria-label="Close"]'],
      cut: narrow,
    });
    await expectNameShownWell(laila, {
      name: `${sel(testIds.safetyNumberInstruction)} .name`,
      container: sel(testIds.safetyNumberInstruction),
      avoid: [],
      cut: true, // a name inside a sentence gets at most 16em
    });
  });

  // Wide sees the Arabic name isolated, in the list and in the sentence on the contact page.
  await expectNameShownWell(wide, {
    name: `${sel(testIds.contactRow('laila'))} .name`,
    container: sel(testIds.contactRow('laila')),
    avoid: [sel(testIds.contactCallAudio('laila'))],
    cut: false,
  });
  await wide.click(testIds.openContact('laila'));
  await wide.waitForScreen(testIds.screenContact);
  const sentence = await readSentenceAroundName(wide.byTestId(testIds.safetyNumberInstruction));
  expect(sentenceOrderProblems(sentence)).toEqual([]);

  // Wide calls Laila: her ringing screen shows his name, clear of the answer buttons.
  await wide.byTestId(testIds.contactCallAudio('laila')).click();
  await laila.waitForIncomingCall();
  await atBothWidths(laila, (narrow) =>
    expectNameShownWell(laila, {
      name: `${sel(testIds.incomingCaller)} .name`,
      container: sel(testIds.screenIncoming),
      avoid: [sel(testIds.declineButton), sel(testIds.acceptAudioButton)],
      cut: narrow,
    }),
  );
  await expectNameShownWell(wide, {
    name: `${sel(testIds.outgoingPeer)} .name`,
    container: sel(testIds.screenOutgoing),
    avoid: [sel(testIds.cancelButton)],
    cut: false,
  });
  await laila.click(testIds.declineButton);
  await wide.waitForCallEnded('declined');

  // Laila, in a narrow window, calls Wide back from his contact page: her calling and in-call
  // screens show his name.
  await laila.page.setViewportSize(NARROW);
  await laila.page.locator(`${sel(testIds.screenContact)} button[title="Voice call"]`).click();
  await wide.waitForIncomingCall();
  await expectNameShownWell(laila, {
    name: `${sel(testIds.outgoingPeer)} .name`,
    container: sel(testIds.screenOutgoing),
    avoid: [sel(testIds.cancelButton)],
    cut: true,
  });
  await wide.click(testIds.acceptAudioButton);
  await laila.waitForInCall();
  await expectNameShownWell(laila, {
    name: `${sel(testIds.inCallPeer)} .name`,
    container: sel(testIds.screenInCall),
    avoid: [sel(testIds.hangupButton), sel(testIds.muteButton)],
    cut: true,
  });
  await wide.waitForInCall();
  await wide.click(testIds.hangupButton);

  // The notice after the call and the call log name him, cut, clear of their buttons and times.
  await laila.waitForCallEnded('remote_hangup');
  await expectNameShownWell(laila, {
    name: `${sel(testIds.callNotice)} .name`,
    container: sel(testIds.callNotice),
    avoid: ['button[aria-label="Dismiss"]'],
    cut: true,
  });
  await laila.waitForCallLogEntry('declined', 'wide');
  await laila.click(testIds.navCallLog);
  await laila.waitForScreen(testIds.screenCallLog);
  const entry = `${sel(testIds.callLogEntry)}[data-peer="wide"]`;
  await atBothWidths(laila, () =>
    expectNameShownWell(laila, {
      name: `${entry} .name`,
      container: entry,
      avoid: ['time'],
      cut: true,
    }),
  );
});

test('a name an older server stored with a right-to-left override cannot reverse the safety-number sentence', async () => {
  const viewer = await env.registeredClient('viewer', 'Viewer');
  const mallory = await env.registeredClient('mallory', 'Mallory');
  await becomeContacts(viewer, mallory);

  // Names with direction controls are refused now; write one the way an older server kept it.
  const db = new BetterSqlite3(join(env.server.dataDir, DATABASE_FILE));
  try {
    db.prepare('UPDATE users SET display_name = ? WHERE username = ?').run(
      'gnp.\u202Eexe',
      'mallory',
    );
  } finally {
    db.close();
  }
  await viewer.page.reload();
  await viewer.waitForScreen(testIds.screenContacts);
  await viewer.click(testIds.openContact('mallory'));
  await viewer.waitForScreen(testIds.screenContact);

  const instruction = viewer.byTestId(testIds.safetyNumberInstruction);
  await expect(instruction.innerText()).resolves.toContain(
    'Compare these numbers with the ones on gnp.exe’s screen, in person or on a call.',
  );
  const sentence = await readSentenceAroundName(instruction);
  expect(sentence.afterLines.flat().length).toBeGreaterThan(50);
  expect(sentenceOrderProblems(sentence)).toEqual([]);
  await expectNameShownWell(viewer, {
    name: `${sel(testIds.safetyNumberInstruction)} .name`,
    container: sel(testIds.safetyNumberInstruction),
    avoid: [],
    cut: false,
  });
});

test('a Hebrew device name asking to join keeps "wants to join your account" in order after it', async () => {
  const owner = await env.registeredClient('owner', 'Owner');
  const newDevice = await env.newClient();
  const code = await newDevice.startLinking(HEBREW_DEVICE);
  expect(await owner.lookUpLinkCode(code)).toContain(HEBREW_DEVICE);
  const paragraph = owner.page.locator(`p:has(${sel(testIds.linkPendingDevice)})`);
  const layout = await readNameLayout(
    owner.byTestId(testIds.linkPendingDevice).locator('.name'),
    'p',
  );
  expect(nameLayoutProblems(layout, { cut: false })).toEqual([]);
  const sentence = await paragraph.evaluate((p) => {
    const name = p.querySelector('.name')!.getBoundingClientRect();
    const range = document.createRange();
    const text = [...p.childNodes].find((n) => n.textContent?.includes('wants to join'))!;
    const at = text.textContent!.indexOf('wants');
    range.setStart(text, at);
    range.setEnd(text, at + 1);
    return { nameRight: name.right, wantsLeft: range.getClientRects()[0]!.left };
  });
  expect(sentence.wantsLeft).toBeGreaterThanOrEqual(sentence.nameRight - 0.5);
  await owner.click(testIds.linkRejectButton);
});
