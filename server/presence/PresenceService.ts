import type { Presence } from '../../protocol';
import type { AccountStore } from '../db/AccountStore';
import type { ContactStore } from '../db/ContactStore';
import type { DeviceDirectory } from '../routing/DeviceDirectory';

/**
 * Presence is derived, never stored: offline without an online device, in_call while in an
 * accepted call, online otherwise. `publish` pushes a user's current presence to every online
 * user who has them as a contact.
 */
export interface PresenceDeps {
  directory: DeviceDirectory;
  accounts: AccountStore;
  contacts: ContactStore;
  isInCall: (userId: number) => boolean;
}

export class PresenceService {
  constructor(private readonly deps: PresenceDeps) {}

  presenceOf(userId: number): Presence {
    if (!this.deps.directory.isOnline(userId)) return 'offline';
    return this.deps.isInCall(userId) ? 'in_call' : 'online';
  }

  publish(userId: number): void {
    const user = this.deps.accounts.userById(userId);
    if (!user) return;
    const presence = this.presenceOf(userId);
    for (const watcherId of this.deps.contacts.watchersOf(userId)) {
      for (const deviceId of this.deps.directory.devicesOf(watcherId)) {
        this.deps.directory.sendToDevice(deviceId, {
          v: 1,
          type: 'presence',
          username: user.username,
          presence,
        });
      }
    }
  }
}
