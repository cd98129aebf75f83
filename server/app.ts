/**
 * The Parley signaling server as a library: `startServer` opens the SQLite store in `dataDir`,
 * serves the web client and `/healthz` over HTTP(S), and speaks the signaling protocol over a
 * WebSocket at `/ws`. `server/main.ts` is its command-line entry; the desktop app embeds it.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_ROOM_MEMBERS, RING_TIMEOUT_MS } from '../protocol';
import { CallService } from './calls/CallService';
import {
  DEFAULT_CALLER_INVITE_LIMIT,
  DEFAULT_PAIR_INVITE_LIMIT,
  InviteLimits,
  type InviteLimitOptions,
} from './calls/InviteLimits';
import {
  StoppableScheduler,
  systemClock,
  timerScheduler,
  type Clock,
  type Scheduler,
} from './calls/timePorts';
import { ClientConnection } from './connection/ClientConnection';
import { Heartbeat } from './connection/Heartbeat';
import {
  DEFAULT_FLOOD_CLOSE_AFTER,
  DEFAULT_MESSAGE_BURST,
  DEFAULT_MESSAGE_RATE,
  DEFAULT_SEND_QUEUE_BYTES,
  DEFAULT_SIGN_IN_DEADLINE_MS,
  type ConnectionLimits,
} from './connection/ConnectionLimits';
import { AccountStore } from './db/AccountStore';
import { CallLinkStore } from './db/CallLinkStore';
import { CallLogStore } from './db/CallLogStore';
import { ContactStore, DEFAULT_MAX_CONTACTS } from './db/ContactStore';
import { DEFAULT_COMMIT_DELAY_MS, GroupCommit } from './db/GroupCommit';
import { openDatabase } from './db/openDatabase';
import { SessionStore } from './db/SessionStore';
import { GroupCallLogStore } from './db/GroupCallLogStore';
import { FrontDoor } from './frontDoor/FrontDoor';
import { createHttpHandler } from './http/handleHttpRequest';
import {
  attemptLimits,
  DEFAULT_ADDRESS_LIMITS,
  type AddressLimitOptions,
} from './limits/addressLimits';
import { InProcessPendingLinks, LINK_CODE_TTL_MS } from './linking/InProcessPendingLinks';
import { PresenceService } from './presence/PresenceService';
import { InProcessDeviceDirectory } from './routing/InProcessDeviceDirectory';
import { InProcessNoticeStreams } from './routing/InProcessNoticeStreams';
import { CallLinks } from './rooms/CallLinks';
import { RoomService } from './rooms/RoomService';
import type { ServerServices } from './ServerServices';
import { LazyMediaRouter } from './sfu/LazyMediaRouter';
import type { MediaRouter } from './sfu/MediaRouter';
import { MediasoupMediaRouter } from './sfu/MediasoupMediaRouter';
import { resolveSfuOptions, SfuOptionsError, type SfuOptions } from './sfu/SfuOptions';
import { IceIssuer, type TurnOptions } from './turn/IceIssuer';

export interface ServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  dataDir: string;
  /** Folder of the built web client. */
  webRoot?: string;
  tls?: { certFile: string; keyFile: string };
  ringTimeoutMs?: number;
  sessionTtlMs?: number;
  /** How long a device-link code stays valid. */
  linkCodeTtlMs?: number;
  /**
   * How long a device whose connection closed (or that was in a call when the server stopped)
   * keeps its calls and presence, waiting for it to sign in again.
   */
  reconnectGraceMs?: number;
  /** Most unacknowledged notices kept for one device; one more ends its stream. */
  noticeQueueLimit?: number;
  /** Most bytes queued for a connection that it has not read; more closes it with 4009. */
  sendQueueBytes?: number;
  /** Messages a connection may send at once, and per second after that. */
  messageBurst?: number;
  messageRate?: number;
  /** Messages sent in one retry-after period after `rate_limited` that close it with 4008. */
  floodCloseAfter?: number;
  /** How long a connection may go without signing in (or waiting for a link): then 4010. */
  signInDeadlineMs?: number;
  /** Most contacts one account may have (`contacts_full` beyond). */
  maxContacts?: number;
  /**
   * How long the writes of a turn wait for more before they commit as one transaction (0: at the
   * end of the turn; GROUP_COMMIT_OFF: each statement on its own). See server/db/GroupCommit.ts.
   */
  commitDelayMs?: number;
  /** How many calls a user may start, per caller and per caller-callee pair. */
  inviteLimits?: Partial<InviteLimitOptions>;
  /** Time as ports, for tests that move it themselves; the system clock and timers otherwise. */
  time?: { clock: Clock; scheduler: Scheduler };
  /** STUN/TURN servers for clients; without it they get none and connect directly. */
  turn?: TurnOptions;
  /** Names besides IP literals and `localhost` that requests may carry in `Host`. */
  hostnames?: string[];
  /** Web origins, besides the server's own and the desktop app's, whose pages may connect. */
  allowedOrigins?: string[];
  /** Reverse proxies (IP addresses, CIDR ranges) whose `X-Forwarded-For` is believed. */
  trustedProxies?: string[];
  /** What one remote address may do (server/limits/addressLimits.ts); each field has a default. */
  addressLimits?: Partial<AddressLimitOptions>;
  /**
   * Group calls, through mediasoup workers started on the first group call, with these options
   * over the defaults (server/sfu/SfuOptions.ts). Without `sfu` or `mediaRouter` the server has no
   * group calls: `features` offers none and every `room.*` message is refused.
   */
  sfu?: Partial<SfuOptions>;
  /** Group calls through this SFU instead (the server's tests pass a fake); not closed with it. */
  mediaRouter?: MediaRouter;
  /** Most people in one group call, ringing invitations included (1 to MAX_ROOM_MEMBERS). */
  maxCallMembers?: number;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  wsUrl: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const DEFAULT_RECONNECT_GRACE_MS = 30_000;
export const DEFAULT_NOTICE_QUEUE_LIMIT = 512;
/** Frames up to this size are read so that larger-than-protocol ones get a `too_large` answer. */
const WS_MAX_PAYLOAD = 1024 * 1024;

/**
 * The SFU the options ask for (mediasoup workers start on the first group call), and the most
 * people one group call may have; throws SfuOptionsError, before anything starts, when they are
 * wrong.
 */
function groupCallsOf(options: ServerOptions): {
  mediaRouter: MediaRouter | null;
  ownRouter: MediaRouter | null;
  maxCallMembers: number;
} {
  const maxCallMembers = options.maxCallMembers ?? MAX_ROOM_MEMBERS;
  if (
    !Number.isInteger(maxCallMembers) ||
    maxCallMembers < 2 ||
    maxCallMembers > MAX_ROOM_MEMBERS
  ) {
    throw new SfuOptionsError(
      `The most people in a group call must be a whole number from 2 to ${MAX_ROOM_MEMBERS}, not ${maxCallMembers}`,
    );
  }
  if (options.mediaRouter) {
    return { mediaRouter: options.mediaRouter, ownRouter: null, maxCallMembers };
  }
  if (!options.sfu) return { mediaRouter: null, ownRouter: null, maxCallMembers };
  const sfu = resolveSfuOptions({ ...options.sfu, participantsPerCall: maxCallMembers });
  const router = new LazyMediaRouter(() => MediasoupMediaRouter.start(sfu));
  return { mediaRouter: router, ownRouter: router, maxCallMembers };
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const groupCalls = groupCallsOf(options);
  const logger = options.logger ?? pino();
  const host = options.host ?? '127.0.0.1';
  const addressLimits = { ...DEFAULT_ADDRESS_LIMITS, ...options.addressLimits };
  const frontDoor = new FrontDoor(
    {
      hostnames: options.hostnames ?? [],
      allowedOrigins: options.allowedOrigins ?? [],
      trustedProxies: options.trustedProxies ?? [],
      tls: Boolean(options.tls),
      connectionsPerAddress: addressLimits.connections,
    },
    logger.child({ component: 'front door' }),
  );
  const db = openDatabase(options.dataDir);
  const clock = options.time?.clock ?? systemClock;
  // Every timer of this server, so that close() can cancel those still pending.
  const scheduler = new StoppableScheduler(options.time?.scheduler ?? timerScheduler);
  const reconnectGraceMs = options.reconnectGraceMs ?? DEFAULT_RECONNECT_GRACE_MS;
  const commits = new GroupCommit(
    db,
    options.commitDelayMs ?? DEFAULT_COMMIT_DELAY_MS,
    logger.child({ component: 'group commit' }),
  );
  const accounts = new AccountStore(db, commits);
  const contacts = new ContactStore(db, options.maxContacts ?? DEFAULT_MAX_CONTACTS, commits);
  const callLog = new CallLogStore(db, commits);
  const groupLog = new GroupCallLogStore(db, commits);
  groupLog.closeInterrupted(clock.now());
  const interrupted = callLog.closeInterrupted(clock.now());
  if (interrupted > 0) logger.warn({ calls: interrupted }, 'closed calls interrupted by a stop');

  const streams = new InProcessNoticeStreams(
    {
      maxNotices: options.noticeQueueLimit ?? DEFAULT_NOTICE_QUEUE_LIMIT,
      maxAgeMs: reconnectGraceMs,
    },
    clock,
  );
  const directory = new InProcessDeviceDirectory({
    streams,
    clock,
    scheduler,
    reconnectGraceMs,
    onGone: (deviceId, userId, since) => {
      calls.deviceGone(deviceId, since);
      rooms.deviceGone(deviceId, since);
      presence.publish(userId);
    },
  });
  // One allowance for 1:1 calls and group invitations alike.
  const inviteLimits = new InviteLimits({
    perCaller: options.inviteLimits?.perCaller ?? DEFAULT_CALLER_INVITE_LIMIT,
    perPair: options.inviteLimits?.perPair ?? DEFAULT_PAIR_INVITE_LIMIT,
  });
  const calls: CallService = new CallService({
    clock,
    scheduler,
    maxCallMembers: groupCalls.maxCallMembers,
    ringTimeoutMs: options.ringTimeoutMs ?? RING_TIMEOUT_MS,
    directory,
    accounts,
    contacts,
    callLog,
    inviteLimits,
    presence: () => presence,
    partyRejoining: (callId, deviceId) => rooms.partyRejoining(callId, deviceId),
    logger: logger.child({ component: 'calls' }),
  });
  const rooms = new RoomService({
    clock,
    scheduler,
    ringTimeoutMs: options.ringTimeoutMs ?? RING_TIMEOUT_MS,
    reconnectGraceMs,
    maxMembers: groupCalls.maxCallMembers,
    rooms: calls.registry.rooms,
    oneToOneCall: (callId) => calls.registry.get(callId),
    mediaRouter: groupCalls.mediaRouter,
    directory,
    accounts,
    contacts,
    callLog,
    groupLog,
    inviteLimits,
    presence: () => presence,
    logger: logger.child({ component: 'group calls' }),
  });
  const presence = new PresenceService({
    directory,
    accounts,
    contacts,
    isInCall: (userId) => calls.isUserInAcceptedCall(userId),
    logger: logger.child({ component: 'presence' }),
  });
  const inSavepoint = db.transaction((work: () => unknown) => work()) as <T>(work: () => T) => T;
  const restored = calls.restoreLiveCalls();
  if (restored > 0) logger.info({ calls: restored }, 'live calls taken back in after a stop');
  const services: ServerServices = {
    clock,
    scheduler,
    logger,
    atomically: (work) => commits.write(() => inSavepoint(work)),
    commits,
    accounts,
    sessions: new SessionStore(db, options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS, commits),
    contacts,
    callLog,
    groupLog,
    directory,
    streams,
    presence,
    calls,
    rooms,
    callLinks: new CallLinks({
      clock,
      store: new CallLinkStore(db, commits),
      rooms,
      directory,
    }),
    links: new InProcessPendingLinks(clock, scheduler, options.linkCodeTtlMs ?? LINK_CODE_TTL_MS),
    ice: new IceIssuer(options.turn, clock, scheduler),
    attempts: attemptLimits(addressLimits, clock),
  };

  const tls = options.tls;
  const onRequest = createHttpHandler({
    webRoot: options.webRoot ?? join(__dirname, '../renderer'),
    tls: Boolean(tls),
    logger,
    checkRequest: (request) => frontDoor.checkRequest(request),
  });
  let server: Server;
  try {
    server = tls
      ? createHttpsServer(
          { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
          onRequest,
        )
      : createHttpServer(onRequest);
  } catch (error) {
    scheduler.stop();
    commits.commit();
    db.close();
    throw error;
  }

  const connectionLimits: ConnectionLimits = {
    sendQueueBytes: options.sendQueueBytes ?? DEFAULT_SEND_QUEUE_BYTES,
    messageBurst: options.messageBurst ?? DEFAULT_MESSAGE_BURST,
    messageRate: options.messageRate ?? DEFAULT_MESSAGE_RATE,
    floodCloseAfter: options.floodCloseAfter ?? DEFAULT_FLOOD_CLOSE_AFTER,
    signInDeadlineMs: options.signInDeadlineMs ?? DEFAULT_SIGN_IN_DEADLINE_MS,
  };
  const connections = new Map<WebSocket, ClientConnection>();
  // On real timers even when tests move the server's time: pings are answered in real time.
  const heartbeat = new Heartbeat(timerScheduler);
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD });
  const accept = (socket: WebSocket, request: IncomingMessage, origin: string) => {
    const connection = new ClientConnection(
      socket,
      services,
      frontDoor.addressOf(request),
      origin,
      connectionLimits,
    );
    connections.set(socket, connection);
    heartbeat.add(socket);
    socket.on('pong', () => heartbeat.answered(socket));
    socket.on('message', (data, isBinary) => connection.receive(data, isBinary));
    socket.on('error', (error) => connection.logger.debug({ err: error }, 'socket error'));
    socket.on('close', () => {
      connections.delete(socket);
      heartbeat.remove(socket);
      connection.closed();
    });
  };
  server.on('upgrade', (request, socket: Socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const origin = frontDoor.admitUpgrade(request, socket);
    if (origin === null) return;
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request, origin));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    heartbeat.stop();
    scheduler.stop();
    commits.commit();
    db.close();
    throw error;
  }

  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const url = `${tls ? 'https' : 'http'}://${hostPart}:${port}`;
  const wsUrl = `${tls ? 'wss' : 'ws'}://${hostPart}:${port}/ws`;

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      heartbeat.stop();
      // Calls stay live: answered ones are in the call log and come back at the next start.
      scheduler.stop();
      groupCalls.ownRouter?.close();
      // What is told before the stop goes out first, once it is stored.
      commits.commit();
      for (const [socket, connection] of connections) {
        connection.serverStopping();
        socket.close(1001, 'server shutting down');
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of connections.keys()) socket.terminate();
      await serverClosed;
      commits.commit();
      db.close();
      logger.info('stopped');
    })();
    return closing;
  };

  return { url, wsUrl, port, close };
}
