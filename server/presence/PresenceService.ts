import type { Presence } from '../../protocol';
import type { AccountStore } from '../db/AccountStore';
import type { ContactStore } from '../db/ContactStore';
import type { DeviceDirectory } from '../routing/DeviceDirectory';

/**
 * Presence is derived, never stored: in_call while in an accepted call (even while the device is
 * away, reconnecting), offline without a connected device, online otherwise. `publish` pushes a user's current presence to every online
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
    // A user whose device is away mid-call is still in that call; otherwise away means offline.
    if (this.deps.isInCall(userId) && this.deps.directory.devicesOf(userId).length > 0) {
      return 'in_call';
    }
    return this.deps.directory.isOnline(userId) ? 'online' : 'offline';
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
