import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import WebSocket, { type RawData } from 'ws';
import {
  PROTOCOL_VERSION,
  type ErrorCode,
  type IceConfig,
  type ServerMessage,
} from '../../protocol';
import { LoginChallenge } from '../auth/LoginChallenge';
import type { CallParty } from '../calls/CallService';
import type { DeviceRecord, UserRecord } from '../db/AccountStore';
import type { IssuedSession } from '../db/SessionStore';
import { dispatch } from '../handlers/dispatch';
import type { LinkApproval, LinkWaiter } from '../linking/PendingLinks';
import type { DeviceEndpoint } from '../routing/DeviceDirectory';
import type { ServerServices } from '../ServerServices';
import { decodeClientFrame } from './decodeClientFrame';
import { TokenBucket } from './TokenBucket';

/** WebSocket close code sent to a connection whose device signed in on a newer connection. */
export const CLOSE_REPLACED = 4001;
/** WebSocket close code sent to a connection whose device was removed from its account. */
export const CLOSE_DEVICE_REMOVED = 4003;

const RATE_BURST = 200;
const RATE_PER_SECOND = 50;

/** The signed-in device behind a connection. */
export interface ConnectionIdentity extends CallParty {
  sessionToken: string;
}

/**
 * One client WebSocket: decodes and rate-limits its frames, holds its sign-in challenge and, once
 * signed in, its identity; it is the device's endpoint in the DeviceDirectory. Before sign-in it
 * may wait for a device link, as the new device's LinkWaiter.
 */
export class ClientConnection implements DeviceEndpoint, LinkWaiter {
  readonly id = randomUUID();
  readonly challenge = new LoginChallenge();
  readonly logger: Logger;
  private signedIn: ConnectionIdentity | null = null;
  private readonly bucket: TokenBucket;
  private open = true;
  /** Cancels the timer that pushes fresh TURN credentials to the signed-in device. */
  private stopIceRefresh = () => {};

  constructor(
    private readonly socket: WebSocket,
    readonly services: ServerServices,
  ) {
    this.logger = services.logger.child({ connection: this.id });
    this.bucket = new TokenBucket(RATE_BURST, RATE_PER_SECOND, services.clock);
  }

  get identity(): ConnectionIdentity | null {
    return this.signedIn;
  }

  receive(data: RawData, isBinary: boolean): void {
    if (!this.open) return;
    if (!this.bucket.take()) {
      this.sendError(null, 'rate_limited', 'too many messages; slow down');
      return;
    }
    const decoded = decodeClientFrame(toBuffer(data), isBinary);
    if (!decoded.ok) {
      this.logger.debug({ code: decoded.code }, 'refused frame');
      this.sendError(decoded.re, decoded.code, decoded.message);
      return;
    }
    dispatch(this, decoded.message);
  }

  send(message: ServerMessage): void {
    if (this.open && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  sendError(re: string | null, code: ErrorCode, message: string, callId?: string): void {
    this.send({
      v: PROTOCOL_VERSION,
      type: 'error',
      re,
      code,
      message,
      ...(callId ? { callId } : {}),
    });
  }

  /** Binds the connection to a device and answers with its session. */
  signIn(re: string, user: UserRecord, device: DeviceRecord, session: IssuedSession): void {
    const ice = this.services.ice.issue(user.id);
    this.serve(user, device, session.token, ice, {
      v: PROTOCOL_VERSION,
      type: 'session',
      re,
      ...sessionFields(user, device, session, ice),
    });
  }

  /** A device approved this connection's link: it is now signed in as the new device. */
  linkApproved({ code, user, device, session }: LinkApproval): void {
    const ice = this.services.ice.issue(user.id);
    this.serve(user, device, session.token, ice, {
      v: PROTOCOL_VERSION,
      type: 'link.approved',
      code,
      ...sessionFields(user, device, session, ice),
    });
  }

  linkRejected(code: string, reason: 'rejected' | 'expired'): void {
    this.send({ v: PROTOCOL_VERSION, type: 'link.rejected', code, reason });
  }

  /** The connection stops serving its device: calls end, contacts see the new presence. */
  signOut(): void {
    this.stopIceRefresh();
    const identity = this.signedIn;
    if (!identity) return;
    this.signedIn = null;
    this.services.directory.detach(identity.deviceId, this);
    this.services.calls.deviceGone(identity.deviceId);
    this.services.presence.publish(identity.userId);
  }

  replaced(): void {
    this.stopIceRefresh();
    const identity = this.signedIn;
    if (!identity) return;
    this.signedIn = null;
    this.services.calls.deviceGone(identity.deviceId);
    this.logger.info({ deviceId: identity.deviceId }, 'replaced by a newer connection');
    this.socket.close(CLOSE_REPLACED, 'signed in on a newer connection');
  }

  /** The device was removed: say why, end its calls and close with 4003. */
  revoked(): void {
    if (!this.signedIn) return;
    this.send({ v: PROTOCOL_VERSION, type: 'session.revoked', reason: 'device_removed' });
    this.signOut();
    this.logger.info('device removed');
    this.open = false;
    this.socket.close(CLOSE_DEVICE_REMOVED, 'device removed');
  }

  /** The socket closed (or the server is shutting down): forget the device and any link. */
  closed(): void {
    if (!this.open) return;
    this.services.links.drop(this);
    this.signOut();
    this.open = false;
  }

  /**
   * Binds the connection to the device and tells it so; only then are the user's contacts told
   * that it is online.
   */
  private serve(
    user: UserRecord,
    device: DeviceRecord,
    sessionToken: string,
    ice: IceConfig,
    signedInMessage: ServerMessage,
  ): void {
    this.services.links.drop(this);
    this.signedIn = {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      deviceId: device.id,
      identityChain: device.identityChain,
      sessionToken,
    };
    this.services.directory.attach(user.id, device.id, this);
    this.send(signedInMessage);
    this.stopIceRefresh = this.services.ice.keepFresh(user.id, ice, (fresh) =>
      this.send({ v: PROTOCOL_VERSION, type: 'ice.servers', ice: fresh }),
    );
    this.services.presence.publish(user.id);
    this.logger.info({ user: user.username, deviceId: device.id }, 'signed in');
  }
}

/** What `session` and `link.approved` both tell the device it now is. */
function sessionFields(
  user: UserRecord,
  device: DeviceRecord,
  session: IssuedSession,
  ice: IceConfig,
) {
  return {
    token: session.token,
    expiresAt: session.expiresAt,
    user: { username: user.username, displayName: user.displayName },
    deviceId: device.id,
    ice,
    stream: { id: randomUUID(), resumed: false, received: 0 },
    calls: [],
  };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
