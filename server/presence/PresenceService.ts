import type { Logger } from 'pino';
import type { Presence } from '../../protocol';
import type { AccountStore } from '../db/AccountStore';
import type { ContactStore } from '../db/ContactStore';
import type { DeviceDirectory } from '../routing/DeviceDirectory';

/**
 * Presence is derived, never stored: in_call while in an accepted call (even while the device is
 * away, reconnecting), offline without a connected device, online otherwise. A user's presence is
 * shown only to their watchers (ContactStore.watchersOf: people they have added themselves, who
 * added them too, and whom they have not blocked); anyone else is told `offline`. `publish`
 * pushes a user's current presence to every device of every watcher.
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
  /** Single viewers whose view of a user changed this turn (a contact or block): user -> viewers. */
  private readonly dueViews = new Map<number, Set<number>>();

  constructor(private readonly deps: PresenceDeps) {}

  presenceOf(userId: number): Presence {
    // A user whose device is away mid-call is still in that call; otherwise away means offline.
    if (this.deps.isInCall(userId) && this.deps.directory.devicesOf(userId).length > 0) {
      return 'in_call';
    }
    return this.deps.directory.isOnline(userId) ? 'online' : 'offline';
  }

  /** The user's presence as `viewerId` may see it: `offline` unless the viewer is a watcher. */
  presenceFor(viewerId: number, userId: number): Presence {
    return this.deps.contacts.seesPresenceOf(viewerId, userId)
      ? this.presenceOf(userId)
      : 'offline';
  }

  /**
   * Pushes the user's presence once the current turn's work is done: a user whose state flaps
   * within one turn (an accept and a hang-up, a sign-out and a sign-in) has only the last of it
   * pushed, once, after everything else that turn sent.
   */
  publish(userId: number): void {
    this.schedule();
    this.due.add(userId);
  }

  /**
   * Pushes the user's presence as `viewerId` now sees it to the viewer's devices, once the turn's
   * work is done, if the viewer has the user as a contact: after a change of who may see it (the
   * user added, removed, blocked or unblocked the viewer). A viewer who may no longer see it is
   * told `offline`.
   */
  publishTo(userId: number, viewerId: number): void {
    this.schedule();
    const viewers = this.dueViews.get(userId) ?? new Set<number>();
    viewers.add(viewerId);
    this.dueViews.set(userId, viewers);
  }

  private schedule(): void {
    if (this.due.size === 0 && this.dueViews.size === 0) queueMicrotask(() => this.publishDue());
  }

  private publishDue(): void {
    const users = [...this.due];
    const views = [...this.dueViews];
    this.due.clear();
    this.dueViews.clear();
    for (const userId of users) {
      try {
        this.push(userId);
      } catch (error) {
        this.deps.logger.error({ err: error, userId }, 'presence not pushed');
      }
    }
    for (const [userId, viewers] of views) {
      for (const viewerId of viewers) {
        try {
          this.pushTo(userId, viewerId);
        } catch (error) {
          this.deps.logger.error({ err: error, userId, viewerId }, 'presence not pushed');
        }
      }
    }
  }

  private pushTo(userId: number, viewerId: number): void {
    const user = this.deps.accounts.userById(userId);
    if (!user || !this.deps.contacts.has(viewerId, userId)) return;
    const devices = this.deps.directory.devicesOf(viewerId);
    if (devices.length === 0) return;
    this.deps.directory.sendToDevices(devices, {
      v: 1,
      type: 'presence',
      username: user.username,
      presence: this.presenceFor(viewerId, userId),
    });
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
