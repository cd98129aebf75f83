import {
  callKeyShareText,
  linkCertificateText,
  linkRequestText,
  loginChallengeText,
  memberKeyShareText,
  registerChallengeText,
  resumeChallengeText,
  serverOrigin,
  type CallKeyShareInput,
  type SignedCallKeyShare,
  type ContactPin,
  type LinkCertificateInput,
  type MemberKeyShareInput,
  type StoredAccount,
} from '../../protocol';
import { bytesToBase64 } from '../keys/keyEncoding';
import { UserFacingError } from '../state/UserFacingError';
import { callLinkFromFragment } from './callLinkFragment';
import { DeviceTabLock } from './DeviceTabLock';
import type { Host, TabCapabilities } from './Host';
import { WebDeviceStore, type WebDeviceRecord } from './WebDeviceStore';

const TAB_ACCOUNT_KEY = 'parley.tab-account';

/**
 * The host in a plain browser. The identity key is a non-extractable Ed25519 CryptoKey kept in
 * IndexedDB; each page load signs in by challenge.
 * One tab at a time uses an account's device (DeviceTabLock): a further tab of the same browser
 * profile finds the account in use elsewhere and may take it over ("Use here").
 */
export class WebHost implements Host {
  readonly kind = 'web';
  readonly deviceName = 'Web browser';
  readonly tabs: TabCapabilities;
  private device: WebDeviceRecord | null = null;
  /** The account another tab uses, when this tab has none of its own. */
  private inUseElsewhere: WebDeviceRecord | null = null;
  private pendingKeyPair: CryptoKeyPair | null = null;
  private readonly tabLock = new DeviceTabLock();

  private constructor(private readonly store: WebDeviceStore) {
    this.tabs = {
      inUseElsewhere: () => this.inUseElsewhere && accountOf(this.inUseElsewhere),
      useHere: () => this.useHere(),
      whenTakenAway: (leave) =>
        this.tabLock.whenAskedToLetGo(() => {
          leave();
          this.inUseElsewhere = this.device;
          this.device = null;
        }),
      takeCallLink: () => {
        const token = callLinkFromFragment(location.hash);
        if (location.hash) history.replaceState(null, '', location.pathname + location.search);
        return token;
      },
    };
  }

  static async create(): Promise<WebHost> {
    if (!window.isSecureContext || !crypto.subtle) {
      throw new UserFacingError(
        'Parley needs a secure page (https:// or localhost) for its encryption keys.',
      );
    }
    return new WebHost(await openDeviceStore());
  }

  async serverUrl(): Promise<string> {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/ws`;
  }

  async getAccount(): Promise<StoredAccount | null> {
    if (!this.device) this.device = await this.claimFreeDevice();
    return this.device ? accountOf(this.device) : null;
  }

  async setAccount(account: StoredAccount): Promise<void> {
    const keyPair = this.pendingKeyPair ?? this.device?.keyPair;
    if (!keyPair) throw new Error('Create the identity key before storing the account');
    if (this.device && this.device.username !== account.username) this.tabLock.unlock();
    if (!this.tabLock.holds(account.username) && !(await this.tabLock.tryLock(account.username))) {
      throw new Error(`Account ${account.username} is in use in another tab`);
    }
    const record: WebDeviceRecord = { ...account, keyPair };
    await this.store.put(record);
    this.device = record;
    this.pendingKeyPair = null;
    sessionStorage.setItem(TAB_ACCOUNT_KEY, account.username);
  }

  async clearAccount(): Promise<void> {
    if (this.device) await this.store.delete(this.device.username);
    this.device = null;
    this.tabLock.unlock();
    sessionStorage.removeItem(TAB_ACCOUNT_KEY);
  }

  async getIdentityPublicKey(): Promise<string | null> {
    const keyPair = this.device?.keyPair ?? this.pendingKeyPair;
    if (!keyPair) return null;
    return bytesToBase64(await crypto.subtle.exportKey('raw', keyPair.publicKey));
  }

  async createIdentity(): Promise<string> {
    this.pendingKeyPair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
      'sign',
      'verify',
    ]);
    return bytesToBase64(await crypto.subtle.exportKey('raw', this.pendingKeyPair.publicKey));
  }

  async signRegisterChallenge(nonce: string, username: string): Promise<string> {
    const identityKey = await this.getIdentityPublicKey();
    if (!identityKey) throw new Error('No identity key to sign with');
    const origin = await this.origin();
    return this.sign(registerChallengeText({ origin, nonce, username, identityKey }));
  }

  async signLoginChallenge(nonce: string, username: string, deviceId: string): Promise<string> {
    return this.sign(
      loginChallengeText({ origin: await this.origin(), nonce, username, deviceId }),
    );
  }

  async signResumeChallenge(nonce: string, sessionId: string): Promise<string> {
    return this.sign(resumeChallengeText({ origin: await this.origin(), nonce, sessionId }));
  }

  async signCallKeyShare(input: CallKeyShareInput): Promise<SignedCallKeyShare> {
    const signedAt = Date.now();
    return { signature: await this.sign(callKeyShareText({ ...input, signedAt })), signedAt };
  }

  async signMemberKeyShare(input: MemberKeyShareInput): Promise<SignedCallKeyShare> {
    const signedAt = Date.now();
    return { signature: await this.sign(memberKeyShareText({ ...input, signedAt })), signedAt };
  }

  async signLinkRequest(nonce: string): Promise<string> {
    const identityKey = await this.getIdentityPublicKey();
    if (!identityKey) throw new Error('No identity key to sign with');
    return this.sign(linkRequestText({ origin: await this.origin(), nonce, identityKey }));
  }

  /** The web app has no main to ask: the page that shows the device to the user signs. */
  async signLinkCertificate(input: LinkCertificateInput): Promise<string> {
    return this.sign(linkCertificateText(input));
  }

  async getPins(): Promise<ContactPin[]> {
    return this.device ? this.store.listPins(this.device.username) : [];
  }

  async putPin(pin: ContactPin): Promise<void> {
    if (!this.device) throw new Error('Sign in before pinning contact keys');
    await this.store.putPin(this.device.username, pin);
  }

  /** The origin sign-in texts name: the server this page came from, as its socket reaches it. */
  private async origin(): Promise<string> {
    return serverOrigin(await this.serverUrl());
  }

  private async sign(text: string): Promise<string> {
    const keyPair = this.device?.keyPair ?? this.pendingKeyPair;
    if (!keyPair) throw new Error('No identity key to sign with');
    const signature = await crypto.subtle.sign(
      { name: 'Ed25519' },
      keyPair.privateKey,
      new TextEncoder().encode(text),
    );
    return bytesToBase64(signature);
  }

  /**
   * The account this tab used before a reload comes first, then any other free one. When every
   * account is in use in another tab, the first of them is the one this tab may take over.
   */
  private async claimFreeDevice(): Promise<WebDeviceRecord | null> {
    const hint = sessionStorage.getItem(TAB_ACCOUNT_KEY);
    const records = (await this.store.list()).sort(
      (a, b) => Number(b.username === hint) - Number(a.username === hint),
    );
    for (const record of records) {
      if (await this.tabLock.tryLock(record.username)) return record;
    }
    this.inUseElsewhere = records[0] ?? null;
    return null;
  }

  /** Waits until the tab using the account has let go, then uses it here as it now stands. */
  private async useHere(): Promise<void> {
    const wanted = this.inUseElsewhere;
    if (!wanted) return;
    await this.tabLock.takeOver(wanted.username);
    this.inUseElsewhere = null;
    // The other tab may have changed the account meanwhile (a new display name) or removed it.
    this.device = (await this.store.list()).find((r) => r.username === wanted.username) ?? null;
    if (this.device) sessionStorage.setItem(TAB_ACCOUNT_KEY, wanted.username);
    else this.tabLock.unlock();
  }
}

/**
 * The store of this browser's device keys. Browsers refuse it where site data is blocked (and some
 * private windows); without it there is nowhere to keep the key, so say how to get one.
 */
async function openDeviceStore(): Promise<WebDeviceStore> {
  try {
    return await WebDeviceStore.open();
  } catch (error) {
    console.error('parley: the device store did not open', error);
    throw new UserFacingError(
      "This browser won't let Parley keep its keys on this computer. Allow this site to store data, or open Parley in a window that is not private.",
    );
  }
}

function accountOf(record: WebDeviceRecord): StoredAccount {
  return { username: record.username, displayName: record.displayName, deviceId: record.deviceId };
}
