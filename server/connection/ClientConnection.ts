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
import { closeWithin } from './closeWithin';
import { CommitGatedSocket, type OutgoingSocket } from './CommitGatedSocket';
import type { ConnectionLimits } from './ConnectionLimits';
import { decodeClientFrame } from './decodeClientFrame';
import { FloodGuard, RATE_LIMIT_RETRY_AFTER_MS } from './FloodGuard';

/** The signed-in device behind a connection. */
export interface ConnectionIdentity extends CallParty {
  sessionId: string;
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
 * may wait for a device link, as the new device's LinkWaiter. It closes itself when it floods
 * (4008), falls behind reading (4009) or neither signs in nor waits for a link in time (4010).
 */
export class ClientConnection implements DeviceEndpoint, LinkWaiter {
  readonly id = randomUUID();
  readonly challenge = new LoginChallenge();
  readonly logger: Logger;
  private signedIn: ConnectionIdentity | null = null;
  private readonly floodGuard: FloodGuard;
  private readonly acks: AckBatcher;
  private open = true;
  /** The server closed it (4008, 4009, 4010): nothing more is read or sent while it goes. */
  private closing = false;
  /** Cancels the timer that pushes fresh TURN credentials to the signed-in device. */
  private stopIceRefresh = () => {};
  /** Cancels the sign-in deadline, while one runs. */
  private cancelSignInDeadline = () => {};
  /** Cancels dropping the socket of a close the peer has not completed yet. */
  private cancelTerminate = () => {};

  /** Behind the commit gate: what it is sent waits for the commit of what it tells. */
  private readonly socket: OutgoingSocket;

  constructor(
    socket: WebSocket,
    readonly services: ServerServices,
    /** Where the connection comes from (see server/frontDoor/clientAddress.ts). */
    readonly address: string,
    /** The server origin the client connected to, which its sign-in texts must name. */
    readonly origin: string,
    private readonly limits: ConnectionLimits,
  ) {
    this.socket = new CommitGatedSocket(socket, services.commits);
    this.logger = services.logger.child({ connection: this.id, address });
    this.floodGuard = new FloodGuard(limits, services.clock);
    this.acks = new AckBatcher(services.scheduler, () => this.sendAck());
    this.startSignInDeadline();
  }

  get identity(): ConnectionIdentity | null {
    return this.signedIn;
  }

  receive(data: RawData, isBinary: boolean): void {
    if (!this.open || this.closing) return;
    // Decided before the frame is read at all: refused and dropped messages cost nothing more.
    switch (this.floodGuard.admit()) {
      case 'process':
        break;
      case 'refuse':
        // Unread, so no `re`: the one answer for this message and whatever follows it unread.
        this.send({
          v: PROTOCOL_VERSION,
          type: 'error',
          re: null,
          code: 'rate_limited',
          message: 'too many messages; the ones sent until retryAfterMs has passed are dropped',
          retryAfterMs: RATE_LIMIT_RETRY_AFTER_MS,
        });
        return;
      case 'drop':
        return;
      case 'close':
        this.closeFor(CloseCode.flooding, 'kept sending over the rate limit');
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

  /**
   * Queues the message for the peer, unless that takes what the peer has not read past the
   * send-queue bound: then the connection is closed instead, so a peer that does not read cannot
   * make the server hold more than the bound for it.
   */
  send(message: ServerMessage): void {
    if (!this.open || this.closing || this.socket.readyState !== WebSocket.OPEN) return;
    this.sendText(JSON.stringify(message));
  }

  /** As `send`, for a message already serialised (once for all its recipients). */
  sendText(text: string): void {
    if (!this.open || this.closing || this.socket.readyState !== WebSocket.OPEN) return;
    // Encoded once: its length bounds the queue, and ws sends these bytes as they are.
    const frame = Buffer.from(text, 'utf8');
    if (this.socket.bufferedAmount + frame.length > this.limits.sendQueueBytes) {
      this.closeFor(CloseCode.tooSlow, 'fell behind reading');
      return;
    }
    this.socket.send(frame);
  }

  sendError(
    re: string | null,
    code: ErrorCode,
    message: string,
    callId?: string,
    retryAfterMs?: number,
  ): void {
    this.send({
      v: PROTOCOL_VERSION,
      type: 'error',
      re,
      code,
      message,
      ...(callId ? { callId } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
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

  /** A link code was issued to this connection: it waits for approval instead of signing in. */
  waitingForLink(): void {
    this.cancelSignInDeadline();
  }

  /** The link ended without approval: the connection has nothing left to wait for, and closes. */
  linkRejected(code: string, reason: 'rejected' | 'expired'): void {
    this.send({ v: PROTOCOL_VERSION, type: 'link.rejected', code, reason });
    this.closeFor(CloseCode.signInTimeout, `device link ${reason}`);
  }

  /**
   * The device signs out (session.end, or removed): it is gone now, and its calls end. The
   * connection may sign in again, within a new sign-in deadline.
   */
  signOut(): void {
    const identity = this.signedIn;
    if (!identity) return;
    this.stopServing();
    this.services.directory.detach(identity.deviceId, this);
    this.startSignInDeadline();
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
    this.cancelTerminate();
    this.cancelSignInDeadline();
    if (!this.open) return;
    this.open = false;
    this.services.links.drop(this);
    const identity = this.signedIn;
    if (!identity) return;
    this.stopServing();
    this.services.directory.leave(identity.deviceId, this);
    this.services.rooms.deviceAway(identity.deviceId);
    this.services.presence.publish(identity.userId);
  }

  /** The server is stopping: the connection goes quiet and changes nothing (calls stay live). */
  serverStopping(): void {
    this.open = false;
    this.acks.stop();
    this.stopIceRefresh();
    this.cancelSignInDeadline();
  }

  /**
   * The server ends the connection: it stops reading and sending at once, and drops the socket
   * if the peer does not complete the close. The device (if any) is away once the socket closed.
   */
  private closeFor(code: CloseCode, reason: string): void {
    if (this.closing || !this.open) return;
    this.closing = true;
    this.cancelSignInDeadline();
    this.acks.stop();
    this.stopIceRefresh();
    this.logger.info({ code, queued: this.socket.bufferedAmount }, `closing: ${reason}`);
    this.cancelTerminate = closeWithin(this.socket, code, reason, this.services.scheduler);
  }

  private startSignInDeadline(): void {
    this.cancelSignInDeadline();
    this.cancelSignInDeadline = this.services.scheduler.schedule(this.limits.signInDeadlineMs, () =>
      this.closeFor(CloseCode.signInTimeout, 'did not sign in in time'),
    );
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
    this.cancelSignInDeadline();
    const { state, resend } = resume
      ? streams.resume(device.id, resume.id, resume.received)
      : { state: streams.start(device.id), resend: [] };
    this.signedIn = {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      deviceId: device.id,
      identityChain: device.identityChain,
      sessionId: session.sessionId,
    };
    directory.attach(user.id, device.id, this);
    this.services.rooms.deviceBack(device.id);
    const ice = iceIssuer.issue(user.id);
    // A call that speaks room.* is listed as such (only a client that speaks it can be in one).
    const groupCalls = this.services.rooms.liveCallsOf(device.id);
    const grouped = new Set(groupCalls.map((call) => call.callId));
    const live = [
      ...calls.liveCallsOf(device.id).filter((call) => !grouped.has(call.callId)),
      ...groupCalls,
    ];
    this.send(signedInMessage(sessionFields(user, device, session, ice, state, live)));
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
    sessionId: session.sessionId,
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
