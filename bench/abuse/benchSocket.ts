import WebSocket from 'ws';
import { PROTOCOL_VERSION, serverOrigin } from '../../protocol';
import { RateGate } from './rateGate';

/** One message as received: an object with `type`; the rest is read where it is needed. */
export type Msg = { type: string; re?: string | null; code?: string; [field: string]: unknown };

export interface CloseInfo {
  code: number;
  reason: string;
}

/** Generous: a server busy with a flood or a fuzz may take a while to accept. */
const CONNECT_TIMEOUT_MS = 30_000;
export const REPLY_TIMEOUT_MS = 20_000;

/**
 * A plain protocol client over a real WebSocket for driving the server: requests get an `id`,
 * pass the connection's RateGate and resolve with the reply carrying that `id` as `re` (an
 * `error` too). Everything else goes to `onOther`.
 */
export class BenchSocket {
  readonly gate = new RateGate();
  closeInfo: CloseInfo | null = null;
  readonly closed: Promise<CloseInfo>;
  onOther: (message: Msg) => void = () => {};
  private readonly pending = new Map<string, (message: Msg) => void>();
  private nextId = 1;

  private constructor(
    readonly ws: WebSocket,
    /** The server origin of the URL it connected to, which its sign-in texts name. */
    readonly origin: string,
  ) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
      });
    });
    ws.on('error', () => {}); // the close that follows is what counts
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Msg;
      const waiter = typeof message.re === 'string' ? this.pending.get(message.re) : undefined;
      if (waiter) {
        this.pending.delete(message.re as string);
        waiter(message);
      } else {
        this.onOther(message);
      }
    });
  }

  static open(url: string): Promise<BenchSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: CONNECT_TIMEOUT_MS });
      ws.once('open', () => resolve(new BenchSocket(ws, serverOrigin(url))));
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused: HTTP ${response.statusCode}`)),
      );
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends `{ v, type, id, ...fields }` once the rate gate allows it; resolves with the reply. */
  async request(
    type: string,
    fields: Record<string, unknown> = {},
    timeoutMs = REPLY_TIMEOUT_MS,
  ): Promise<Msg> {
    await this.gate.take();
    const id = `b${this.nextId++}`;
    const reply = new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no reply to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
    this.ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type, id, ...fields }));
    return reply;
  }

  /** As `request`, but an `error` reply, or one of another type, throws. */
  async expect(type: string, fields: Record<string, unknown>, replyType: string): Promise<Msg> {
    const reply = await this.request(type, fields);
    if (reply.type !== replyType) {
      throw new Error(`${type} answered ${JSON.stringify(reply).slice(0, 300)}`);
    }
    return reply;
  }

  /** The next message that is not a reply to a pending request and passes `predicate`. */
  next(predicate: (message: Msg) => boolean, timeoutMs = REPLY_TIMEOUT_MS): Promise<Msg> {
    const previous = this.onOther;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.onOther = previous;
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.onOther = (message) => {
        if (!predicate(message)) return previous(message);
        clearTimeout(timer);
        this.onOther = previous;
        resolve(message);
      };
    });
  }

  terminate(): void {
    this.ws.terminate();
  }
}
