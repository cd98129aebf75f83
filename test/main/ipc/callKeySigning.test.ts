import { CALL_KEY_SIGNING_BURST } from '../../../main/identity/CallKeySigningLimit';
import { KEY_SHARE_MAX_AGE_MS, type KeyShare } from '../../../protocol';
import { verifyKeyShare } from '../../../renderer/keys/callKeyShare';
import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import { KeyShareReplayGuard } from '../../../renderer/keys/KeyShareReplayGuard';
import { requireSecretService } from '../secretService';
import type { IpcHarness } from './ipcHarness';
import { callShareInput, signedInHarness } from './signedInHarness';

/**
 * A hostile page asks main for call key shares through the real IPC handlers (real keychain, real
 * account file): it gets a few, each with main's time in it, and a peer refuses them once stale
 * or seen.
 */

let harness: IpcHarness;
let publicKey: string;

async function sign(input: ReturnType<typeof callShareInput>): Promise<KeyShare> {
  const signed = (await harness.invoke('identity:sign-call-key', [input])) as {
    signature: string;
    signedAt: number;
  };
  return { ephemeralKey: input.ephemeralKey, fingerprint: input.fingerprint, ...signed };
}

/** What the peer's verification says of a share: 'accepted' or the refusal's reason. */
async function peerVerdict(
  input: ReturnType<typeof callShareInput>,
  share: KeyShare,
  checks: { now: number; replays: KeyShareReplayGuard },
): Promise<string> {
  const context = {
    role: input.role,
    callId: input.callId,
    username: 'alice',
    deviceId: 'device-0001',
  };
  return verifyKeyShare(share, context, publicKey, checks).then(
    () => 'accepted',
    (error: unknown) => (error instanceof IdentityVerificationError ? error.reason : String(error)),
  );
}

beforeAll(requireSecretService);
beforeEach(async () => {
  ({ harness, publicKey } = await signedInHarness());
});
afterEach(() => harness.dispose());

describe('call key shares signed by main', () => {
  it(`signs ${CALL_KEY_SIGNING_BURST} shares at once, then refuses and signs nothing`, async () => {
    const replays = new KeyShareReplayGuard();
    for (let i = 0; i < CALL_KEY_SIGNING_BURST; i += 1) {
      const input = callShareInput();
      const share = await sign(input);
      expect(await peerVerdict(input, share, { now: Date.now(), replays })).toBe('accepted');
    }
    harness.keytarCalls.length = 0;
    await expect(harness.invoke('identity:sign-call-key', [callShareInput()])).rejects.toThrow(
      /^Parley IPC "identity:sign-call-key" refused: too many call key shares signed; try again in \d+ s$/,
    );
    expect(harness.keytarCalls).toEqual([]); // the private key was not even read
  });

  it("puts main's own time into the signed text, and refuses a time the page names", async () => {
    const future = Date.now() + 3_600_000;
    await expect(
      harness.invoke('identity:sign-call-key', [{ ...callShareInput(), signedAt: future }]),
    ).rejects.toThrow('Parley IPC "identity:sign-call-key" refused: invalid arguments');
    const before = Date.now();
    const input = callShareInput();
    const share = await sign(input);
    expect(share.signedAt).toBeGreaterThanOrEqual(before);
    expect(share.signedAt).toBeLessThanOrEqual(Date.now());
    // Presenting the share with another time breaks its signature.
    const replays = new KeyShareReplayGuard();
    expect(await peerVerdict(input, { ...share, signedAt: future }, { now: future, replays })).toBe(
      'share_signature',
    );
  });

  it('gives shares a peer refuses once they are older than the window, or seen before', async () => {
    const input = callShareInput();
    const share = await sign(input);
    const later = share.signedAt + KEY_SHARE_MAX_AGE_MS + 1;
    expect(
      await peerVerdict(input, share, { now: later, replays: new KeyShareReplayGuard() }),
    ).toBe('share_stale');
    const replays = new KeyShareReplayGuard();
    expect(await peerVerdict(input, share, { now: Date.now(), replays })).toBe('accepted');
    expect(await peerVerdict(input, share, { now: Date.now(), replays })).toBe('share_replayed');
  });
});
