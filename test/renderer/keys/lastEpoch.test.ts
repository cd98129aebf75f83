/**
 * What a sender does at its generation's last epoch, with the last epoch made 2 (instead of
 * 65535, which would take 65535 ratchet steps to reach): a group sender moves to a fresh
 * generation, a 1:1 call stays where it is.
 */
import { kidFor, ratchetBaseKey } from '../../../renderer/e2ee/callKeyIds';
import type { E2eeWorkerRequest } from '../../../renderer/e2ee/worker/messages';
import { CallKeyRing } from '../../../renderer/keys/CallKeyRing';
import { SenderKeyRing } from '../../../renderer/keys/SenderKeyRing';

jest.mock('../../../renderer/e2ee/callKeyIds', () => ({
  ...jest.requireActual('../../../renderer/e2ee/callKeyIds'),
  MAX_EPOCH: 2,
}));

const baseKey = Uint8Array.from({ length: 32 }, (_, i) => 5 * i);

function workerInbox() {
  const messages: E2eeWorkerRequest[] = [];
  return { messages, post: (message: E2eeWorkerRequest) => void messages.push(message) };
}

test('past its last epoch a group sender takes a fresh random key at the next generation', async () => {
  const ring = new SenderKeyRing(workerInbox(), 6, baseKey);
  await ring.advanceEpoch();
  const last = await ring.advanceEpoch();
  expect(last.kid).toBe(kidFor(6, 2));
  const next = await ring.advanceEpoch();
  expect(next.kid).toBe(kidFor(6, 0, 1));
  expect(Buffer.from(next.baseKey).equals(Buffer.from(await ratchetBaseKey(last.baseKey)))).toBe(
    false,
  );
});

test('a 1:1 call stays at its last epoch and never leaves generation 0', async () => {
  const inbox = workerInbox();
  const ring = new CallKeyRing(inbox, 'caller', { caller: baseKey, callee: baseKey.slice(1) });
  for (let i = 0; i < 4; i++) await ring.advanceSendEpoch();
  expect(ring.sendEpoch).toBe(2);
  const kids = inbox.messages.filter((m) => m.kind === 'setSendKey').map((m) => m.kid);
  expect(kids).toEqual([kidFor(0, 0), kidFor(0, 1), kidFor(0, 2)]);
});
