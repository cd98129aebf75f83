import { randomUUID } from 'node:crypto';
import type { TestClient } from './TestClient';
import { TestServer } from './testServer';

/** A 1:1 call ringing on two devices of its callee, and a third person in no call. */
export interface RingingCallServer {
  server: TestServer;
  alice: TestClient;
  /** Bob's first device, and the one linked to his account as 'phone': both ring. */
  bob: TestClient;
  bobPhone: TestClient;
  carol: TestClient;
  callId: string;
}

/**
 * Starts a real server, signs in alice, bob (and his phone) and carol, and has alice ring bob with
 * a video call; resolves once both of bob's devices ring.
 */
export async function startRingingCallServer(): Promise<RingingCallServer> {
  const server = await TestServer.start();
  try {
    const alice = await server.registered('alice');
    const bob = await server.registered('bob');
    const bobPhone = await server.linkedDevice(bob, 'phone');
    const carol = await server.registered('carol');
    const callId = randomUUID();
    await alice.invite(callId, 'bob', 'video', 'offer');
    await Promise.all([bob.nextOf('call.invite', callId), bobPhone.nextOf('call.invite', callId)]);
    return { server, alice, bob, bobPhone, carol, callId };
  } catch (error) {
    // The caller never gets the server to stop: stop it here, so the failure is all that is left.
    await server.dispose();
    throw error;
  }
}

/**
 * The identity chain the server gives of `linked`, a device linked by `first` (bob's phone, by
 * bob): first's key, then linked's, certified by first through a link code.
 */
export function linkedDeviceChain(first: TestClient, linked: TestClient) {
  return [
    { identityKey: first.keys.identityKey, signature: null },
    {
      identityKey: linked.keys.identityKey,
      signature: expect.any(String),
      link: { code: expect.any(String), expiresAt: expect.any(Number) },
    },
  ];
}
