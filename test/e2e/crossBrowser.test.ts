import { testIds } from '../../renderer/ui/testIds';
import { answerAndConnect, becomeContacts } from './harness/callSetup';
import type { BrowserName } from './harness/e2eEnvironment';
import { fileEnvironment } from './harness/fileEnvironment';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import { STEP_TIMEOUT_MS, testIdSelector, type ParleyUser } from './harness/parleyUser';
import { readLocalDtlsSetup } from './harness/peerConnectionTracker';
import { pollUntil } from './harness/pollUntil';
import {
  deriveWrongX25519Secrets,
  expectNothingDecodedEitherWay,
  spoiledAgreements,
} from './harness/wrongKeyAgreement';

// Real Chromium and real Firefox, real calls on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

const env = fileEnvironment({ firefox: true }, { closeClientsAfterEach: true });

/** The size of the picture the call screen's remote video element shows (zeros: none yet). */
function remoteVideoSize(user: ParleyUser): Promise<{ width: number; height: number }> {
  return user.port.evaluate((selector) => {
    const video = document.querySelector<HTMLVideoElement>(selector);
    return { width: video?.videoWidth ?? 0, height: video?.videoHeight ?? 0 };
  }, testIdSelector(testIds.remoteVideo));
}

/** The digits of the in-call safety number, once it is shown. */
async function readSafetyNumber(user: ParleyUser): Promise<string> {
  await user.port.waitFor(testIdSelector(testIds.safetyNumber), 'visible', STEP_TIMEOUT_MS);
  return ((await user.readText(testIds.safetyNumber)).match(/\d+/g) ?? []).join('');
}

/** One user mutes, the other sees it; unmuting clears it. */
async function expectMuteSeenAcross(muting: ParleyUser, seeing: ParleyUser): Promise<void> {
  await muting.click(testIds.muteButton);
  await muting.waitForAttribute(testIds.muteButton, 'aria-pressed', 'true');
  await seeing.waitForRemoteMuted(true);
  await muting.click(testIds.muteButton);
  await muting.waitForAttribute(testIds.muteButton, 'aria-pressed', 'false');
  await seeing.waitForRemoteMuted(false);
}

const pairings: {
  caller: [BrowserName, string, string];
  callee: [BrowserName, string, string];
}[] = [
  { caller: ['Chromium', 'alice', 'Alice Liddell'], callee: ['Firefox', 'fiona', 'Fiona Apple'] },
  { caller: ['Firefox', 'frank', 'Frank Zappa'], callee: ['Chromium', 'bob', 'Bob Marley'] },
  { caller: ['Firefox', 'fred', 'Fred Astaire'], callee: ['Firefox', 'fay', 'Fay Wray'] },
];

test.each(pairings)(
  'a $caller.0 user calls a $callee.0 user: both see and hear each other, encrypted, with the same safety number; mute and hang-up reach across',
  async (pairing) => {
    const caller = await env.registeredUserIn(...pairing.caller);
    const callee = await env.registeredUserIn(...pairing.callee);
    await becomeContacts(caller, callee);

    await caller.callContact(callee.username);
    expect(await callee.waitForIncomingCall()).toContain(caller.displayName);
    await answerAndConnect(caller, callee);
    // The callee is the DTLS server, so the caller's handshake starts the moment it applies the
    // answer (renderer/call/dtlsRole.ts): a Firefox caller cannot apply it while it rings.
    expect(new Set(await readLocalDtlsSetup(callee.port))).toEqual(new Set(['passive']));

    for (const user of [caller, callee]) {
      await user.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');
    }
    // Each decodes the other's video and receives their audio, and both keep arriving.
    await expectMediaStillFlowing([caller, callee]);
    for (const user of [caller, callee]) {
      await pollUntil(
        () => remoteVideoSize(user),
        (size) => size.width > 0 && size.height > 0,
        `the remote video element of ${user.username} to show a picture`,
      );
    }

    const [callerNumber, calleeNumber] = await Promise.all([
      readSafetyNumber(caller),
      readSafetyNumber(callee),
    ]);
    expect(callerNumber).toMatch(/^\d{60}$/);
    expect(calleeNumber).toBe(callerNumber);

    await expectMuteSeenAcross(caller, callee);
    await expectMuteSeenAcross(callee, caller);

    await callee.click(testIds.hangupButton);
    await callee.waitForCallEnded('hangup');
    await caller.waitForCallEnded('remote_hangup');
  },
);

test('a Firefox device that derives the wrong key decodes no frame from Chromium, nor Chromium from it, while packets keep arriving, and both say why', async () => {
  const carol = await env.registeredUserIn('Chromium', 'carol', 'Carol King');
  // Dave's Firefox page agrees a wrong secret; everything else about him is genuine.
  const dave = await env.registeredUserIn('Firefox', 'dave', 'Dave Brubeck', {
    initScripts: [deriveWrongX25519Secrets],
  });
  await becomeContacts(carol, dave);
  await carol.callContact(dave.username);
  await answerAndConnect(carol, dave);
  expect(await spoiledAgreements(dave)).toBeGreaterThan(0);

  await expectNothingDecodedEitherWay([dave, carol]);

  await dave.click(testIds.hangupButton);
  await dave.waitForCallEnded('hangup');
  await carol.waitForCallEnded('remote_hangup');
});

test('sharing the screen where Firefox has nothing to capture says so in a sentence, and the call goes on', async () => {
  const caller = await env.registeredUserIn('Chromium', 'carl', 'Carl Sagan');
  const callee = await env.registeredUserIn('Firefox', 'flora', 'Flora Finch');
  await becomeContacts(caller, callee);
  await caller.callContact(callee.username);
  await answerAndConnect(caller, callee);

  // Headless Firefox offers no screen or window: getDisplayMedia rejects with NotFoundError.
  await callee.click(testIds.screenShareButton);
  await callee.port.waitFor(testIdSelector(testIds.screenShareError), 'visible', STEP_TIMEOUT_MS);
  expect(await callee.readText(testIds.screenShareError)).toBe(
    'There is no screen or window this browser can share here.',
  );
  await expectMediaStillFlowing([caller, callee]);
  await caller.click(testIds.hangupButton);
  await callee.waitForCallEnded('remote_hangup');
});

test("in Firefox the microphone meter in Settings moves with the fake microphone's tone", async () => {
  const user = await env.registeredUserIn('Firefox', 'fern', 'Fern Britton');
  await user.click(testIds.navSettings);
  await user.waitForScreen(testIds.screenSettings);
  // A click in the page: the user gesture an audio context made without one may wait for.
  await user.click(testIds.micLevel);
  await pollUntil(
    () =>
      user.port.evaluate(
        (selector) => Number(document.querySelector(selector)?.getAttribute('data-level') ?? 0),
        testIdSelector(testIds.micLevel),
      ),
    (level) => level > 0,
    'the mic level to rise above 0',
  );
});
