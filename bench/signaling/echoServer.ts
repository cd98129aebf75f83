import { WebSocketServer } from 'ws';

/**
 * The anchor: a bare `ws` server on loopback that sends every frame back as it came, in its own
 * process so that its CPU is read from /proc like the real server's. It reports its port over IPC.
 */
export function runEchoServerProcess(): void {
  process.on('disconnect', () => process.exit(0)); // the bench is gone
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  server.on('listening', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('echo server: no port');
    process.send!({ port: address.port });
  });
}
