/**
 * Shared set-up for the document-only conformance tests: one server per test file, started with
 * `startServer` (the only server code they use), plus sign-in and device-linking helpers written
 * from docs/protocol.md alone.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { startServer } from '../../server/app';
import {
  certifyText,
  DocClient,
  makeIdentity,
  makeKeyShare,
  sign,
  type CloseInfo,
  type Identity,
  type KeyShare,
  type Msg,
} from './DocClient';
import { fingerprintOf, sdp } from './sdpFixtures';

export const B64_32 = /^[A-Za-z0-9+/]{43}=$/;
export const B64_64 = /^[A-Za-z0-9+/]{86}==$/;
export const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;
export const STREAM_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** 12 Crockford base32 characters (`0-9 A-H J K M N P-T V-Z`) as `XXXX-XXXX-XXXX`. */
export const LINK_CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const ERROR_FIELDS = ['v', 'type', 're', 'code', 'message', 'callId', 'retryAfterMs'];

export interface Harness {
  url(): string;
  /** Stops the server (as on SIGTERM) and starts it again on the same data and port. */
  restart(): Promise<void>;
  /** A new connection; `headers` go on its upgrade request. */
  connect(headers?: Record<string, string>): Promise<DocClient>;
  uniqueName(base: string): string;
  newUser(base: string): Promise<User>;
}

/** One signed-in device of an account. */
export interface User {
  c: DocClient;
  username: string;
  displayName: string;
  identity: Identity;
  deviceId: string;
  sessionId: string;
}

/** Server settings the document names (defaults otherwise: 10 s ring timeout for these tests). */
export interface ServerSettings {
  ringTimeoutMs?: number;
  /** "Calls across disconnects": how long a dropped device stays away. */
  reconnectGraceMs?: number;
  /** "Notice streams": most unacknowledged notices kept per device. */
  noticeQueueLimit?: number;
  /** "Who may connect": names accepted in `Host`, and the operator's trusted reverse proxies. */
  hostnames?: string[];
  trustedProxies?: string[];
  /** "Who may connect" and "Per-address limits": the operator's numbers instead of defaults. */
  addressLimits?: {
    connections?: number;
    signInsPerMinute?: number;
    registrationsPerHour?: number;
    linkRequestsPerMinute?: number;
  };
  /** "Limits on a connection": the rate limit, the flood close and the sign-in deadline. */
  messageBurst?: number;
  messageRate?: number;
  floodCloseAfter?: number;
  signInDeadlineMs?: number;
  /** "People and presence": most contacts per account (`--max-contacts`). */
  maxContacts?: number;
  /** "Invite limits": calls a user may start to one callee at once (`--redial-burst`). */
  redialBurst?: number;
  /** "Group calls": the server carries them, its SFU on loopback in these ports (`--sfu-*`). */
  sfuPorts?: { min: number; max: number };
}

/** Starts a server for this test file (beforeAll) and stops it afterwards (afterAll). */
export function useServer(opts: ServerSettings = {}): Harness {
  let server: { url: string; wsUrl: string; port: number; close(): Promise<void> | void };
  let dataDir: string;
  const clients = new Set<DocClient>();
  let userSeq = 0;

  const start = (port: number) =>
    startServer({
      port,
      host: '127.0.0.1',
      dataDir,
      ringTimeoutMs: opts.ringTimeoutMs ?? 10_000,
      ...(opts.reconnectGraceMs !== undefined ? { reconnectGraceMs: opts.reconnectGraceMs } : {}),
      ...(opts.noticeQueueLimit !== undefined ? { noticeQueueLimit: opts.noticeQueueLimit } : {}),
      ...(opts.hostnames ? { hostnames: opts.hostnames } : {}),
      ...(opts.trustedProxies ? { trustedProxies: opts.trustedProxies } : {}),
      ...(opts.addressLimits ? { addressLimits: opts.addressLimits } : {}),
      ...(opts.messageBurst !== undefined ? { messageBurst: opts.messageBurst } : {}),
      ...(opts.messageRate !== undefined ? { messageRate: opts.messageRate } : {}),
      ...(opts.floodCloseAfter !== undefined ? { floodCloseAfter: opts.floodCloseAfter } : {}),
      ...(opts.signInDeadlineMs !== undefined ? { signInDeadlineMs: opts.signInDeadlineMs } : {}),
      ...(opts.maxContacts !== undefined ? { maxContacts: opts.maxContacts } : {}),
      ...(opts.sfuPorts
        ? {
            sfu: {
              listenIp: '127.0.0.1',
              workers: 1,
              rtcMinPort: opts.sfuPorts.min,
              rtcMaxPort: opts.sfuPorts.max,
            },
          }
        : {}),
      ...(opts.redialBurst !== undefined
        ? { inviteLimits: { perPair: { burst: opts.redialBurst, everyMs: 20_000 } } }
        : {}),
      logger: pino({ level: 'silent' }),
    });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-conformance-'));
    server = await start(0);
  });

  afterAll(async () => {
    await Promise.all([...clients].map((c) => c.drop()));
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    // Every client kept its notice stream without finding the server out of order.
    expect([...clients].flatMap((c) => c.streamErrors)).toEqual([]);
  });

  const h: Harness = {
    url: () => server.wsUrl,
    async restart() {
      await server.close();
      server = await start(server.port);
    },
    async connect(headers = {}) {
      const c = await DocClient.connect(server.wsUrl, 3000, headers);
      clients.add(c);
      return c;
    },
    uniqueName(base) {
      userSeq += 1;
      return `${base}${userSeq}`;
    },
    async newUser(base) {
      const username = h.uniqueName(base);
      const displayName = base[0]!.toUpperCase() + base.slice(1);
      const identity = makeIdentity();
      const c = await h.connect();
      const s = await c.register(identity, username, displayName, 'Laptop');
      expect(s).toMatchObject({ type: 'session' });
      return {
        c,
        username,
        displayName,
        identity,
        deviceId: String(s.deviceId),
        sessionId: String(s.sessionId),
      };
    },
  };
  return h;
}

export function expectError(m: Msg, code: string, re: string | null | undefined = undefined) {
  expect(m.type).toBe('error');
  expect(m.code).toBe(code);
  if (re !== undefined) expect(m.re).toBe(re);
  expect(typeof m.message).toBe('string');
  expect(m.v).toBe(1);
  for (const k of Object.keys(m)) expect(ERROR_FIELDS).toContain(k);
  if ('retryAfterMs' in m) expect(Number.isSafeInteger(m.retryAfterMs)).toBe(true);
  if ('retryAfterMs' in m) expect(m.retryAfterMs as number).toBeGreaterThanOrEqual(0);
}

/** The certificate an approver sends in `link.approve` for `newKey`, as `link.pending` showed it. */
export function certificate(
  approver: User,
  pending: { identityKey: string; code: string; expiresAt: number },
): string {
  const text = certifyText(approver.username, pending.identityKey, pending.code, pending.expiresAt);
  return sign(approver.identity.privateKey, text);
}

/**
 * Links a new device to `approver`'s account through the whole documented flow (request, lookup,
 * approve) and returns it signed in on the waiting connection.
 */
export async function linkDevice(
  h: Harness,
  approver: User,
  deviceName = 'Phone',
): Promise<User & { approveReply: Msg; approved: Msg; link: { code: string; expiresAt: number } }> {
  const identity = makeIdentity();
  const c = await h.connect();
  const code = await c.linkRequest(identity, deviceName);
  expect(code).toMatchObject({ type: 'link.code', code: expect.stringMatching(LINK_CODE) });
  const pending = await approver.c.request('link.lookup', { code: code.code });
  expect(pending).toMatchObject({ type: 'link.pending', identityKey: identity.identityKey });
  const approveReply = await approver.c.request('link.approve', {
    code: code.code,
    signature: certificate(approver, {
      identityKey: identity.identityKey,
      code: String(pending.code),
      expiresAt: Number(pending.expiresAt),
    }),
  });
  expect(approveReply).toMatchObject({ type: 'devices' });
  const approved = await c.next('link.approved');
  return {
    c,
    username: approver.username,
    displayName: approver.displayName,
    identity,
    deviceId: String(approved.deviceId),
    sessionId: String(approved.sessionId),
    approveReply,
    approved,
    // What its chain element's `link` holds: the code and expiry its certificate was signed for.
    link: { code: String(pending.code), expiresAt: Number(pending.expiresAt) },
  };
}

/** Resolves with the close info, or rejects when the socket is still open after `ms`. */
export function closedWithin(c: DocClient, ms = 3000): Promise<CloseInfo> {
  return new Promise<CloseInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    void c.closed.then((info) => {
      clearTimeout(timer);
      resolve(info);
    });
  });
}

/** The DTLS fingerprint of `inviteAudio`'s offer, which its key share names too. */
/** Picks out the messages of one call (for `next` and `collect`). */
export const byCall = (callId: string) => (m: Msg) => m.callId === callId;

/** `u`'s key share for `callId` in `role`, binding the DTLS `fingerprint` of its SDP. */
export function keyShareOf(
  u: User,
  role: 'caller' | 'callee',
  callId: string,
  fingerprint: string,
): KeyShare {
  return makeKeyShare(
    u.identity,
    { role, callId, username: u.username, deviceId: u.deviceId },
    fingerprint,
  );
}

/** The `from` of a call.invite from `u`, the first device of its account (a chain of one key). */
export function inviteFrom(u: User) {
  return {
    username: u.username,
    displayName: u.displayName,
    deviceId: u.deviceId,
    identity: [{ identityKey: u.identity.identityKey, signature: null }],
  };
}

export const AUDIO_OFFER_FINGERPRINT = fingerprintOf(1);

/** `caller` rings `to` for an audio call: `call.invite` with a matching offer and key share. */
export function inviteAudio(
  caller: User,
  to: string,
  callId: string = crypto.randomUUID(),
): Promise<Msg> {
  const { username, deviceId } = caller;
  const keyShare = makeKeyShare(
    caller.identity,
    { role: 'caller', callId, username, deviceId },
    AUDIO_OFFER_FINGERPRINT,
  );
  const offer = sdp('offer', AUDIO_OFFER_FINGERPRINT);
  return caller.c.request('call.invite', { callId, to, media: 'audio', sdp: offer, keyShare });
}
