import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts, aliceAndBobFile } from './harness/callSetup';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

// Real Chromium against the real server: steps are waited for, never timed.
jest.setTimeout(180_000);

/** Long enough for every step of a busy machine, short enough to wait for a ring-out. */
const RING_TIMEOUT_MS = 15_000;

const env = aliceAndBobFile({ ringTimeoutMs: RING_TIMEOUT_MS });
let carol: ParleyClient;

beforeAll(async () => {
  carol = await env.registeredClient('carol', 'Carol King');
  await becomeContacts(carol, env.bob);
});

/** Whether a looping tone of the page is sounding. */
function tonePlaying(client: ParleyClient, testId: string): Promise<boolean> {
  return client.page.evaluate((id) => {
    const tone = document.querySelector<HTMLAudioElement>(`[data-testid="${id}"]`);
    return tone !== null && !tone.paused && tone.currentTime > 0;
  }, testId);
}

/** Alice and Bob talk; Carol then calls Bob, whose call screen shows her call waiting. */
async function carolCallsWhileBobTalks(): Promise<void> {
  const { alice, bob } = env;
  await alice.callContact(bob.username);
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptVideoButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  await carol.callContact(bob.username);
  const banner = bob.byTestId(testIds.callWaitingBanner);
  await banner.waitFor();
  expect(await banner.innerText()).toContain('Carol King is calling');
  // Carol hears it ring back; Bob hears the soft waiting beeps, not the ringtone.
  await pollUntil(() => tonePlaying(carol, testIds.ringbackTone), Boolean, "Carol's ringback");
  await pollUntil(
    () => tonePlaying(bob, testIds.callWaitingTone),
    Boolean,
    "Bob's call-waiting tone",
  );
  expect(await tonePlaying(bob, testIds.ringtone)).toBe(false);
  await expect(bob.byTestId(testIds.screenIncoming).count()).resolves.toBe(0);
}

async function expectQuiet(client: ParleyClient): Promise<void> {
  await pollUntil(
    () =>
      Promise.all([
        tonePlaying(client, testIds.callWaitingTone),
        tonePlaying(client, testIds.ringbackTone),
      ]),
    (playing) => playing.every((p) => !p),
    'the tones to stop',
  );
}

test('a call during a call waits in a banner; Decline tells the caller, and the call goes on', async () => {
  const { alice, bob } = env;
  await carolCallsWhileBobTalks();
  await bob.click(testIds.callWaitingDecline);
  await carol.waitForCallEnded('declined');
  await bob.byTestId(testIds.callWaitingBanner).waitFor({ state: 'detached' });
  await Promise.all([expectQuiet(bob), expectQuiet(carol)]);
  await expectMediaStillFlowing([alice, bob]);
  await bob.click(testIds.hangupButton);
  await alice.waitForCallEnded('remote_hangup');
});

test('"End and accept" hangs up the call and answers the waiting one, with pictures both ways', async () => {
  const { alice, bob } = env;
  await carolCallsWhileBobTalks();
  await bob.click(testIds.callWaitingEndAndAccept);
  await alice.waitForCallEnded('remote_hangup');
  await Promise.all([carol.waitForInCall(), bob.waitForInCall()]);
  await expect(bob.byTestId(testIds.inCallPeer).innerText()).resolves.toContain('Carol King');
  await expectMediaStillFlowing([carol, bob]);
  await Promise.all([expectQuiet(bob), expectQuiet(carol)]);
  await carol.click(testIds.hangupButton);
  await bob.waitForCallEnded('remote_hangup');
});

test('left alone, the waiting call rings out: the caller hears he is on another call, the callee finds it in his log', async () => {
  const { alice, bob } = env;
  await carolCallsWhileBobTalks();
  await carol.waitForCallEnded('busy');
  expect(await carol.byTestId(testIds.callNotice).innerText()).toContain(
    'Bob Marley is busy on another call',
  );
  await bob.byTestId(testIds.callWaitingBanner).waitFor({ state: 'detached' });
  await expectQuiet(bob);
  await expectMediaStillFlowing([alice, bob]);
  await alice.click(testIds.hangupButton);
  await bob.waitForCallEnded('remote_hangup');
  await bob.waitForCallLogEntry('busy', carol.username);
});

test('when the other side hangs up first, the waiting call rings as an ordinary incoming call', async () => {
  const { alice, bob } = env;
  await carolCallsWhileBobTalks();
  await alice.click(testIds.hangupButton);
  expect(await bob.waitForIncomingCall()).toContain('Carol King');
  await bob.click(testIds.acceptAudioButton);
  await Promise.all([carol.waitForInCall(), bob.waitForInCall()]);
  await bob.click(testIds.hangupButton);
  await carol.waitForCallEnded('remote_hangup');
});
