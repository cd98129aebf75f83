import type { Logger } from 'pino';
import type { CallService } from './calls/CallService';
import type { Clock, Scheduler } from './calls/timePorts';
import type { AccountStore } from './db/AccountStore';
import type { CallLogStore } from './db/CallLogStore';
import type { ContactStore } from './db/ContactStore';
import type { SessionStore } from './db/SessionStore';
import type { AttemptLimits } from './limits/addressLimits';
import type { PendingLinks } from './linking/PendingLinks';
import type { PresenceService } from './presence/PresenceService';
import type { DeviceDirectory } from './routing/DeviceDirectory';
import type { NoticeStreams } from './routing/NoticeStreams';
import type { IceIssuer } from './turn/IceIssuer';

/** Everything a message handler may use, built once per server by `startServer`. */
export interface ServerServices {
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /**
   * Runs `work` as one SQLite transaction: when it returns, all of its writes are on disk, and a
   * crash leaves either all of them or none. A step that writes several rows before it
   * acknowledges (an account with its session) runs in one.
   */
  atomically<T>(work: () => T): T;
  accounts: AccountStore;
  sessions: SessionStore;
  contacts: ContactStore;
  callLog: CallLogStore;
  directory: DeviceDirectory;
  streams: NoticeStreams;
  presence: PresenceService;
  calls: CallService;
  links: PendingLinks;
  ice: IceIssuer;
  /** Per-address limits on sign-ins, registrations and link requests. */
  attempts: AttemptLimits;
}
