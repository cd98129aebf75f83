import type { DeviceRecord, UserRecord } from '../db/AccountStore';
import type { IssuedSession } from '../db/SessionStore';

/**
 * Device links waiting for approval: a new device's unauthenticated connection asked for a link
 * code and waits until a signed-in device approves or rejects it, or the code expires. Everything
 * goes through this interface and never holds a socket of another node, so a multi-node
 * deployment can keep pending links in shared storage (like the DeviceDirectory).
 */
export interface LinkRequestDetails {
  deviceName: string;
  /** The new device's identity key; it proved possession when it asked for the code. */
  identityKey: string;
}

export interface PendingLink extends LinkRequestDetails {
  code: string;
  expiresAt: number;
}

export interface LinkApproval {
  code: string;
  user: UserRecord;
  device: DeviceRecord;
  session: IssuedSession;
}

/** The waiting connection of the new device. */
export interface LinkWaiter {
  /** The link was approved: the connection signs in as the new device. */
  linkApproved(approval: LinkApproval): void;
  linkRejected(code: string, reason: 'rejected' | 'expired'): void;
}

export interface PendingLinks {
  /** Opens a link for this connection with a fresh code, replacing any link it had. */
  open(waiter: LinkWaiter, details: LinkRequestDetails): PendingLink;
  /** The link with this code if it is still pending and not expired. */
  find(code: string): PendingLink | undefined;
  /** Removes the pending link and returns it with its waiter (to approve or reject it). */
  take(code: string): { link: PendingLink; waiter: LinkWaiter } | undefined;
  /** The connection stopped waiting (closed or signed in): its code dies. */
  drop(waiter: LinkWaiter): void;
}
