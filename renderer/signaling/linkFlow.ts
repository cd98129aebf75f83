import type { ServerMessageOf } from '../../protocol';
import type { Host } from '../host/Host';
import { challenge } from './authFlow';
import { SignalingError } from './RequestTracker';
import type { Authenticate } from './SignalingClient';

export type LinkApprovedMessage = ServerMessageOf<'link.approved'>;
export type LinkRejectedMessage = ServerMessageOf<'link.rejected'>;

/** The code a new device shows while it waits for an existing device to approve it. */
export interface ShownLinkCode {
  code: string;
  expiresAt: number;
  /** This device's identity key, so the user can compare its fingerprint on both screens. */
  identityKey: string;
}

/** The other device said no, or the code ran out. */
export class LinkRejectedError extends Error {
  constructor(readonly reason: LinkRejectedMessage['reason']) {
    super(
      reason === 'expired'
        ? 'The link code expired. Start again to get a new one.'
        : 'The link was declined on your other device.',
    );
    this.name = 'LinkRejectedError';
  }
}

/**
 * Hands the server's link.approved / link.rejected (plain notifications on the waiting
 * connection) to the sign-in flow that waits for them. Only the newest wait is live: a reconnect
 * asks for a new code, and the old wait is abandoned.
 */
export class LinkWaiter {
  private waiting: {
    code: string;
    resolve(message: LinkApprovedMessage): void;
    reject(error: Error): void;
  } | null = null;

  wait(code: string): Promise<LinkApprovedMessage> {
    this.cancel();
    return new Promise((resolve, reject) => {
      this.waiting = { code, resolve, reject };
    });
  }

  onApproved(message: LinkApprovedMessage): void {
    const waiting = this.take(message.code);
    if (waiting) waiting.resolve(message);
    else console.warn('parley: link.approved for a code we are not waiting on');
  }

  onRejected(message: LinkRejectedMessage): void {
    this.take(message.code)?.reject(new LinkRejectedError(message.reason));
  }

  /** Stops waiting (the user gave up, or a new request replaces this one). */
  cancel(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(new SignalingError('disconnected', 'Stopped waiting for the link'));
  }

  private take(code: string) {
    if (this.waiting?.code !== code) return null;
    const waiting = this.waiting;
    this.waiting = null;
    return waiting;
  }
}

/**
 * A new device joins an existing account: it proves it holds its identity key, shows the code the
 * server gives it, and waits on the same (still unauthenticated) connection until a device of
 * the account approves. Then it is signed in as its new device and remembers the account, so
 * later starts log in with auth.login like any device.
 */
export function linkDevice(
  host: Host,
  deviceName: string,
  waiter: LinkWaiter,
  onCode: (shown: ShownLinkCode) => void,
): Authenticate {
  return async (requests) => {
    const { nonce } = await challenge(requests);
    const identityKey = (await host.getIdentityPublicKey()) ?? (await host.createIdentity());
    const signature = await host.signLinkRequest(nonce);
    const reply = await requests.request('link.request', {
      deviceName,
      identityKey,
      nonce,
      signature,
    });
    // Wait before anything else runs: the approval may be the very next message.
    const approval = waiter.wait(reply.code);
    onCode({ code: reply.code, expiresAt: reply.expiresAt, identityKey });
    const approved = await approval;
    await host.setAccount({
      username: approved.user.username,
      displayName: approved.user.displayName,
      deviceId: approved.deviceId,
    });
    return {
      sessionId: approved.sessionId,
      expiresAt: approved.expiresAt,
      user: approved.user,
      deviceId: approved.deviceId,
      ice: approved.ice,
      stream: approved.stream,
      calls: approved.calls,
    };
  };
}
