import {
  type CallKeyShareInput,
  type ContactPin,
  type IdentityChain,
  type CertifiedLink,
  type MemberKeyShareInput,
  type SignedCallKeyShare,
  type StoredAccount,
  callKeyShareText,
  legacyLinkCertificateText,
  linkCertificateText,
  memberKeyShareText,
} from '../../../protocol';
import type { RoomKeysHost } from '../../../renderer/keys/RoomKeys';

const b64 = (bytes: ArrayBuffer | Uint8Array) =>
  Buffer.from(new Uint8Array(bytes)).toString('base64');

/** The link code and expiry the test chains' certificates are signed for. */
export const TEST_LINK: CertifiedLink = { code: '7KQ2-M9XD-4TRB', expiresAt: 1_764_093_900_000 };

/** A device identity: a real Ed25519 key pair in Node's Web Crypto, signing like a host does. */
export class TestDevice {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly identityKey: string,
    readonly username: string,
    readonly deviceId: string,
  ) {}

  static async create(username: string, deviceId: string): Promise<TestDevice> {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
    return new TestDevice(pair.privateKey, b64(raw), username, deviceId);
  }

  async sign(text: string): Promise<string> {
    return b64(
      await crypto.subtle.sign(
        { name: 'Ed25519' },
        this.privateKey,
        new TextEncoder().encode(text),
      ),
    );
  }

  /** The clock this device signs key shares at (a test with a fake clock sets its own). */
  clock: () => number = () => Date.now();

  /** Signs as a host does: the time in the text is this device's, never the caller's. */
  async signCallKeyShare(input: CallKeyShareInput): Promise<SignedCallKeyShare> {
    const signedAt = this.clock();
    return { signature: await this.sign(callKeyShareText({ ...input, signedAt })), signedAt };
  }

  /** Signs a group-call member share as a host does, at this device's own time. */
  async signMemberKeyShare(input: MemberKeyShareInput): Promise<SignedCallKeyShare> {
    const signedAt = this.clock();
    return { signature: await this.sign(memberKeyShareText({ ...input, signedAt })), signedAt };
  }

  /** The certificate this device gives a new device of the same account, for one link. */
  certify(identityKey: string, link: CertifiedLink = TEST_LINK): Promise<string> {
    return this.sign(linkCertificateText({ username: this.username, identityKey, ...link }));
  }

  /** A v1 certificate (no code, no expiry), as chains linked before v2 hold. */
  certifyV1(identityKey: string): Promise<string> {
    return this.sign(legacyLinkCertificateText(this.username, identityKey));
  }
}

/** The chain of `devices` linked one after another, the first being the root. */
export async function chainOf(devices: TestDevice[]): Promise<IdentityChain> {
  const chain: IdentityChain = [];
  for (const [index, device] of devices.entries()) {
    const signer = devices[index - 1];
    chain.push({
      identityKey: device.identityKey,
      ...(signer
        ? { signature: await signer.certify(device.identityKey), link: TEST_LINK }
        : { signature: null }),
    });
  }
  return chain;
}

/** The pins a host keeps, in memory (the web host keeps them in IndexedDB, main in a file). */
export class MemoryPins {
  readonly pins = new Map<string, ContactPin>();
  async getPins(): Promise<ContactPin[]> {
    return [...this.pins.values()];
  }
  async putPin(pin: ContactPin): Promise<void> {
    this.pins.set(pin.username, pin);
  }
}

/** What a host gives RoomKeys of `device`, signed in as `displayName`, with its pins in `pins`. */
export function roomKeysHost(
  device: TestDevice,
  displayName: string,
  pins: MemoryPins,
): RoomKeysHost {
  const account: StoredAccount = {
    username: device.username,
    displayName,
    deviceId: device.deviceId,
  };
  return {
    getAccount: async () => account,
    signMemberKeyShare: (input) => device.signMemberKeyShare(input),
    getPins: () => pins.getPins(),
    putPin: (pin) => pins.putPin(pin),
  };
}

/** An SDP offer or answer with one DTLS fingerprint, as Chromium writes it. */
export function sdpWithFingerprint(fingerprint: string): string {
  return [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    `a=fingerprint:${fingerprint}`,
    'a=setup:actpass',
    'a=rtpmap:111 opus/48000/2',
    '',
  ].join('\r\n');
}

export function randomFingerprint(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `sha-256 ${[...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
}
