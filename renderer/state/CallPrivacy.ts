import { signal } from '@preact/signals';
import * as z from 'zod';
import type { IceConfig } from '../../protocol';
import { iceNetwork, offersRelay, type IceNetwork } from '../call/iceConfiguration';
import type { PreferenceStorage } from '../media/DevicePreferences';

const Stored = z.strictObject({ alwaysRelay: z.boolean() });

/**
 * Which ICE servers calls use and when they must be relayed. Like WhatsApp's "Protect IP address
 * in calls" and Signal's "Always relay calls": with `alwaysRelay` every call goes through the
 * TURN relay, so the other side never learns this device's IP address, and a call fails with a
 * clear message where the server offers no relay. Calls with someone who is not a contact, placed
 * or answered, are relayed whenever the server offers a relay (a server without TURN, such as
 * `npm start`'s local one, serves devices that reach each other directly: they still connect).
 * The setting is a plain preference (not a secret), kept per account on this browser or desktop
 * like device choices.
 */
export class CallPrivacy {
  readonly alwaysRelay = signal(false);
  private ice: IceConfig = { servers: [], expiresAt: null };
  private username: string | null = null;

  constructor(
    private readonly storage: PreferenceStorage,
    private readonly isContact: (username: string) => boolean,
  ) {}

  /** The servers from `session`, `link.approved` or a later `ice.servers`. */
  useIceServers(ice: IceConfig): void {
    this.ice = ice;
  }

  /** Loads the signed-in account's setting. */
  load(username: string): void {
    this.username = username;
    this.alwaysRelay.value = readSetting(this.storage.getItem(storageKey(username)));
  }

  setAlwaysRelay(on: boolean): void {
    this.alwaysRelay.value = on;
    if (this.username) {
      this.storage.setItem(storageKey(this.username), JSON.stringify({ alwaysRelay: on }));
    }
  }

  /**
   * The ICE configuration of a call with `peer`; throws RelayUnavailableError when the user asked
   * for relayed calls and there is no relay.
   */
  networkFor(peer: string): IceNetwork {
    if (this.alwaysRelay.value) return iceNetwork(this.ice, true);
    return iceNetwork(this.ice, !this.isContact(peer) && offersRelay(this.ice));
  }

  /**
   * The ICE configuration for connecting while a call from `peer` rings, or null when it must not
   * connect before the user answers: ringing must never tell a stranger (or anyone, with
   * "always relay") our address, so without a relay such a call connects only on accept.
   */
  preconnectNetworkFor(peer: string): IceNetwork | null {
    const mustRelay = this.alwaysRelay.value || !this.isContact(peer);
    if (mustRelay && !offersRelay(this.ice)) return null;
    return this.networkFor(peer);
  }
}

function readSetting(text: string | null): boolean {
  if (text === null) return false;
  try {
    const parsed = Stored.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.alwaysRelay;
  } catch {
    return false;
  }
}

function storageKey(username: string): string {
  return `parley.callPrivacy.${username}`;
}
