import { randomBytes, randomUUID } from 'node:crypto';
import { createIpcHarness, type IpcHarness } from './ipcHarness';

/** The account the device under test is signed in as. */
export const signedInAccount = { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' };

/** What a page asks main to sign for a 1:1 call it starts: a new ephemeral key and fingerprint. */
export const callShareInput = (callId = randomUUID()) => ({
  role: 'caller' as const,
  callId,
  username: 'alice',
  deviceId: 'device-0001',
  ephemeralKey: randomBytes(32).toString('base64'),
  fingerprint: `sha-256 ${randomBytes(32).toString('hex').toUpperCase().match(/../g)?.join(':')}`,
});

/**
 * Main's IPC harness for a device with a new identity, signed in as `signedInAccount`; resolves
 * with the identity's public key too, which peers verify its signatures with.
 */
export async function signedInHarness(): Promise<{ harness: IpcHarness; publicKey: string }> {
  const harness = await createIpcHarness();
  try {
    const publicKey = (await harness.invoke('identity:create', [])) as string;
    await harness.invoke('account:set', [signedInAccount]);
    return { harness, publicKey };
  } catch (error) {
    // The caller never gets the harness to dispose of: dispose of it here.
    await harness.dispose();
    throw error;
  }
}
