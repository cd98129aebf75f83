import type { Logger } from 'pino';
import type { Presence } from '../../protocol';
import type { AccountStore } from '../db/AccountStore';
import type { ContactStore } from '../db/ContactStore';
import type { DeviceDirectory } from '../routing/DeviceDirectory';

/**
 * Presence is derived, never stored: in_call while in an accepted call (even while the device is
 * away, reconnecting), offline without a connected device, online otherwise. `publish` pushes a
 * user's current presence to every device of every user who has them as a contact.
 */
export interface PresenceDeps {
  directory: DeviceDirectory;
  accounts: AccountStore;
  contacts: ContactStore;
  isInCall: (userId: number) => boolean;
  logger: Logger;
}

export class PresenceService {
  /** Users whose presence may have changed in this turn of the event loop, in order. */
  private readonly due = new Set<number>();

  constructor(private readonly deps: PresenceDeps) {}

  presenceOf(userId: number): Presence {
    // A user whose device is away mid-call is still in that call; otherwise away means offline.
    if (this.deps.isInCall(userId) && this.deps.directory.devicesOf(userId).length > 0) {
      return 'in_call';
    }
    return this.deps.directory.isOnline(userId) ? 'online' : 'offline';
  }

  /**
   * Pushes the user's presence once the current turn's work is done: a user whose state flaps
   * within one turn (an accept and a hang-up, a sign-out and a sign-in) has only the last of it
   * pushed, once, after everything else that turn sent.
   */
  publish(userId: number): void {
    if (this.due.size === 0) queueMicrotask(() => this.publishDue());
    this.due.add(userId);
  }

  private publishDue(): void {
    const users = [...this.due];
    this.due.clear();
    for (const userId of users) {
      try {
        this.push(userId);
      } catch (error) {
        this.deps.logger.error({ err: error, userId }, 'presence not pushed');
      }
    }
  }

  private push(userId: number): void {
    const user = this.deps.accounts.userById(userId);
    if (!user) return;
    const watcherDevices: string[] = [];
    for (const watcherId of this.deps.contacts.watchersOf(userId)) {
      for (const deviceId of this.deps.directory.devicesOf(watcherId))
        watcherDevices.push(deviceId);
    }
    if (watcherDevices.length === 0) return;
    // Serialised once for all the watchers' devices.
    this.deps.directory.sendToDevices(watcherDevices, {
      v: 1,
      type: 'presence',
      username: user.username,
      presence: this.presenceOf(userId),
    });
  }
}
