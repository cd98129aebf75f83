import * as z from 'zod';

/**
 * Which microphone, camera and speaker this account chose on this browser or desktop. Device
 * ids are not secrets (the browser scopes them to the origin), so localStorage holds them,
 * keyed by account so two accounts on one machine keep their own choice.
 */
const DeviceId = z.string().min(1).max(256);
export const DeviceChoice = z.strictObject({
  microphone: DeviceId.optional(),
  camera: DeviceId.optional(),
  speaker: DeviceId.optional(),
});
export type DeviceChoice = z.infer<typeof DeviceChoice>;

/** The part of the Storage API used, so tests can pass a Map-backed one. */
export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

export class DevicePreferences {
  constructor(private readonly storage: PreferenceStorage) {}

  load(username: string): DeviceChoice {
    const text = this.storage.getItem(storageKey(username));
    if (text === null) return {};
    try {
      const parsed = DeviceChoice.safeParse(JSON.parse(text));
      // A damaged entry means "defaults", not a broken settings screen.
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  save(username: string, choice: DeviceChoice): void {
    this.storage.setItem(storageKey(username), JSON.stringify(DeviceChoice.parse(choice)));
  }
}

function storageKey(username: string): string {
  return `parley.devices.${username}`;
}
