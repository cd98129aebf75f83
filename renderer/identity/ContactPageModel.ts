import { signal } from '@preact/signals';
import type { PinsModel } from './PinsModel';

/** Which contact's page is open, and marking that contact's current key verified or not. */
export class ContactPageModel {
  readonly username = signal<string | null>(null);
  readonly error = signal<string | null>(null);

  constructor(private readonly pins: PinsModel) {}

  open(username: string): void {
    this.error.value = null;
    this.username.value = username;
    void this.pins.load();
  }

  close(): void {
    this.username.value = null;
  }

  async toggleVerified(username: string, rootKey: string): Promise<void> {
    const verified = !this.pins.isVerified(username, rootKey);
    try {
      await this.pins.setVerified(username, rootKey, verified);
      this.error.value = null;
    } catch (error) {
      console.warn('parley: could not save the verification', error);
      this.error.value = "Couldn't save the change. Try again.";
    }
  }
}
