import { computed, signal } from '@preact/signals';
import type { DevicesModel } from '../devices/DevicesModel';
import { SignalingError } from '../signaling/RequestTracker';
import type { SignalingRequests } from '../signaling/SignalingClient';
import type { SessionModel } from './SessionModel';

/** What signing out does to this device, said before the user confirms it. */
export const SIGN_OUT_QUESTION =
  'Sign out of this device? This device is removed from your account and its key is deleted; you can link it again later from another device.';
/** The same, when no other device of the account would be left. */
export const SIGN_OUT_ONLY_DEVICE_QUESTION =
  "This is your account's only device. If you sign out, this device's key is deleted and nobody can sign in to your account any more: it becomes unreachable from here, for good. Sign out anyway?";

/**
 * Signing this device out for good: the server removes it from the account (as removing a
 * linked device does), then the host deletes its key and session.
 */
export class SignOutModel {
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  /** No other device of the account is known: signing out leaves nobody able to sign in. */
  readonly onlyDevice = computed(() => this.devices.devices.value.every((d) => d.current));

  constructor(
    private readonly signaling: SignalingRequests,
    private readonly devices: DevicesModel,
    private readonly session: SessionModel,
  ) {}

  question(): string {
    return this.onlyDevice.value ? SIGN_OUT_ONLY_DEVICE_QUESTION : SIGN_OUT_QUESTION;
  }

  /** Signs out once the user has confirmed `question()` (the UI asks). */
  async signOut(): Promise<void> {
    if (this.busy.value) return;
    this.busy.value = true;
    try {
      await this.signaling.request(
        'devices.leave',
        this.onlyDevice.value ? { lastDevice: true } : {},
      );
    } catch (error) {
      if (error instanceof SignalingError && error.code === 'last_device') {
        // The other devices went away since the list was loaded: ask again, with the warning.
        await this.devices.load();
        this.error.value =
          "Your other devices were removed meanwhile: this is now your account's only device. Nothing was changed.";
      } else {
        this.error.value = 'Could not sign out. Check your connection and try again.';
      }
      return;
    } finally {
      this.busy.value = false;
    }
    this.error.value = null;
    await this.session.onLeft();
  }
}
