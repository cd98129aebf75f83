import { signal } from '@preact/signals';
import { z } from 'zod';
import type { IceConfig } from '../../protocol';
import { iceNetwork, type IceNetwork } from '../call/iceConfiguration';
import type { PreferenceStorage } from '../media/DevicePreferences';

const Stored = z.strictObject({ alwaysRelay: z.boolean() });

/**
 * Which ICE servers calls use and when they must be relayed. Like WhatsApp's "Protect IP address
 * in calls" and Signal's "Always relay calls": with `alwaysRelay` every call goes through the
 * TURN relay, so the other side never learns this device's IP address; calls with someone who is
 * not a contact are relayed whatever the setting, placed or answered. The setting is a plain
 * preference (not a secret), kept per account on this browser or desktop like device choices.
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

  relayRequired(peer: string): boolean {
    return this.alwaysRelay.value || !this.isContact(peer);
  }

  /** The ICE configuration of a call with `peer`; throws RelayUnavailableError when it cannot be relayed. */
  networkFor(peer: string): IceNetwork {
    return iceNetwork(this.ice, this.relayRequired(peer));
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
