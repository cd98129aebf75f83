import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import WebSocket, { type RawData } from 'ws';
import {
  CloseCode,
  PROTOCOL_VERSION,
  type ClientMessage,
  type ErrorCode,
  type IceConfig,
  type LiveCall,
  type ServerMessage,
} from '../../protocol';
import { LoginChallenge } from '../auth/LoginChallenge';
import type { CallParty } from '../calls/CallService';
import type { DeviceRecord, UserRecord } from '../db/AccountStore';
import type { IssuedSession } from '../db/SessionStore';
import { dispatch } from '../handlers/dispatch';
import type { LinkApproval, LinkWaiter } from '../linking/PendingLinks';
import type { DeviceEndpoint } from '../routing/DeviceDirectory';
import { isNotice, type StreamState } from '../routing/NoticeStreams';
import type { ServerServices } from '../ServerServices';
import { AckBatcher } from './AckBatcher';
import { decodeClientFrame } from './decodeClientFrame';
import { TokenBucket } from './TokenBucket';

const RATE_BURST = 200;
const RATE_PER_SECOND = 50;

/** The signed-in device behind a connection. */
export interface ConnectionIdentity extends CallParty {
  sessionToken: string;
}

/** The stream a resuming client names: its id and the last server notice `seq` it processed. */
export interface StreamToResume {
  id: string;
  received: number;
}

/** What to do with a client message before its handler: run it, and whether to count it. */
type NoticeCheck = 'handle' | 'handle and acknowledge' | 'drop';

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
  private readonly acks: AckBatcher;
  private open = true;
  /** Cancels the timer that pushes fresh TURN credentials to the signed-in device. */
  private stopIceRefresh = () => {};

  constructor(
    private readonly socket: WebSocket,
    readonly services: ServerServices,
  ) {
    this.logger = services.logger.child({ connection: this.id });
    this.bucket = new TokenBucket(RATE_BURST, RATE_PER_SECOND, services.clock);
    this.acks = new AckBatcher(services.scheduler, () => this.sendAck());
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
    const check = decoded.ok
      ? this.checkNotice(noticeSeq(decoded.message), callIdOf(decoded.message))
      : this.checkNotice(decoded.seq, decoded.callId ?? undefined);
    if (check === 'drop') return;
    if (decoded.ok) {
      dispatch(this, decoded.message);
    } else {
      this.logger.debug({ code: decoded.code }, 'refused frame');
      this.sendError(decoded.re, decoded.code, decoded.message, decoded.callId ?? undefined);
    }
    // Acknowledged only once handled (a refused notice is handled too: it will never succeed).
    if (check === 'handle and acknowledge') this.acks.processed();
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

  /**
   * Binds the connection to a device and answers with its session: the stream it named goes on
   * if it can, otherwise a new stream starts.
   */
  signIn(
    re: string,
    user: UserRecord,
    device: DeviceRecord,
    session: IssuedSession,
    resume?: StreamToResume,
  ): void {
    this.serve(user, device, session, resume, (fields) => ({
      v: PROTOCOL_VERSION,
      type: 'session',
      re,
      ...fields,
    }));
  }

  /** A device approved this connection's link: it is now signed in as the new device. */
  linkApproved({ code, user, device, session }: LinkApproval): void {
    this.serve(user, device, session, undefined, (fields) => ({
      v: PROTOCOL_VERSION,
      type: 'link.approved',
      code,
      ...fields,
    }));
  }

  linkRejected(code: string, reason: 'rejected' | 'expired'): void {
    this.send({ v: PROTOCOL_VERSION, type: 'link.rejected', code, reason });
  }

  /** The device signs out (session.end, or removed): it is gone now, and its calls end. */
  signOut(): void {
    const identity = this.signedIn;
    if (!identity) return;
    this.stopServing();
    this.services.directory.detach(identity.deviceId, this);
  }

  /** The device took a newer connection: this one closes, and its calls go on there. */
  replaced(): void {
    const identity = this.signedIn;
    if (!identity) return;
    this.stopServing();
    this.logger.info({ deviceId: identity.deviceId }, 'replaced by a newer connection');
    this.socket.close(CloseCode.replaced, 'signed in on a newer connection');
  }

  /** The device was removed: say why, end its calls and close with 4003. */
  revoked(): void {
    const identity = this.signedIn;
    if (!identity) return;
    this.services.directory.sendToDevice(identity.deviceId, {
      v: PROTOCOL_VERSION,
      type: 'session.revoked',
      reason: 'device_removed',
    });
    this.signOut();
    this.logger.info('device removed');
    this.open = false;
    this.socket.close(CloseCode.deviceRemoved, 'device removed');
  }

  /**
   * The socket closed: forget any link; a signed-in device is away for the reconnect grace,
   * keeping its calls, unless it signs in again in time.
   */
  closed(): void {
    if (!this.open) return;
    this.open = false;
    this.services.links.drop(this);
    const identity = this.signedIn;
    if (!identity) return;
    this.stopServing();
    this.services.directory.leave(identity.deviceId, this);
    this.services.presence.publish(identity.userId);
  }

  /** The server is stopping: the connection goes quiet and changes nothing (calls stay live). */
  serverStopping(): void {
    this.open = false;
    this.acks.stop();
    this.stopIceRefresh();
  }

  /** The connection no longer speaks for its device: no acks, no credential refreshes. */
  private stopServing(): void {
    this.acks.stop();
    this.stopIceRefresh();
    this.signedIn = null;
  }

  /** Drops duplicate and out-of-order numbered client notices; counts the one that is next. */
  private checkNotice(seq: number | null, callId?: string): NoticeCheck {
    const identity = this.signedIn;
    if (!identity || seq === null) return 'handle';
    const place = this.services.streams.receive(identity.deviceId, seq);
    switch (place.kind) {
      case 'next':
        return 'handle and acknowledge';
      case 'duplicate':
        // Resent because our ack did not arrive: acknowledge again so the client can let go.
        this.acks.processed();
        return 'drop';
      case 'gap':
        this.sendError(null, 'bad_message', `seq: expected ${place.expected}, got ${seq}`, callId);
        return 'drop';
    }
  }

  private sendAck(): void {
    const identity = this.signedIn;
    const received = identity ? this.services.streams.received(identity.deviceId) : 0;
    if (received > 0) this.send({ v: PROTOCOL_VERSION, type: 'ack', seq: received });
  }

  /**
   * Binds the connection to the device and tells it so: its stream (resent notices follow the
   * reply, in order) and its live calls. Only then are the user's contacts told it is online.
   */
  private serve(
    user: UserRecord,
    device: DeviceRecord,
    session: IssuedSession,
    resume: StreamToResume | undefined,
    signedInMessage: (fields: SessionFields) => ServerMessage,
  ): void {
    const { links, streams, directory, calls, presence, ice: iceIssuer } = this.services;
    links.drop(this);
    const { state, resend } = resume
      ? streams.resume(device.id, resume.id, resume.received)
      : { state: streams.start(device.id), resend: [] };
    this.signedIn = {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      deviceId: device.id,
      identityChain: device.identityChain,
      sessionToken: session.token,
    };
    directory.attach(user.id, device.id, this);
    const ice = iceIssuer.issue(user.id);
    this.send(
      signedInMessage(
        sessionFields(user, device, session, ice, state, calls.liveCallsOf(device.id)),
      ),
    );
    for (const notice of resend) this.send(notice);
    this.stopIceRefresh();
    this.stopIceRefresh = iceIssuer.keepFresh(user.id, ice, (fresh) =>
      directory.sendToDevice(device.id, { v: PROTOCOL_VERSION, type: 'ice.servers', ice: fresh }),
    );
    presence.publish(user.id);
    this.logger.info(
      { user: user.username, deviceId: device.id, resumed: state.resumed, resent: resend.length },
      'signed in',
    );
  }
}

type SessionFields = ReturnType<typeof sessionFields>;

/** What `session` and `link.approved` both tell the device it now is. */
function sessionFields(
  user: UserRecord,
  device: DeviceRecord,
  session: IssuedSession,
  ice: IceConfig,
  stream: StreamState,
  calls: LiveCall[],
) {
  return {
    token: session.token,
    expiresAt: session.expiresAt,
    user: { username: user.username, displayName: user.displayName },
    deviceId: device.id,
    ice,
    stream,
    calls,
  };
}

/** The `seq` of a numbered client notice; null for requests, `ack` and unnumbered notices. */
function noticeSeq(message: ClientMessage): number | null {
  if (!isNotice(message) || !('seq' in message)) return null;
  return message.seq ?? null;
}

function callIdOf(message: ClientMessage): string | undefined {
  return 'callId' in message ? message.callId : undefined;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
