import { randomUUID } from 'node:crypto';
import type { TestClient } from './TestClient';

/** Alice's call to Bob, accepted by Bob: resolves with its id once Alice has the accept. */
export async function startAcceptedCall(alice: TestClient, bob: TestClient): Promise<string> {
  const callId = randomUUID();
  const reply = await alice.invite(callId, bob.username, 'video', 'offer');
  if (reply.type !== 'ok') throw new Error(`invite refused: ${JSON.stringify(reply)}`);
  await bob.nextOf('call.invite', callId);
  bob.accept(callId, 'video', 'answer');
  await alice.nextOf('call.accept', callId);
  return callId;
}

/**
 * `from` rings `to` and cancels as soon as it rings: a missed call in `to`'s log, and the
 * invite-and-cancel of ring spam. Resolves with the call id once `to` has the cancel.
 */
export async function ringAndCancel(from: TestClient, to: TestClient): Promise<string> {
  const callId = randomUUID();
  const reply = await from.invite(callId, to.username);
  if (reply.type !== 'ok') throw new Error(`invite refused: ${JSON.stringify(reply)}`);
  await to.nextOf('call.invite', callId);
  from.send({ v: 1, type: 'call.cancel', callId });
  await to.nextOf('call.cancel', callId);
  return callId;
}

/** Resolves once `condition` holds, checking every 10 ms; fails after `ms`. */
export async function eventually(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
