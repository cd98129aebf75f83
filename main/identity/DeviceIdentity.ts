import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import {
  linkRequestText,
  loginChallengeText,
  registerChallengeText,
  resumeChallengeText,
} from '../../protocol/auth';
import { callKeyShareText, linkCertificateText, memberKeyShareText } from '../../protocol/identity';
import type { CallKeyShareInput, MemberKeyShareInput } from '../../protocol/ipc';
import type { KeychainStore } from '../keychain/KeychainStore';

/**
 * The device's Ed25519 identity for one server. The private key exists only in the keychain
 * (PKCS8 DER, base64) and in this process while signing; callers get the public key and
 * signatures, never the key. Every sign-in text names `serverOrigin`, main's own record of the
 * server it connects to, so no caller can get a signature to use at another server.
 */
export class DeviceIdentity {
  constructor(
    private readonly keychain: KeychainStore,
    private readonly serverOrigin: string,
  ) {}

  /** Raw 32-byte public key, base64, or null before the first run created one. */
  async publicKey(): Promise<string | null> {
    const privateKey = await this.loadPrivateKey();
    return privateKey ? rawPublicKey(privateKey) : null;
  }

  /**
   * Creates the key pair on first run. If one exists it is kept and its public key returned:
   * replacing a registered key would lock the device out of its account.
   */
  async create(): Promise<string> {
    const existing = await this.loadPrivateKey();
    if (existing) return rawPublicKey(existing);
    const { privateKey } = generateKeyPairSync('ed25519');
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    await this.keychain.setIdentityPrivateKey(pkcs8.toString('base64'));
    return rawPublicKey(privateKey);
  }

  /** Signs the register challenge text, which binds this device's own public key. */
  async signRegisterChallenge(input: { nonce: string; username: string }): Promise<string> {
    const privateKey = await this.requirePrivateKey();
    const text = registerChallengeText({
      origin: this.serverOrigin,
      nonce: input.nonce,
      username: input.username,
      identityKey: rawPublicKey(privateKey),
    });
    return signText(privateKey, text);
  }

  async signLoginChallenge(input: {
    nonce: string;
    username: string;
    deviceId: string;
  }): Promise<string> {
    const privateKey = await this.requirePrivateKey();
    return signText(privateKey, loginChallengeText({ origin: this.serverOrigin, ...input }));
  }

  /** Signs a session resume: proof, for one fresh nonce, that this device holds its key. */
  async signResumeChallenge(input: { nonce: string; sessionId: string }): Promise<string> {
    const privateKey = await this.requirePrivateKey();
    return signText(privateKey, resumeChallengeText({ origin: this.serverOrigin, ...input }));
  }

  /**
   * Signs a per-call key share. Whether `username` and `deviceId` are this device's own, the time
   * and the signing rate are the caller's checks (main's IPC handler).
   */
  async signCallKeyShare(input: CallKeyShareInput & { signedAt: number }): Promise<string> {
    const privateKey = await this.requirePrivateKey();
    return signText(privateKey, callKeyShareText(input));
  }

  /** Signs a group-call member share; the same checks as signCallKeyShare are the caller's. */
  async signMemberKeyShare(input: MemberKeyShareInput & { signedAt: number }): Promise<string> {
    const privateKey = await this.requirePrivateKey();
    return signText(privateKey, memberKeyShareText(input));
  }

  /** Signs a link request, which binds this device's own public key (proof of possession). */
  async signLinkRequest(input: { nonce: string }): Promise<string> {
    const privateKey = await this.requirePrivateKey();
    const text = linkRequestText({
      origin: this.serverOrigin,
      nonce: input.nonce,
      identityKey: rawPublicKey(privateKey),
    });
    return signText(privateKey, text);
  }

  /**
   * Certifies another device's key for the account, for one link code (main's LinkCertifier asks
   * the user first). Certifying its own key would be meaningless
   * (it is already on the chain) and is refused, as a sign of a confused or hostile caller.
   */
  async signLinkCertificate(input: {
    username: string;
    identityKey: string;
    code: string;
    expiresAt: number;
  }): Promise<string> {
    const privateKey = await this.requirePrivateKey();
    if (input.identityKey === rawPublicKey(privateKey)) {
      throw new Error("identity: refusing to certify this device's own key");
    }
    return signText(privateKey, linkCertificateText(input));
  }

  /** Forgets the identity (the account is being removed from this device). */
  async destroy(): Promise<void> {
    await this.keychain.deleteIdentityPrivateKey();
  }

  private async requirePrivateKey(): Promise<KeyObject> {
    const privateKey = await this.loadPrivateKey();
    if (!privateKey) throw new Error('identity: no device identity yet; create it first');
    return privateKey;
  }

  private async loadPrivateKey(): Promise<KeyObject | null> {
    const stored = await this.keychain.getIdentityPrivateKey();
    if (stored === null) return null;
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: Buffer.from(stored, 'base64'), format: 'der', type: 'pkcs8' });
    } catch (error) {
      throw new Error('identity: the keychain entry is not a valid PKCS8 key', { cause: error });
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new Error(`identity: the keychain holds a ${key.asymmetricKeyType} key, not Ed25519`);
    }
    return key;
  }
}

function rawPublicKey(privateKey: KeyObject): string {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('identity: could not derive the public key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

function signText(privateKey: KeyObject, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
}
