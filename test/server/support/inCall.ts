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

/** Resolves once `condition` holds, checking every 10 ms; fails after `ms`. */
export async function eventually(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
