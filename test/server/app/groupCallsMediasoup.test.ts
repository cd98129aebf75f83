import { readdirSync, readFileSync } from 'node:fs';
import { createCall, joinCall } from '../support/groupCall';
import { startGroupCallServer } from '../support/groupCallServer';
import type { TestClient } from '../support/TestClient';
import type { TestServer } from '../support/testServer';

// The server with its real SFU (a mediasoup worker from the built binary, started on the first
// group call that asks for media): a member gets the call router's capabilities and transports.
jest.setTimeout(60_000);

/** The real SFU: one mediasoup worker on loopback, in ports of this file's own. */
const SFU = { listenIp: '127.0.0.1', workers: 1, rtcMinPort: 47600, rtcMaxPort: 47699 };

let server: TestServer;
afterEach(() => server.dispose());

test('a member of a group call gets the router capabilities and two transports from mediasoup', async () => {
  let alice: TestClient;
  let bob: TestClient;
  ({ server, alice, bob } = await startGroupCallServer(['alice', 'bob'], { sfu: SFU }));
  const { callId } = await createCall(alice);
  await joinCall(alice, bob, callId);

  const router = await bob.request({ type: 'room.router', callId });
  if (router.type !== 'room.router') throw new Error(JSON.stringify(router));
  const mimeTypes = (router.rtpCapabilities.codecs as { mimeType: string }[]).map(
    (codec) => codec.mimeType,
  );
  // Opus and VP8 only (and VP8's retransmission), as the protocol says.
  expect(new Set(mimeTypes)).toEqual(new Set(['audio/opus', 'video/VP8', 'video/rtx']));

  const transports = await bob.request({
    type: 'room.transports',
    callId,
    rtpCapabilities: router.rtpCapabilities,
  });
  if (transports.type !== 'room.transports') throw new Error(JSON.stringify(transports));
  expect(transports.send.id).not.toEqual(transports.recv.id);
  for (const transport of [transports.send, transports.recv]) {
    expect(transport.iceCandidates.length).toBeGreaterThan(0);
    for (const candidate of transport.iceCandidates) {
      expect(candidate).toMatchObject({ address: '127.0.0.1' });
      expect(candidate.port).toEqual(expect.any(Number));
      expect(candidate.port as number).toBeGreaterThanOrEqual(47600);
      expect(candidate.port as number).toBeLessThanOrEqual(47699);
    }
    expect(transport.dtlsParameters.fingerprints).toEqual(expect.any(Array));
  }
});

/** The mediasoup workers this test process started (its own child processes, by name). */
function ownMediasoupWorkers(): number[] {
  const children = readdirSync('/proc/self/task').flatMap((task) =>
    readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('mediasoup-work');
    } catch {
      return false;
    }
  });
}

async function routerOf(member: TestClient, callId: string) {
  const router = await member.request({ type: 'room.router', callId });
  if (router.type !== 'room.router') throw new Error(JSON.stringify(router));
  return router;
}

test('a worker killed with SIGKILL: every member is told the SFU lost the call, and starts again on a new one', async () => {
  // Workers of the test before may still be on their way out.
  const before = ownMediasoupWorkers();
  let alice: TestClient;
  let bob: TestClient;
  ({ server, alice, bob } = await startGroupCallServer(['alice', 'bob'], { sfu: SFU }));
  const { callId } = await createCall(alice);
  await joinCall(alice, bob, callId);
  const router = await routerOf(alice, callId);
  const [worker, ...others] = ownMediasoupWorkers().filter((pid) => !before.includes(pid));
  expect(others).toEqual([]);
  process.kill(worker!, 'SIGKILL');
  for (const member of [alice, bob]) {
    expect(await member.next((m) => m.type === 'room.sfu_lost', 20_000)).toMatchObject({ callId });
  }
  const again = await routerOf(bob, callId);
  expect(again.rtpCapabilities).toEqual(router.rtpCapabilities);
  const transports = await bob.request({
    type: 'room.transports',
    callId,
    rtpCapabilities: again.rtpCapabilities,
  });
  expect(transports).toMatchObject({ type: 'room.transports' });
  expect(ownMediasoupWorkers()).not.toContain(worker);
});
