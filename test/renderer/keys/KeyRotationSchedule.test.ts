import { kidFor, ratchetBaseKey } from '../../../renderer/e2ee/callKeyIds';
import type { E2eeWorkerRequest } from '../../../renderer/e2ee/worker/messages';
import { CallKeyRing } from '../../../renderer/keys/CallKeyRing';
import {
  KeyRotationSchedule,
  MIN_REKEY_GAP_MS,
  ROTATION_INTERVAL_MS,
} from '../../../renderer/keys/KeyRotationSchedule';

const keys = {
  caller: Uint8Array.from({ length: 32 }, (_, i) => i),
  callee: Uint8Array.from({ length: 32 }, (_, i) => 200 - i),
};

/** The worker's side: the messages it would receive. */
function workerInbox() {
  const messages: E2eeWorkerRequest[] = [];
  return { messages, post: (message: E2eeWorkerRequest) => void messages.push(message) };
}

/** The ring as the schedule sees it, remembering each rotation so the test can wait for it. */
function tracked(ring: CallKeyRing) {
  const rotations: Promise<void>[] = [];
  return {
    keys: {
      advanceSendEpoch: () => {
        const rotation = ring.advanceSendEpoch();
        rotations.push(rotation);
        return rotation;
      },
    },
    settle: () => Promise.all(rotations),
  };
}

describe('call keys and their rotation', () => {
  afterEach(() => jest.useRealTimers());

  test('the callee sends with the callee key (slot 1) and receives with the caller key (slot 0)', () => {
    const inbox = workerInbox();
    new CallKeyRing(inbox, 'callee', keys);
    expect(inbox.messages).toEqual([
      { kind: 'setSendKey', kid: kidFor(1, 0), baseKey: keys.callee },
      { kind: 'setReceiveKey', kid: kidFor(0, 0), baseKey: keys.caller },
    ]);
  });

  test('every 10 minutes the sender moves to the next epoch with the ratcheted key', async () => {
    jest.useFakeTimers();
    const inbox = workerInbox();
    const ring = new CallKeyRing(inbox, 'caller', keys);
    const { keys: rotating, settle } = tracked(ring);
    const schedule = new KeyRotationSchedule(rotating, () => Date.now());
    schedule.start();
    jest.advanceTimersByTime(ROTATION_INTERVAL_MS - 1);
    await settle();
    expect(ring.sendEpoch).toBe(0);
    jest.advanceTimersByTime(1);
    await settle();
    jest.advanceTimersByTime(ROTATION_INTERVAL_MS);
    await settle();
    expect(ring.sendEpoch).toBe(2);
    const epoch1 = await ratchetBaseKey(keys.caller);
    expect(inbox.messages.slice(2)).toEqual([
      { kind: 'setSendKey', kid: kidFor(0, 1), baseKey: epoch1 },
      { kind: 'setSendKey', kid: kidFor(0, 2), baseKey: await ratchetBaseKey(epoch1) },
    ]);
    schedule.stop();
    jest.advanceTimersByTime(ROTATION_INTERVAL_MS * 3);
    await settle();
    expect(ring.sendEpoch).toBe(2);
  });

  test('call.rekey moves to the next epoch at once, but a flood is not followed', async () => {
    jest.useFakeTimers();
    const ring = new CallKeyRing(workerInbox(), 'callee', keys);
    const { keys: rotating, settle } = tracked(ring);
    const schedule = new KeyRotationSchedule(rotating, () => Date.now());
    expect(schedule.onRekeyRequest()).toBe(true);
    for (let i = 0; i < 30; i++) expect(schedule.onRekeyRequest()).toBe(false);
    await settle();
    expect(ring.sendEpoch).toBe(1);
    jest.advanceTimersByTime(MIN_REKEY_GAP_MS);
    expect(schedule.onRekeyRequest()).toBe(true);
    await settle();
    expect(ring.sendEpoch).toBe(2);
  });

  test('concurrent rotations each take their own epoch', async () => {
    const inbox = workerInbox();
    const ring = new CallKeyRing(inbox, 'caller', keys);
    await Promise.all([ring.advanceSendEpoch(), ring.advanceSendEpoch(), ring.advanceSendEpoch()]);
    const kids = inbox.messages.filter((m) => m.kind === 'setSendKey').map((m) => m.kid);
    expect(kids).toEqual([kidFor(0, 0), kidFor(0, 1), kidFor(0, 2), kidFor(0, 3)]);
  });
});
