import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/**
 * A malicious signaling path for one client: an HTTP server on its own loopback port that serves
 * the web client by passing every request through to the real server, and relays the client's
 * `/ws` connection to the real server's, rewriting chosen signaling messages on the way. The
 * page opened on `url` talks to the real server only through here; other clients are untouched.
 */

export type RelayDirection = 'client_to_server' | 'server_to_client';

export type SignalingMessage = { type: string } & Record<string, unknown>;

/** Returns the message to forward in place of `message`, or null to forward it unchanged. */
export type MessageRewrite = (
  message: SignalingMessage,
  direction: RelayDirection,
) => SignalingMessage | null;

/** Milliseconds to hold a message before forwarding it (0: at once); order is always kept. */
export type MessageDelay = (message: SignalingMessage, direction: RelayDirection) => number;

export interface TamperingRelay {
  /** Base URL of the web client as served through the relay. */
  url: string;
  /** Every message the rewrite changed, in order, as it left the relay. */
  readonly rewritten: { direction: RelayDirection; message: SignalingMessage }[];
  close(): Promise<void>;
}

/** Close codes a WebSocket endpoint may send on (1005, 1006 and 1015 are only ever reported). */
function sendableCloseCode(code: number): number {
  return code === 1000 || (code >= 1001 && code <= 1014 && code !== 1005 && code !== 1006)
    ? code
    : code >= 3000 && code <= 4999
      ? code
      : 1000;
}

export async function startTamperingRelay(
  serverUrl: string,
  rewrite: MessageRewrite,
  delay: MessageDelay = () => 0,
): Promise<TamperingRelay> {
  const upstream = new URL(serverUrl);
  const upstreamWs = `ws://${upstream.host}/ws`;
  const rewritten: TamperingRelay['rewritten'] = [];
  const sockets = new Set<Socket>();

  const http = createServer((request, response) => {
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: upstream.host },
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const relaySockets = new WebSocketServer({ noServer: true });
  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://relay').pathname !== '/ws') {
      socket.destroy();
      return;
    }
    relaySockets.handleUpgrade(request, socket, head, (client) => relay(client, request));
  });

  /** When the last message held back in each direction of a connection goes out. */
  const heldUntil = new WeakMap<WebSocket, number>();

  function forward(data: RawData, direction: RelayDirection, to: WebSocket): void {
    const text = data.toString();
    let outgoing = text;
    let holdMs = 0;
    try {
      const message = JSON.parse(text) as SignalingMessage;
      holdMs = delay(message, direction);
      const replacement = rewrite(message, direction);
      if (replacement) {
        rewritten.push({ direction, message: replacement });
        outgoing = JSON.stringify(replacement);
      }
    } catch {
      // Not JSON: the relay passes it through and lets the receiver judge it.
    }
    const sendAt = Math.max(Date.now() + holdMs, heldUntil.get(to) ?? 0);
    if (sendAt <= Date.now()) {
      to.send(outgoing);
      return;
    }
    heldUntil.set(to, sendAt);
    setTimeout(() => {
      if (to.readyState === WebSocket.OPEN) to.send(outgoing);
    }, sendAt - Date.now());
  }

  /**
   * The page signs in naming the origin it connected to, so the relay passes the page's `Host`
   * on, as a reverse proxy does: it stands in the middle of the page's own server, not at
   * another origin (where the server would refuse the relayed sign-in).
   */
  function relay(client: WebSocket, request: IncomingMessage): void {
    const server = new WebSocket(upstreamWs, {
      headers: request.headers.host ? { host: request.headers.host } : {},
    });
    const early: RawData[] = [];
    client.on('message', (data) => {
      if (server.readyState === WebSocket.OPEN) forward(data, 'client_to_server', server);
      else early.push(data);
    });
    server.on('open', () => {
      for (const data of early.splice(0)) forward(data, 'client_to_server', server);
    });
    server.on('message', (data) => forward(data, 'server_to_client', client));
    server.on('close', (code, reason) => client.close(sendableCloseCode(code), reason));
    client.on('close', (code, reason) => {
      if (server.readyState === WebSocket.CONNECTING) server.terminate();
      else server.close(sendableCloseCode(code), reason);
    });
    server.on('error', () => client.terminate());
    client.on('error', () => server.terminate());
  }

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    rewritten,
    close: async () => {
      for (const client of relaySockets.clients) client.terminate();
      relaySockets.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
