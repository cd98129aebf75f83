import { createPublicKey, randomBytes, randomUUID, verify } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as keytar from 'keytar';
import { DeviceIdentity } from '../../../main/identity/DeviceIdentity';
import { KeychainStore } from '../../../main/keychain/KeychainStore';
import {
  linkRequestText,
  loginChallengeText,
  registerChallengeText,
  resumeChallengeText,
} from '../../../protocol/auth';
import {
  callKeyShareText,
  legacyLinkCertificateText,
  linkCertificateText,
} from '../../../protocol/identity';
import type { CallKeyShareInput } from '../../../protocol/ipc';
import { IdentityKey, Signature } from '../../../protocol/primitives';
import { createIpcHarness, HARNESS_SERVER_ORIGIN, type IpcHarness } from '../ipc/ipcHarness';
import { requireSecretService, uniqueServiceName } from '../secretService';

/** Ed25519 SPKI DER is this fixed prefix followed by the raw 32-byte public key. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function verifies(publicKeyBase64: string, text: string, signatureBase64: string): boolean {
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyBase64, 'base64')]),
    format: 'der',
    type: 'spki',
  });
  return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signatureBase64, 'base64'));
}

/** An SDP `a=fingerprint` value as the protocol writes it. */
function dtlsFingerprint(digest: Buffer): string {
  return `sha-256 ${Array.from(digest, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const nonce = randomBytes(32).toString('base64');
const origin = HARNESS_SERVER_ORIGIN;
let harness: IpcHarness;

beforeAll(requireSecretService);
beforeEach(async () => {
  harness = await createIpcHarness();
});
afterEach(() => harness.dispose());

describe('device identity in main, key in the keychain only', () => {
  it('signs register and login challenges that verify with the public key it reports', async () => {
    const publicKey = (await harness.invoke('identity:create', [])) as string;
    expect(IdentityKey.safeParse(publicKey).success).toBe(true);
    expect(await harness.invoke('identity:public-key', [])).toBe(publicKey);

    const registerSig = (await harness.invoke('identity:sign-register', [
      { nonce, username: 'alice' },
    ])) as string;
    expect(Signature.safeParse(registerSig).success).toBe(true);
    const register = { origin, nonce, username: 'alice', identityKey: publicKey };
    expect(verifies(publicKey, registerChallengeText(register), registerSig)).toBe(true);
    // Bound to the account and to main's server: it passes for no other username or server.
    expect(
      verifies(publicKey, registerChallengeText({ ...register, username: 'mallory' }), registerSig),
    ).toBe(false);
    expect(
      verifies(
        publicKey,
        registerChallengeText({ ...register, origin: 'wss://evil.example' }),
        registerSig,
      ),
    ).toBe(false);

    await harness.invoke('account:set', [
      { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' },
    ]);
    const loginSig = (await harness.invoke('identity:sign-login', [
      { nonce, username: 'alice', deviceId: 'device-0001' },
    ])) as string;
    const login = { origin, nonce, username: 'alice', deviceId: 'device-0001' };
    expect(verifies(publicKey, loginChallengeText(login), loginSig)).toBe(true);
    expect(
      verifies(
        publicKey,
        loginChallengeText({ ...login, origin: 'ws://127.0.0.1:4001' }),
        loginSig,
      ),
    ).toBe(false);
  });

  it('signs a session resume for one nonce and session at its own server only', async () => {
    const publicKey = (await harness.invoke('identity:create', [])) as string;
    const sessionId = randomBytes(32).toString('base64');
    await expect(harness.invoke('identity:sign-resume', [{ nonce, sessionId }])).rejects.toThrow(
      'Parley IPC "identity:sign-resume" refused: no account is stored on this device',
    );
    await harness.invoke('account:set', [
      { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' },
    ]);
    const signature = (await harness.invoke('identity:sign-resume', [
      { nonce, sessionId },
    ])) as string;
    const resume = { origin, nonce, sessionId };
    expect(verifies(publicKey, resumeChallengeText(resume), signature)).toBe(true);
    expect(
      verifies(
        publicKey,
        resumeChallengeText({ ...resume, origin: 'wss://evil.example' }),
        signature,
      ),
    ).toBe(false);
    const otherNonce = randomBytes(32).toString('base64');
    expect(
      verifies(publicKey, resumeChallengeText({ ...resume, nonce: otherNonce }), signature),
    ).toBe(false);
  });

  it('keeps the private key out of every file under the user data folder', async () => {
    const publicKey = (await harness.invoke('identity:create', [])) as string;
    await harness.invoke('identity:sign-register', [{ nonce, username: 'alice' }]);
    await harness.invoke('account:set', [
      { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' },
    ]);
    await harness.invoke('identity:sign-login', [
      { nonce, username: 'alice', deviceId: 'device-0001' },
    ]);
    await harness.invoke('pins:put', [
      { username: 'bob', identityKey: publicKey, verified: true, firstSeenAt: Date.now() },
    ]);

    const { privateKey } = await harness.secrets();
    expect(privateKey).not.toBeNull();
    const pkcs8 = Buffer.from(privateKey as string, 'base64');
    const seed = pkcs8.subarray(pkcs8.length - 32); // the raw Ed25519 private key
    const needles = [
      pkcs8,
      seed,
      Buffer.from(pkcs8.toString('base64')),
      Buffer.from(seed.toString('base64')),
      Buffer.from(seed.toString('base64url')), // as a JWK "d" would hold it
      Buffer.from(seed.toString('hex')),
    ];

    const files = await filesUnder(harness.userDataDir);
    expect(files.map((f) => f.slice(harness.accountDir.length)).sort()).toEqual([
      '/account.json',
      '/pins/alice.json',
    ]);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const needle of needles) expect(bytes.includes(needle)).toBe(false);
    }
    // The account file holds what it should, and the public key is not a secret.
    expect(JSON.parse(await readFile(harness.accountFile.path, 'utf8'))).toEqual({
      username: 'alice',
      displayName: 'Alice',
      deviceId: 'device-0001',
    });
    expect(Buffer.from(publicKey, 'base64').equals(seed)).toBe(false);
  });

  it('signs call key shares over the exact protocol text, for both roles', async () => {
    const publicKey = (await harness.invoke('identity:create', [])) as string;
    await harness.invoke('account:set', [
      { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' },
    ]);
    for (const role of ['caller', 'callee'] as const) {
      const digest = randomBytes(32);
      const share: CallKeyShareInput = {
        role,
        callId: randomUUID(),
        username: 'alice',
        deviceId: 'device-0001',
        ephemeralKey: randomBytes(32).toString('base64'),
        fingerprint: dtlsFingerprint(digest),
      };
      const { signature, signedAt } = (await harness.invoke('identity:sign-call-key', [share])) as {
        signature: string;
        signedAt: number;
      };
      expect(Signature.safeParse(signature).success).toBe(true);
      const signed = { ...share, signedAt };
      expect(verifies(publicKey, callKeyShareText(signed), signature)).toBe(true);
      // A share replayed under the other role, with another SDP fingerprint or another time,
      // does not verify.
      const otherRole = role === 'caller' ? 'callee' : 'caller';
      expect(verifies(publicKey, callKeyShareText({ ...signed, role: otherRole }), signature)).toBe(
        false,
      );
      const otherDigest = Buffer.from(digest);
      otherDigest[0] = (digest[0] as number) ^ 1;
      const tampered = { ...signed, fingerprint: dtlsFingerprint(otherDigest) };
      expect(verifies(publicKey, callKeyShareText(tampered), signature)).toBe(false);
      const later = { ...signed, signedAt: signedAt + 1 };
      expect(verifies(publicKey, callKeyShareText(later), signature)).toBe(false);
    }
  });

  it('signs a link request that binds its own public key to the nonce', async () => {
    const publicKey = (await harness.invoke('identity:create', [])) as string;
    const signature = (await harness.invoke('identity:sign-link-request', [{ nonce }])) as string;
    expect(
      verifies(publicKey, linkRequestText({ origin, nonce, identityKey: publicKey }), signature),
    ).toBe(true);
    const literal = `parley-auth-v2\nlink\n${origin}\n${nonce}\n${publicKey}`;
    expect(verifies(publicKey, literal, signature)).toBe(true);
    expect(verifies(publicKey, `parley-auth-v1\nlink\n${nonce}\n${publicKey}`, signature)).toBe(
      false,
    );
    const otherNonce = randomBytes(32).toString('base64');
    expect(
      verifies(
        publicKey,
        linkRequestText({ origin, nonce: otherNonce, identityKey: publicKey }),
        signature,
      ),
    ).toBe(false);
  });

  it('certifies a new device key for its own account and one link over the v2 certificate text', async () => {
    const publicKey = (await harness.invoke('identity:create', [])) as string;
    await harness.invoke('account:set', [
      { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' },
    ]);
    const newDeviceKey = randomBytes(32).toString('base64');
    const link = { code: '7KQ2-M9XD-4TRB', expiresAt: Date.now() + 300_000 };
    const signature = (await harness.invoke('identity:sign-link-certificate', [
      { username: 'alice', identityKey: newDeviceKey, deviceName: 'Phone', ...link },
    ])) as string;
    const certified = { username: 'alice', identityKey: newDeviceKey, ...link };
    expect(verifies(publicKey, linkCertificateText(certified), signature)).toBe(true);
    const literal = `parley-link-v2\ncertify\nalice\n${newDeviceKey}\n${link.code}\n${link.expiresAt}`;
    expect(verifies(publicKey, literal, signature)).toBe(true);
    expect(
      verifies(publicKey, linkCertificateText({ ...certified, username: 'mallory' }), signature),
    ).toBe(false);
    expect(
      verifies(publicKey, linkCertificateText({ ...certified, code: '7KQ2-M9XD-4TRC' }), signature),
    ).toBe(false);
    expect(verifies(publicKey, legacyLinkCertificateText('alice', newDeviceKey), signature)).toBe(
      false,
    );
  });

  it('creates the key once: a second create keeps the registered key', async () => {
    const first = await harness.invoke('identity:create', []);
    const stored = (await harness.secrets()).privateKey;
    expect(await harness.invoke('identity:create', [])).toBe(first);
    expect((await harness.secrets()).privateKey).toBe(stored);
  });

  it('has no public key and refuses to sign before the identity exists', async () => {
    expect(await harness.invoke('identity:public-key', [])).toBeNull();
    await expect(
      harness.invoke('identity:sign-register', [{ nonce, username: 'alice' }]),
    ).rejects.toThrow('identity: no device identity yet; create it first');
    await expect(harness.invoke('identity:sign-link-request', [{ nonce }])).rejects.toThrow(
      'identity: no device identity yet; create it first',
    );
  });

  it('refuses a keychain entry that is not an Ed25519 PKCS8 key', async () => {
    const service = uniqueServiceName('corrupt');
    const keychain = new KeychainStore(keytar, service, origin);
    const identity = new DeviceIdentity(keychain, origin);
    try {
      await keychain.setIdentityPrivateKey(Buffer.from('not a key').toString('base64'));
      await expect(identity.publicKey()).rejects.toThrow('not a valid PKCS8 key');
    } finally {
      await keychain.deleteIdentityPrivateKey();
    }
  });
});
