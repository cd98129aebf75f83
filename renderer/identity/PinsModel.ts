import { signal } from '@preact/signals';
import type { ContactPin } from '../../protocol';
import type { Host } from '../host/Host';

/** How a contact's current root key compares with the one this device pinned. */
export type IdentityStatus = 'new' | 'same' | 'changed';

export function identityStatusOf(pin: ContactPin | undefined, rootKey: string): IdentityStatus {
  if (!pin) return 'new';
  return pin.identityKey === rootKey ? 'same' : 'changed';
}

/**
 * The contact root keys this account pinned on this device (trust on first use), and whether the
 * user verified each by comparing safety numbers. A changed key is never re-pinned silently: only
 * acceptChangedKey does that, after the user saw the warning, and it clears "verified".
 */
export class PinsModel {
  readonly pins = signal<ReadonlyMap<string, ContactPin>>(new Map());
  private loaded: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: Pick<Host, 'getPins' | 'putPin'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the pins of the signed-in account; call after each sign-in. */
  load(): Promise<void> {
    this.loaded = this.host.getPins().then(
      (pins) => void (this.pins.value = new Map(pins.map((pin) => [pin.username, pin]))),
      (error: unknown) => console.warn('parley: could not read pinned keys', error),
    );
    return this.loaded;
  }

  /** Resolves once the latest load finished. */
  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  get(username: string): ContactPin | undefined {
    return this.pins.value.get(username);
  }

  identityStatus(username: string, rootKey: string): IdentityStatus {
    return identityStatusOf(this.get(username), rootKey);
  }

  isVerified(username: string, rootKey: string): boolean {
    const pin = this.get(username);
    return pin !== undefined && pin.identityKey === rootKey && pin.verified;
  }

  /** Pins a key seen for the first time; returns how it compared (a changed key stays unpinned). */
  async pinIfNew(username: string, rootKey: string): Promise<IdentityStatus> {
    await this.loaded;
    const status = this.identityStatus(username, rootKey);
    if (status === 'new') {
      await this.put({ username, identityKey: rootKey, verified: false, firstSeenAt: this.now() });
    }
    return status;
  }

  /** Pins every key not seen before (e.g. a freshly loaded contact list). */
  async pinAllNew(entries: readonly { username: string; identityKey: string }[]): Promise<void> {
    try {
      for (const entry of entries) await this.pinIfNew(entry.username, entry.identityKey);
    } catch (error) {
      console.warn('parley: could not pin contact keys', error);
    }
  }

  /** The user saw the "safety number has changed" warning and went on: trust the new key. */
  async acceptChangedKey(username: string, rootKey: string): Promise<void> {
    await this.loaded;
    if (this.identityStatus(username, rootKey) === 'same') return;
    await this.put({ username, identityKey: rootKey, verified: false, firstSeenAt: this.now() });
  }

  /**
   * Marks the key the user compared as verified (or not). Verifying a key that differs from the
   * pin means the user checked the new one, so it replaces the pin.
   */
  async setVerified(username: string, rootKey: string, verified: boolean): Promise<void> {
    await this.loaded;
    const pin = this.get(username);
    const same = pin?.identityKey === rootKey;
    if (!verified && !same) return;
    await this.put({
      username,
      identityKey: rootKey,
      verified,
      firstSeenAt: same && pin ? pin.firstSeenAt : this.now(),
    });
  }

  /** The Host's pin store, through this model, so pins made in the call path show at once. */
  async getPins(): Promise<ContactPin[]> {
    await this.loaded;
    return [...this.pins.value.values()];
  }

  putPin(pin: ContactPin): Promise<void> {
    return this.put(pin);
  }

  private async put(pin: ContactPin): Promise<void> {
    await this.host.putPin(pin);
    this.pins.value = new Map(this.pins.value).set(pin.username, pin);
  }
}
