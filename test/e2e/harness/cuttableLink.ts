import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP forwarder on its own loopback port in front of the server, so that a page loaded through
 * it (page and WebSocket alike) can lose its link to the server the ways real networks lose it:
 * a blackhole (nothing gets through, nothing is closed, like a dropping firewall rule: open
 * connections stall and new ones hang) and a hard close (every open connection reset at once).
 */
export interface CuttableLink {
  /** Base URL of the server as reached through the link. */
  url: string;
  /** Stops forwarding without closing anything; new connections are held unanswered. */
  blackhole(): void;
  /** Resets every open connection (both ends). */
  resetAll(): void;
  /** Forwards again: stalled connections go on, held ones reach the server. */
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | null;
  /** What the client sent before the pair was joined to the server. */
  early: Buffer[];
}

export async function startCuttableLink(target: {
  host: string;
  port: number;
}): Promise<CuttableLink> {
  const pairs = new Set<Pair>();
  let cut = false;

  const join = (pair: Pair) => {
    const upstream = connect(target.port, target.host);
    pair.upstream = upstream;
    for (const chunk of pair.early.splice(0)) upstream.write(chunk);
    upstream.on('data', (chunk: Buffer) => pair.client.write(chunk));
    upstream.on('close', () => drop(pair));
    upstream.on('error', () => drop(pair));
  };
  const drop = (pair: Pair) => {
    if (!pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  };

  const server = createServer((client) => {
    const pair: Pair = { client, upstream: null, early: [] };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (pair.upstream) pair.upstream.write(chunk);
      else pair.early.push(chunk);
    });
    client.on('close', () => drop(pair));
    client.on('error', () => drop(pair));
    // A paused socket reads nothing: its bytes wait in the kernel, as behind a dropping firewall.
    if (cut) client.pause();
    else join(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    blackhole: () => {
      cut = true;
      for (const pair of pairs) {
        pair.client.pause();
        pair.upstream?.pause();
      }
    },
    resetAll: () => {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.resetAndDestroy();
        pair.upstream?.resetAndDestroy();
      }
    },
    restore: () => {
      cut = false;
      for (const pair of pairs) {
        if (!pair.upstream) join(pair);
        pair.client.resume();
        pair.upstream?.resume();
      }
    },
    close: async () => {
      for (const pair of [...pairs]) drop(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
