import { randomBytes, randomUUID } from 'node:crypto';
import { CALL_KEY_SIGNING_BURST } from '../../../main/identity/CallKeySigningLimit';
import { KEY_SHARE_MAX_AGE_MS, type MemberKeyShare } from '../../../protocol';
import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import { KeyShareReplayGuard } from '../../../renderer/keys/KeyShareReplayGuard';
import { verifyMemberKeyShare } from '../../../renderer/keys/memberKeyShare';
import { requireSecretService } from '../secretService';
import type { IpcHarness } from './ipcHarness';
import { callShareInput, signedInHarness } from './signedInHarness';

/**
 * A hostile page asks main for group-call member shares through the real IPC handlers (real
 * keychain, real account file): main signs them only as this device, at its own time, within the
 * same rate as call shares, and other members verify them for their slot only.
 */
const memberShareFor = (slot = 2, callId = randomUUID()) => ({
  callId,
  slot,
  username: 'alice',
  deviceId: 'device-0001',
  ephemeralKey: randomBytes(32).toString('base64'),
});
type MemberShareInput = ReturnType<typeof memberShareFor>;

let harness: IpcHarness;
let publicKey: string;

async function sign(input: MemberShareInput): Promise<MemberKeyShare> {
  const signed = (await harness.invoke('identity:sign-member-key', [input])) as {
    signature: string;
    signedAt: number;
  };
  return { ephemeralKey: input.ephemeralKey, slot: input.slot, ...signed };
}

/** What another member's verification says of a share presented for `slot`. */
async function memberVerdict(
  input: MemberShareInput,
  share: MemberKeyShare,
  slot: number,
  checks: { now: number; replays: KeyShareReplayGuard } = {
    now: Date.now(),
    replays: new KeyShareReplayGuard(),
  },
): Promise<string> {
  const context = { callId: input.callId, slot, username: 'alice', deviceId: 'device-0001' };
  return verifyMemberKeyShare(share, context, publicKey, checks).then(
    () => 'accepted',
    (error: unknown) => (error instanceof IdentityVerificationError ? error.reason : String(error)),
  );
}

async function expectRefusedSigningNothing(args: unknown[], reason: string | RegExp) {
  harness.keytarCalls.length = 0;
  const refusal = harness.invoke('identity:sign-member-key', args);
  await expect(refusal).rejects.toThrow(
    typeof reason === 'string'
      ? `Parley IPC "identity:sign-member-key" refused: ${reason}`
      : reason,
  );
  expect(harness.keytarCalls).toEqual([]); // the private key was not even read
}

beforeAll(requireSecretService);
beforeEach(async () => {
  ({ harness, publicKey } = await signedInHarness());
});
afterEach(() => harness.dispose());

describe('member key shares signed by main', () => {
  it("signs the slot it is asked for, at main's time, and the share verifies for that slot only", async () => {
    const before = Date.now();
    const input = memberShareFor(2);
    const share = await sign(input);
    expect(share.signedAt).toBeGreaterThanOrEqual(before);
    expect(share.signedAt).toBeLessThanOrEqual(Date.now());
    expect(await memberVerdict(input, share, 2)).toBe('accepted');
    expect(await memberVerdict(input, { ...share, slot: 3 }, 3)).toBe('share_signature');
    expect(await memberVerdict(input, share, 3)).toBe('slot_mismatch');
  });

  it('gives shares another member refuses once stale, or seen before', async () => {
    const input = memberShareFor();
    const share = await sign(input);
    const later = share.signedAt + KEY_SHARE_MAX_AGE_MS + 1;
    expect(
      await memberVerdict(input, share, 2, { now: later, replays: new KeyShareReplayGuard() }),
    ).toBe('share_stale');
    const replays = new KeyShareReplayGuard();
    expect(await memberVerdict(input, share, 2, { now: Date.now(), replays })).toBe('accepted');
    expect(await memberVerdict(input, share, 2, { now: Date.now(), replays })).toBe(
      'share_replayed',
    );
  });

  it(`shares the call shares' rate: ${CALL_KEY_SIGNING_BURST} of both at once, then neither, and nothing is signed`, async () => {
    const calls = Math.floor(CALL_KEY_SIGNING_BURST / 2);
    for (let i = 0; i < calls; i += 1)
      await harness.invoke('identity:sign-call-key', [callShareInput()]);
    for (let i = calls; i < CALL_KEY_SIGNING_BURST; i += 1) await sign(memberShareFor());
    await expectRefusedSigningNothing(
      [memberShareFor()],
      /^Parley IPC "identity:sign-member-key" refused: too many call key shares signed; try again in \d+ s$/,
    );
    harness.keytarCalls.length = 0;
    await expect(harness.invoke('identity:sign-call-key', [callShareInput()])).rejects.toThrow(
      'too many call key shares signed',
    );
    expect(harness.keytarCalls).toEqual([]);
  });

  it('refuses a share naming another user or another device of the same user', async () => {
    for (const other of [{ username: 'mallory' }, { deviceId: 'device-0002' }]) {
      await expectRefusedSigningNothing(
        [{ ...memberShareFor(), ...other }],
        "the key share names another account or device than this device's",
      );
    }
  });

  it.each([
    ['a slot as text', { slot: '2' }],
    ['a negative slot', { slot: -1 }],
    ['a slot past 65535', { slot: 65_536 }],
    ['a fractional slot', { slot: 2.5 }],
    ['a call id that is no UUID', { callId: 'not-a-uuid' }],
    ['an over-long call id', { callId: `${randomUUID()}${'0'.repeat(10_000)}` }],
    ['an over-long username', { username: 'a'.repeat(33) }],
    ['an over-long device id', { deviceId: 'd'.repeat(65) }],
    ['a 33-byte ephemeral key', { ephemeralKey: randomBytes(33).toString('base64') }],
    ['a signing time of its own', { signedAt: Date.now() + 3_600_000 }],
    ['a DTLS fingerprint', { fingerprint: callShareInput().fingerprint }],
    ['a role', { role: 'caller' }],
  ])('refuses %s and signs nothing', async (_name, change) => {
    await expectRefusedSigningNothing([{ ...memberShareFor(), ...change }], 'invalid arguments');
  });

  it('refuses a missing field, and signs nothing with no account stored', async () => {
    const { slot: _slot, ...withoutSlot } = memberShareFor();
    await expectRefusedSigningNothing([withoutSlot], 'invalid arguments');
    await harness.accountFile.clear();
    await expectRefusedSigningNothing([memberShareFor()], 'no account is stored on this device');
  });
});
