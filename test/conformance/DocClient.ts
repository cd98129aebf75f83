/**
 * A minimal Parley signaling client written only from docs/protocol.md (protocol version 1).
 *
 * It knows nothing of the project's own code: messages are plain JSON objects, requests are
 * matched to replies by `id` / `re`, and everything else (notifications, errors with `re: null`,
 * replies to frames sent raw) lands in a queue that tests read with `next()`.
 *
 * Once signed in it keeps the notice stream ("Notice streams"): it processes server notices once
 * and in order by `seq` (dropping resends, recording anything out of order in `streamErrors`),
 * acknowledges them (batched), numbers its own notices sent with `notify()` and keeps them until
 * acknowledged, and resumes a stream on a new connection (`resume(session, previousClient)`),
 * sending again what the server did not get. Queued notices are delivered without `seq` (the
 * stream consumed it); `log` holds every message exactly as received.
 */
import * as crypto from 'node:crypto';
import { WebSocket, type RawData } from 'ws';

/** One protocol message as received: always an object with `type` (the rest is unchecked). */
export type Msg = { type: string; [field: string]: unknown };

/** An Ed25519 device identity: raw public key in standard base64 and the private key. */
export interface Identity {
  identityKey: string;
  privateKey: crypto.KeyObject;
}

export function makeIdentity(): Identity {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const raw = der.subarray(der.length - 32);
  return { identityKey: raw.toString('base64'), privateKey };
}

export function sign(privateKey: crypto.KeyObject, text: string): string {
  return crypto.sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
}

/**
 * "Signing in", the server origin: the WebSocket URL the client connected to as
 * `ws://host[:port]` or `wss://host[:port]`, host in lower case (IPv6 in brackets), the port left
 * out when it is the scheme's default (80 for ws, 443 for wss), no path and no trailing slash.
 */
export function serverOriginOf(wsUrl: string): string {
  const url = new URL(wsUrl);
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme !== 'ws' && scheme !== 'wss') throw new Error(`not a WebSocket URL: ${wsUrl}`);
  const defaultPort = scheme === 'ws' ? '80' : '443';
  const port = url.port === '' || url.port === defaultPort ? '' : `:${url.port}`;
  return `${scheme}://${url.hostname.toLowerCase()}${port}`;
}

/** `parley-auth-v2\nregister\n<origin>\n<nonce>\n<username>\n<identityKey>` (no trailing newline). */
export function registerText(
  origin: string,
  nonce: string,
  username: string,
  identityKey: string,
): string {
  return ['parley-auth-v2', 'register', origin, nonce, username, identityKey].join('\n');
}

/** `parley-auth-v2\nlogin\n<origin>\n<nonce>\n<username>\n<deviceId>` (no trailing newline). */
export function loginText(
  origin: string,
  nonce: string,
  username: string,
  deviceId: string,
): string {
  return ['parley-auth-v2', 'login', origin, nonce, username, deviceId].join('\n');
}

/** `parley-auth-v2\nresume\n<origin>\n<nonce>\n<sessionId>` (no trailing newline). */
export function resumeText(origin: string, nonce: string, sessionId: string): string {
  return ['parley-auth-v2', 'resume', origin, nonce, sessionId].join('\n');
}

/**
 * `parley-call-v2\n<role>\n<callId>\n<username>\n<deviceId>\n<ephemeralKey>\n<fingerprint>\n<signedAt>`
 * with `signedAt` in decimal digits.
 */
export function keyShareText(f: {
  role: 'caller' | 'callee';
  callId: string;
  username: string;
  deviceId: string;
  ephemeralKey: string;
  fingerprint: string;
  signedAt: number;
}): string {
  const { role, callId, username, deviceId, ephemeralKey, fingerprint, signedAt } = f;
  return [
    'parley-call-v2',
    role,
    callId,
    username,
    deviceId,
    ephemeralKey,
    fingerprint,
    String(signedAt),
  ].join('\n');
}

/** "Key shares": a receiver refuses a share signed more than 5 minutes before its clock... */
export const KEY_SHARE_MAX_AGE_MS = 300_000;
/** ...or more than 1 minute after it. */
export const KEY_SHARE_MAX_FUTURE_MS = 60_000;

export interface KeyShare {
  ephemeralKey: string;
  fingerprint: string;
  signedAt: number;
  signature: string;
}

/**
 * A `keyShare`: a fresh X25519 public key and the SDP's fingerprint, signed by the device at
 * `signedAt` (its clock: now unless a test names another time).
 */
export function makeKeyShare(
  identity: Identity,
  f: { role: 'caller' | 'callee'; callId: string; username: string; deviceId: string },
  fingerprint: string,
  signedAt = Date.now(),
): KeyShare {
  const der = crypto
    .generateKeyPairSync('x25519')
    .publicKey.export({ type: 'spki', format: 'der' });
  const ephemeralKey = der.subarray(der.length - 32).toString('base64');
  const text = keyShareText({ ...f, ephemeralKey, fingerprint, signedAt });
  return { ephemeralKey, fingerprint, signedAt, signature: sign(identity.privateKey, text) };
}

/**
 * "Group-call keys", member key share:
 * `parley-room-share-v1\n<callId>\n<slot>\n<username>\n<deviceId>\n<ephemeralKey>\n<signedAt>`.
 */
export function memberShareText(f: {
  callId: string;
  slot: number;
  username: string;
  deviceId: string;
  ephemeralKey: string;
  signedAt: number;
}): string {
  const { callId, slot, username, deviceId, ephemeralKey, signedAt } = f;
  return [
    'parley-room-share-v1',
    callId,
    String(slot),
    username,
    deviceId,
    ephemeralKey,
    String(signedAt),
  ].join('\n');
}

export interface MemberShare {
  ephemeralKey: string;
  slot: number;
  signedAt: number;
  signature: string;
}

/** A member share `{ ephemeralKey, slot, signedAt, signature }` with a fresh X25519 key. */
export function makeMemberShare(
  identity: Identity,
  f: { callId: string; slot: number; username: string; deviceId: string },
  signedAt = Date.now(),
): MemberShare {
  const der = crypto
    .generateKeyPairSync('x25519')
    .publicKey.export({ type: 'spki', format: 'der' });
  const ephemeralKey = der.subarray(der.length - 32).toString('base64');
  const text = memberShareText({ ...f, ephemeralKey, signedAt });
  return { ephemeralKey, slot: f.slot, signedAt, signature: sign(identity.privateKey, text) };
}

/**
 * `parley-auth-v2\nlink\n<origin>\n<nonce>\n<identityKey>`: what a new device signs in
 * `link.request`.
 */
export function linkRequestText(origin: string, nonce: string, identityKey: string): string {
  return ['parley-auth-v2', 'link', origin, nonce, identityKey].join('\n');
}

/**
 * `parley-link-v2\ncertify\n<username>\n<identityKey>\n<code>\n<expiresAt>`: the certificate
 * `link.approve` signs, and a chain link that carries `link`.
 */
export function certifyText(
  username: string,
  identityKey: string,
  code: string,
  expiresAt: number,
): string {
  return ['parley-link-v2', 'certify', username, identityKey, code, String(expiresAt)].join('\n');
}

/** `parley-link-v1\ncertify\n<username>\n<identityKey>`: a chain link without `link`. */
export function certifyV1Text(username: string, identityKey: string): string {
  return ['parley-link-v1', 'certify', username, identityKey].join('\n');
}

/** DER SPKI prefix of an Ed25519 public key (RFC 8410); the raw 32 bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The Ed25519 public key whose raw form is `identityKey` (standard base64, 32 bytes). */
export function publicKeyFromRaw(identityKey: string): crypto.KeyObject {
  const raw = Buffer.from(identityKey, 'base64');
  if (raw.length !== 32 || raw.toString('base64') !== identityKey) {
    throw new Error(`not a canonical 32-byte base64 key: ${identityKey}`);
  }
  return crypto.createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}

/** Verifies an Ed25519 `signature` (base64) over UTF-8 `text` with raw key `identityKey`. */
export function verifySignature(identityKey: string, text: string, signature: unknown): boolean {
  if (typeof signature !== 'string') return false;
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64 || sig.toString('base64') !== signature) return false;
  try {
    return crypto.verify(null, Buffer.from(text, 'utf8'), publicKeyFromRaw(identityKey), sig);
  } catch {
    return false;
  }
}

/** One element of an identity chain as the document describes it. */
export interface ChainLink {
  identityKey: string;
  signature: string | null;
  link?: { code: string; expiresAt: number };
}

/**
 * Verifies an identity chain as a client would ("Identity chains"): 1-8 elements, `chain[0]` the
 * root with `signature: null`, and each later `chain[i].signature` made by `chain[i-1]` over the
 * v2 certificate text with `chain[i].link`'s code and expiry, or the v1 text when it has no
 * `link`. Returns null when it verifies, otherwise why not.
 */
export function chainProblem(chain: unknown, username: string): string | null {
  if (!Array.isArray(chain)) return 'not an array';
  if (chain.length < 1 || chain.length > 8) return `length ${chain.length}`;
  const links = chain as ChainLink[];
  if (links[0]!.signature !== null) return 'root signature is not null';
  for (let i = 1; i < links.length; i += 1) {
    const { identityKey, link } = links[i]!;
    const text = link
      ? certifyText(username, identityKey, link.code, link.expiresAt)
      : certifyV1Text(username, identityKey);
    if (!verifySignature(links[i - 1]!.identityKey, text, links[i]!.signature)) {
      return `link ${i} does not verify`;
    }
  }
  return null;
}

/**
 * Verifies a key share as a receiving client would ("Key shares"): the signature with the chain's
 * last key over the documented text, the signing time within the window around `now`, and the
 * fingerprint against the SDP's `a=fingerprint`. (Replays are the receiver's memory, not a field.)
 */
export function keyShareVerifies(
  chain: ChainLink[],
  f: { role: 'caller' | 'callee'; callId: string; username: string; deviceId: string },
  keyShare: unknown,
  sdp: string,
  now = Date.now(),
): boolean {
  if (keyShare === null || typeof keyShare !== 'object') return false;
  const share = keyShare as Partial<Record<keyof KeyShare, unknown>>;
  if (typeof share.ephemeralKey !== 'string' || typeof share.fingerprint !== 'string') return false;
  if (typeof share.signedAt !== 'number' || !Number.isInteger(share.signedAt)) return false;
  if (share.signedAt < now - KEY_SHARE_MAX_AGE_MS || share.signedAt > now + KEY_SHARE_MAX_FUTURE_MS)
    return false;
  const last = chain[chain.length - 1];
  if (!last) return false;
  const text = keyShareText({
    ...f,
    ephemeralKey: share.ephemeralKey,
    fingerprint: share.fingerprint,
    signedAt: share.signedAt,
  });
  return (
    verifySignature(last.identityKey, text, share.signature) &&
    sdpFingerprint(sdp) === share.fingerprint
  );
}

/**
 * "Key shares", the fingerprint of an SDP: every `a=fingerprint` line well-formed, at least one
 * `sha-256` line of 32 hex pairs, all `sha-256` lines the same value (other hash functions
 * ignored); as `sha-256 ` and upper-case hex. Null when the SDP breaks the rule.
 */
export function sdpFingerprint(sdp: string): string | null {
  const values = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.startsWith('a=fingerprint:')) continue;
    const match = /^a=fingerprint:(\S+) ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*)$/.exec(line.trimEnd());
    if (!match) return null;
    if (match[1]!.toLowerCase() !== 'sha-256') continue;
    if (match[2]!.split(':').length !== 32) return null;
    values.add(`sha-256 ${match[2]!.toUpperCase()}`);
  }
  return values.size === 1 ? [...values][0]! : null;
}

/** A session to continue: its id (from `session` or `link.approved`) and its device's key. */
export interface ResumableSession {
  sessionId: string;
  identity: Identity;
}

interface Pending {
  resolve: (m: Msg) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  type: string;
  predicate: (m: Msg) => boolean;
  resolve: (m: Msg) => void;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

/** "Notice streams": one sign-in's stream, as this client keeps it. */
export interface StreamState {
  id: string;
  /** The last server notice `seq` processed. */
  received: number;
  /** The last `seq` this client put on a notice. */
  sent: number;
  /** This client's notices not acknowledged yet, in order. */
  unacked: Msg[];
}

/** "Notice streams": acknowledge at most about 250 ms after processing, or at once after 32. */
const ACK_DELAY_MS = 250;
const ACK_EVERY = 32;

/** A notice has neither `id` nor `re`; `ack` is neither a request nor a notice. */
function isNotice(m: Msg): boolean {
  return !('id' in m) && !('re' in m) && m.type !== 'ack';
}

export class DocClient {
  /** Every message received, in order (for diagnostics). */
  readonly log: Msg[] = [];
  /** Received messages not consumed as replies or by `next()`. */
  private queue: Msg[] = [];
  private waiters: Waiter[] = [];
  private pending = new Map<string, Pending>();
  private seq = 0;
  private closeInfo: CloseInfo | null = null;
  readonly closed: Promise<CloseInfo>;
  /** The notice stream, once signed in. */
  stream: StreamState | null = null;
  /** Acknowledge server notices by itself (tests that need a notice unacknowledged turn it off). */
  autoAck = true;
  /** Server notices dropped as resends of ones already processed. */
  duplicatesDropped = 0;
  /** Everything the server did against "Notice streams" (must stay empty). */
  readonly streamErrors: string[] = [];
  private unacknowledged = 0;
  private ackTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly ws: WebSocket,
    /** The server origin its sign-in texts name ("Signing in"). */
    readonly origin: string,
  ) {
    ws.on('message', (data: RawData, isBinary: boolean) => this.onFrame(data, isBinary));
    this.closed = new Promise<CloseInfo>((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => {
        this.closeInfo = { code, reason: reason.toString('utf8') };
        if (this.ackTimer) clearTimeout(this.ackTimer);
        for (const [, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new Error(`socket closed (${code}) before reply`));
        }
        this.pending.clear();
        resolve(this.closeInfo);
      });
    });
    ws.on('error', () => {
      /* surfaced through 'close' */
    });
  }

  /**
   * Opens a connection; `headers` go on the upgrade request (e.g. `Origin`). A `Host` among them
   * is the host the upgrade is sent to, so the origin signed is that host's.
   */
  static connect(
    url: string,
    timeoutMs = 3000,
    headers: Record<string, string> = {},
  ): Promise<DocClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const host = Object.entries(headers).find(([name]) => name.toLowerCase() === 'host')?.[1];
      const origin = serverOriginOf(host === undefined ? url : `${new URL(url).protocol}//${host}`);
      const client = new DocClient(ws, origin);
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`connect to ${url} timed out`));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(client);
      });
      ws.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  get isClosed(): boolean {
    return this.closeInfo !== null;
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data).toString('utf8');
    let msg: Msg;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        msg = { type: '<not an object>', raw: text };
      } else {
        msg = parsed as Msg;
        if (typeof msg.type !== 'string') msg = { type: '<no type>', raw: text };
      }
    } catch {
      msg = { type: '<not JSON>', raw: text };
    }
    if (isBinary) msg = { type: '<binary frame>', raw: text };
    this.log.push(msg);
    if (msg.type === 'session' || msg.type === 'link.approved') this.openStream(msg.stream);
    if (msg.type === 'ack') {
      this.acknowledged(msg.seq);
      return;
    }
    if (isNotice(msg) && this.stream && msg.type !== 'link.approved') {
      const processed = this.inStream(msg);
      if (!processed) return;
      msg = processed;
    }
    const re = msg.re;
    if (typeof re === 'string' && this.pending.has(re)) {
      const p = this.pending.get(re)!;
      this.pending.delete(re);
      clearTimeout(p.timer);
      p.resolve(msg);
      return;
    }
    const w = this.waiters.findIndex((x) => x.type === msg.type && x.predicate(msg));
    if (w >= 0) {
      const [waiter] = this.waiters.splice(w, 1);
      waiter!.resolve(msg);
      return;
    }
    this.queue.push(msg);
  }

  nextId(): string {
    this.seq += 1;
    return `r${this.seq}`;
  }

  /** Sends a text frame as is. */
  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** Sends a message object with `v: 1` added (unless `v` is given). */
  send(msg: Record<string, unknown>): void {
    this.ws.send(JSON.stringify({ v: 1, ...msg }));
  }

  /**
   * Sends a notification (no id) of `type` with `fields`; once signed in it is numbered and kept
   * until the server acknowledges it.
   */
  notify(type: string, fields: Record<string, unknown> = {}): void {
    if (!this.stream) {
      this.send({ type, ...fields });
      return;
    }
    this.stream.sent += 1;
    const notice = { v: 1, type, ...fields, seq: this.stream.sent };
    this.stream.unacked.push(notice);
    this.send(notice);
  }

  /** Acknowledges now every server notice processed so far. */
  ack(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.unacknowledged = 0;
    if (this.stream && !this.isClosed) this.send({ type: 'ack', seq: this.stream.received });
  }

  /** Processes a numbered server notice: the notice without `seq`, or null to drop it. */
  private inStream(msg: Msg): Msg | null {
    const stream = this.stream!;
    const { seq, ...notice } = msg;
    if (typeof seq !== 'number') {
      this.streamErrors.push(`${msg.type} without seq`);
      return msg;
    }
    if (seq <= stream.received) {
      this.duplicatesDropped += 1;
      return null;
    }
    if (seq !== stream.received + 1) {
      this.streamErrors.push(`${msg.type} seq ${seq}, expected ${stream.received + 1}`);
      return null;
    }
    stream.received = seq;
    this.unacknowledged += 1;
    if (this.autoAck) {
      if (this.unacknowledged >= ACK_EVERY) this.ack();
      else this.ackTimer ??= setTimeout(() => this.ack(), ACK_DELAY_MS);
    }
    return notice as Msg;
  }

  private acknowledged(seq: unknown): void {
    if (!this.stream || typeof seq !== 'number') return;
    this.stream.unacked = this.stream.unacked.filter((m) => (m.seq as number) > seq);
  }

  /**
   * The sign-in reply's `stream`: go on with the stream carried over from the previous connection
   * (sending again what the server has not processed), or start a new one, sending again the
   * carried notices not acknowledged, renumbered from 1.
   */
  private openStream(state: unknown): void {
    const { id, resumed, received } = (state ?? {}) as {
      id?: string;
      resumed?: boolean;
      received?: number;
    };
    if (typeof id !== 'string' || typeof received !== 'number') {
      this.streamErrors.push(`sign-in without a stream: ${JSON.stringify(state)}`);
      return;
    }
    const carried = this.stream;
    if (resumed && carried?.id === id) {
      carried.unacked = carried.unacked.filter((m) => (m.seq as number) > received);
      for (const notice of carried.unacked) this.send(notice);
      return;
    }
    if (resumed) this.streamErrors.push(`resumed a stream this client did not name: ${id}`);
    this.stream = { id, received: 0, sent: 0, unacked: [] };
    for (const { seq: _seq, ...notice } of carried?.unacked ?? []) {
      this.notify(notice.type as string, notice);
    }
  }

  /** Sends a request and resolves with its reply (the message whose `re` equals the id). */
  request(
    type: string,
    fields: Record<string, unknown> = {},
    opts: { id?: string; timeoutMs?: number } = {},
  ): Promise<Msg> {
    const id = opts.id ?? this.nextId();
    const timeoutMs = opts.timeoutMs ?? 3000;
    return new Promise<Msg>((resolve, reject) => {
      if (this.isClosed) {
        reject(new Error(`socket closed; cannot send ${type}`));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no reply to ${type} (id ${id}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.send({ type, id, ...fields });
    });
  }

  /** The next queued (or future) message of `type` matching `predicate`, removed from the queue. */
  next(type: string, predicate: (m: Msg) => boolean = () => true, timeoutMs = 3000): Promise<Msg> {
    const i = this.queue.findIndex((m) => m.type === type && predicate(m));
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0]!);
    return new Promise<Msg>((resolve, reject) => {
      const waiter: Waiter = {
        type,
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.log.map((m) => JSON.stringify(m).slice(0, 200)).slice(-10);
        reject(
          new Error(
            `no ${type} message within ${timeoutMs} ms; last received:\n  ${seen.join('\n  ')}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /**
   * Waits `ms` and returns every queued message of `type` matching `predicate` (removing them).
   * Used to assert that something did NOT arrive.
   */
  async collect(type: string, predicate: (m: Msg) => boolean = () => true, ms = 300) {
    await new Promise((r) => setTimeout(r, ms));
    const hits = this.queue.filter((m) => m.type === type && predicate(m));
    this.queue = this.queue.filter((m) => !hits.includes(m));
    return hits;
  }

  /** Queued messages (not consumed), for diagnostics. */
  peek(): readonly Msg[] {
    return this.queue;
  }

  /** Drops everything queued so far. */
  clear(): void {
    this.queue = [];
  }

  // ---- people ------------------------------------------------------------------------------

  /**
   * The whole contact list, as "People and presence" says to read it: `contacts.list` without
   * `after`, then with `after` set to each reply's `next` until `next` is null. Resolves with
   * every page's reply in order (or stops at the first reply that is not `contacts`).
   */
  async contactPages(limit?: number): Promise<Msg[]> {
    const pages: Msg[] = [];
    let after: unknown = undefined;
    do {
      const page = await this.request('contacts.list', {
        ...(after === undefined ? {} : { after }),
        ...(limit === undefined ? {} : { limit }),
      });
      pages.push(page);
      if (page.type !== 'contacts') break;
      after = page.next ?? undefined;
    } while (after !== undefined);
    return pages;
  }

  // ---- signing in -------------------------------------------------------------------------

  async hello(): Promise<Msg> {
    return this.request('hello', { client: 'doc-conformance/1.0' });
  }

  /** hello + auth.register; resolves with the reply (a `session` or an `error`). */
  async register(
    identity: Identity,
    username: string,
    displayName: string,
    deviceName: string,
  ): Promise<Msg> {
    const challenge = await this.hello();
    if (challenge.type !== 'auth.challenge') return challenge;
    const nonce = String(challenge.nonce);
    this.stream = null;
    return this.request('auth.register', {
      username,
      displayName,
      deviceName,
      identityKey: identity.identityKey,
      nonce,
      signature: sign(
        identity.privateKey,
        registerText(this.origin, nonce, username, identity.identityKey),
      ),
    });
  }

  /** hello + auth.login; resolves with the reply (a `session` or an `error`). */
  async login(identity: Identity, username: string, deviceId: string): Promise<Msg> {
    const challenge = await this.hello();
    if (challenge.type !== 'auth.challenge') return challenge;
    const nonce = String(challenge.nonce);
    this.stream = null;
    return this.request('auth.login', {
      username,
      deviceId,
      nonce,
      signature: sign(identity.privateKey, loginText(this.origin, nonce, username, deviceId)),
    });
  }

  /**
   * hello + link.request for a new device ("Linked devices", step 1); resolves with the reply (a
   * `link.code` or an `error`).
   */
  async linkRequest(identity: Identity, deviceName: string): Promise<Msg> {
    const challenge = await this.hello();
    if (challenge.type !== 'auth.challenge') return challenge;
    const nonce = String(challenge.nonce);
    return this.request('link.request', {
      deviceName,
      identityKey: identity.identityKey,
      nonce,
      signature: sign(
        identity.privateKey,
        linkRequestText(this.origin, nonce, identity.identityKey),
      ),
    });
  }

  /**
   * hello + session.resume signed with the session's device key ("Signing in"); with `previous`
   * (the client of the dropped connection), continues its stream: names it with the last notice
   * processed, and sends again what the server has not processed.
   */
  async resume(session: ResumableSession, previous?: DocClient): Promise<Msg> {
    const challenge = await this.hello();
    if (challenge.type !== 'auth.challenge') return challenge;
    const nonce = String(challenge.nonce);
    const { sessionId, identity } = session;
    const carried = previous?.stream;
    this.stream = carried ? { ...carried, unacked: [...carried.unacked] } : null;
    const stream = carried ? { stream: { id: carried.id, received: carried.received } } : {};
    return this.request('session.resume', {
      sessionId,
      nonce,
      signature: sign(identity.privateKey, resumeText(this.origin, nonce, sessionId)),
      ...stream,
    });
  }

  close(): Promise<CloseInfo> {
    if (!this.isClosed) this.ws.close(1000);
    return this.closed;
  }

  /** Drops the TCP connection without a close handshake (a "connection drop"). */
  drop(): Promise<CloseInfo> {
    if (!this.isClosed) this.ws.terminate();
    return this.closed;
  }
}
