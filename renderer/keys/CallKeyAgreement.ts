import { IdentityVerificationError } from './IdentityVerificationError';
import { type CallBaseKeys, deriveCallBaseKeys } from './keyDerivation';
import { base64ToBytes, bytesToBase64 } from './keyEncoding';

/**
 * One device's side of a call's key agreement: a fresh X25519 key pair (the private half never
 * leaves Web Crypto), and the two senders' SFrame base keys once the peer's share is known.
 */
export class CallKeyAgreement {
  private constructor(
    private readonly privateKey: CryptoKey,
    /** Raw 32-byte public key, base64: the key share's ephemeralKey. */
    readonly publicKey: string,
  ) {}

  static async create(): Promise<CallKeyAgreement> {
    const pair = (await crypto.subtle.generateKey({ name: 'X25519' }, false, [
      'deriveBits',
    ])) as CryptoKeyPair;
    return CallKeyAgreement.fromKeyPair(pair);
  }

  /** An agreement over a given X25519 pair (create() makes a fresh one per call). */
  static async fromKeyPair(pair: CryptoKeyPair): Promise<CallKeyAgreement> {
    const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
    return new CallKeyAgreement(pair.privateKey, bytesToBase64(raw));
  }

  /** Both senders' epoch-0 base keys; refuses a peer key that yields no shared secret. */
  async deriveBaseKeys(peerPublicKey: string, callId: string): Promise<CallBaseKeys> {
    const shared = await this.sharedSecret(peerPublicKey);
    try {
      return await deriveCallBaseKeys(shared, callId);
    } finally {
      shared.fill(0);
    }
  }

  /**
   * X25519(our private key, the peer's raw public key): 32 bytes the caller zeroes once it has
   * derived its keys. Refuses a peer key that yields no shared secret.
   */
  async sharedSecret(peerPublicKey: string): Promise<Uint8Array<ArrayBuffer>> {
    try {
      const peer = await crypto.subtle.importKey(
        'raw',
        base64ToBytes(peerPublicKey),
        { name: 'X25519' },
        false,
        [],
      );
      const bits = await crypto.subtle.deriveBits(
        { name: 'X25519', public: peer },
        this.privateKey,
        256,
      );
      return new Uint8Array(bits);
    } catch (error) {
      // Web Crypto refuses low-order points (an all-zero shared secret).
      throw new IdentityVerificationError(
        'bad_ephemeral_key',
        'the peer ephemeral key is unusable',
        {
          cause: error,
        },
      );
    }
  }
}
