import { isolateName } from '../../protocol/nameText';
import type { LinkCertificateInput } from '../../protocol/ipc';
import { deviceKeyFingerprint } from './deviceKeyFingerprint';

/** How far ahead a certificate's expiry may be: the server's link codes live five minutes. */
export const MAX_LINK_CERTIFICATE_LIFETIME_MS = 10 * 60 * 1000;

/**
 * How many codes main remembers having been asked about; each is forgotten once it has expired,
 * which is at most MAX_LINK_CERTIFICATE_LIFETIME_MS later.
 */
export const MAX_REMEMBERED_LINK_CODES = 32;

/** What the user is asked before this device certifies another one. */
export interface LinkConsentRequest {
  username: string;
  deviceName: string;
  /** deviceKeyFingerprint of the key being certified: the new device shows the same. */
  keyFingerprint: string;
  expiresAt: number;
}

/** Main's own dialog (native in the app, a fake in tests): true only when the user agreed. */
export interface LinkConsentPort {
  confirm(request: LinkConsentRequest): Promise<boolean>;
}

export class LinkCertificateRefusedError extends Error {
  constructor(readonly reason: string) {
    super(`link certificate refused: ${reason}`);
    this.name = 'LinkCertificateRefusedError';
  }
}

/**
 * Signs link certificates only with the user's consent, given in a dialog main owns that shows
 * the device name and the fingerprint of the very key being signed, and at most once per link
 * code (a code the user was asked about, whatever they answered, is never asked about again).
 * The expiry in the signed text must be in the future and at most
 * MAX_LINK_CERTIFICATE_LIFETIME_MS ahead, so a certificate cannot be kept for a later link.
 */
export class LinkCertifier {
  /** Code -> its expiry, for every code the user has been asked about and not yet expired. */
  private readonly askedCodes = new Map<string, number>();
  private asking = false;

  constructor(
    private readonly identity: {
      publicKey(): Promise<string | null>;
      signLinkCertificate(input: {
        username: string;
        identityKey: string;
        code: string;
        expiresAt: number;
      }): Promise<string>;
    },
    private readonly consent: LinkConsentPort,
    private readonly now: () => number,
  ) {}

  async certify(input: LinkCertificateInput): Promise<string> {
    const now = this.now();
    this.forgetExpired(now);
    if (input.expiresAt <= now) throw new LinkCertificateRefusedError('the link code has expired');
    if (input.expiresAt - now > MAX_LINK_CERTIFICATE_LIFETIME_MS) {
      throw new LinkCertificateRefusedError(
        `the expiry is more than ${MAX_LINK_CERTIFICATE_LIFETIME_MS / 60_000} minutes ahead`,
      );
    }
    if (this.askedCodes.has(input.code)) {
      throw new LinkCertificateRefusedError('this link code was already answered');
    }
    if (this.asking) throw new LinkCertificateRefusedError('another link is waiting for the user');
    if (this.askedCodes.size >= MAX_REMEMBERED_LINK_CODES) {
      throw new LinkCertificateRefusedError('too many links were asked about; try again later');
    }
    // Nothing above awaits, so a second call for the same code always finds it here.
    this.askedCodes.set(input.code, input.expiresAt);
    this.asking = true;
    let agreed: boolean;
    try {
      if (input.identityKey === (await this.identity.publicKey())) {
        this.askedCodes.delete(input.code);
        throw new LinkCertificateRefusedError("that is this device's own key");
      }
      agreed = await this.consent.confirm({
        username: input.username,
        deviceName: isolateName(input.deviceName),
        keyFingerprint: deviceKeyFingerprint(input.identityKey),
        expiresAt: input.expiresAt,
      });
    } finally {
      this.asking = false;
    }
    if (!agreed) throw new LinkCertificateRefusedError('the user did not approve the link');
    const { username, identityKey, code, expiresAt } = input;
    return this.identity.signLinkCertificate({ username, identityKey, code, expiresAt });
  }

  private forgetExpired(now: number): void {
    for (const [code, expiresAt] of this.askedCodes) {
      if (expiresAt <= now) this.askedCodes.delete(code);
    }
  }
}
