import type { Logger } from 'pino';
import type { CallService } from './calls/CallService';
import type { Clock, Scheduler } from './calls/timePorts';
import type { AccountStore } from './db/AccountStore';
import type { CallLogStore } from './db/CallLogStore';
import type { GroupCallLogStore } from './db/GroupCallLogStore';
import type { CommitGate } from './db/GroupCommit';
import type { ContactStore } from './db/ContactStore';
import type { SessionStore } from './db/SessionStore';
import type { AttemptLimits } from './limits/addressLimits';
import type { PendingLinks } from './linking/PendingLinks';
import type { PresenceService } from './presence/PresenceService';
import type { CallLinks } from './rooms/CallLinks';
import type { RoomService } from './rooms/RoomService';
import type { DeviceDirectory } from './routing/DeviceDirectory';
import type { NoticeStreams } from './routing/NoticeStreams';
import type { IceIssuer } from './turn/IceIssuer';

/** Everything a message handler may use, built once per server by `startServer`. */
export interface ServerServices {
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /**
   * Runs `work` as one unit of writes: a crash or a failure in it leaves either all of them or
   * none. A step that writes several rows before it acknowledges (an account with its session)
   * runs in one. Like every write, it joins the turn's group commit (`commits`).
   */
  atomically<T>(work: () => T): T;
  /**
   * The group commit every store writes through: what a connection sends waits for the commit of
   * the writes before it (server/db/GroupCommit.ts).
   */
  commits: CommitGate;
  accounts: AccountStore;
  sessions: SessionStore;
  contacts: ContactStore;
  callLog: CallLogStore;
  /** What the call log keeps of calls with more than two people. */
  groupLog: GroupCallLogStore;
  directory: DeviceDirectory;
  streams: NoticeStreams;
  presence: PresenceService;
  calls: CallService;
  /** Group calls (room.*); a server without an SFU has one that offers none. */
  rooms: RoomService;
  /** Links into group calls (`room.link_*`, knocks). */
  callLinks: CallLinks;
  links: PendingLinks;
  ice: IceIssuer;
  /** Per-address limits on sign-ins, registrations and link requests. */
  attempts: AttemptLimits;
}
