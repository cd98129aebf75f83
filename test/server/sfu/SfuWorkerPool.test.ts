import { createSocket, type Socket } from 'node:dgram';
import { readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import type { CallRouter } from '../../../server/sfu/CallRouter';
import { CallFullError, SfuPortsExhaustedError } from '../../../server/sfu/MediaRouter';
import { loadMediasoup } from '../../../server/sfu/mediasoupWorkerBinary';
import { resolveSfuOptions, type SfuOptions } from '../../../server/sfu/SfuOptions';
import {
  SfuFullError,
  SfuWorkerPool,
  type SfuWorkerPoolEvents,
} from '../../../server/sfu/SfuWorkerPool';
import { pollUntil } from '../../e2e/harness/pollUntil';

/**
 * The SFU's worker pool and call routers over real mediasoup workers (the binary npm install
 * built). Deadlines only bound waits for events: a worker starting, dying, or a process exiting.
 */
jest.setTimeout(90_000);

const LOOPBACK = '127.0.0.1';
const PORTS = { rtcMinPort: 47100, rtcMaxPort: 47299 };

let pools: SfuWorkerPool[] = [];
async function startPool(
  overrides: Partial<SfuOptions>,
  events?: SfuWorkerPoolEvents,
): Promise<SfuWorkerPool> {
  const pool = await SfuWorkerPool.start(
    resolveSfuOptions({ listenIp: LOOPBACK, ...PORTS, ...overrides }),
    events,
  );
  pools.push(pool);
  return pool;
}
afterEach(() => {
  for (const pool of pools) pool.close();
  pools = [];
});

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once a TCP connection to the address is accepted; rejects if it is refused. */
function acceptsTcp(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

const loads = (pool: SfuWorkerPool) => pool.workerLoads.map(({ calls }) => calls);

test('the pool starts the configured number of worker processes, all running the built worker', async () => {
  const mediasoup = await loadMediasoup();
  const pool = await startPool({ workers: 3 });
  const pids = pool.workerLoads.map(({ pid }) => pid);
  expect(new Set(pids).size).toBe(3);
  for (const pid of pids) expect(readlinkSync(`/proc/${pid}/exe`)).toBe(mediasoup.workerBin);
  expect(loads(pool)).toEqual([0, 0, 0]);
});

test("a call's router offers Opus and VP8 only, with the RTP header extensions simulcast needs", async () => {
  const pool = await startPool({ workers: 1 });
  const { router } = await pool.createCallRouter('call');
  const mimeTypes = router.rtpCapabilities.codecs!.map(({ mimeType }) => mimeType);
  expect([...new Set(mimeTypes)].sort()).toEqual(['audio/opus', 'video/VP8', 'video/rtx']);
  const videoExtensions = router.rtpCapabilities
    .headerExtensions!.filter(({ kind }) => kind === 'video')
    .map(({ uri }) => uri);
  expect(videoExtensions).toEqual(
    expect.arrayContaining([
      'urn:ietf:params:rtp-hdrext:sdes:mid',
      'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
      'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
      'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    ]),
  );
});

test("each call's router lands on the worker with the fewest calls", async () => {
  const pool = await startPool({ workers: 2, callsPerWorker: 5 });
  const [first, second] = pool.workerLoads.map(({ pid }) => pid);
  const a = await pool.createCallRouter('a');
  const b = await pool.createCallRouter('b');
  const c = await pool.createCallRouter('c');
  expect([a.workerPid, b.workerPid, c.workerPid]).toEqual([first, second, first]);
  expect(loads(pool)).toEqual([2, 1]);

  c.close();
  a.close();
  expect(loads(pool)).toEqual([0, 1]);
  const d = await pool.createCallRouter('d');
  expect(d.workerPid).toBe(first);
  const e = await pool.createCallRouter('e');
  expect(e.workerPid).toBe(first);
  expect(loads(pool)).toEqual([2, 1]);
});

test('when every worker is at its call limit, a new call is refused with SfuFullError and nothing changes', async () => {
  const pool = await startPool({ workers: 2, callsPerWorker: 1 });
  const a = await pool.createCallRouter('a');
  await pool.createCallRouter('b');

  const refused = pool.createCallRouter('c');
  await expect(refused).rejects.toBeInstanceOf(SfuFullError);
  await expect(refused).rejects.toThrow(
    'Group calls are at capacity on this server right now; try again later',
  );
  expect(loads(pool)).toEqual([1, 1]);
  // The refused call left no router behind on either worker.
  expect((await a.router.dump()).transportIds).toEqual([]);
  await expect(pool.createCallRouter('c')).rejects.toBeInstanceOf(SfuFullError);

  // A call that already has a router is refused rather than given a second one.
  await expect(pool.createCallRouter('a')).rejects.toThrow('Call a already has a router');
  expect(loads(pool)).toEqual([1, 1]);

  a.close();
  const c = await pool.createCallRouter('c');
  expect(c.closed).toBe(false);
  expect(loads(pool)).toEqual([1, 1]);
});

test('calls started at the same moment cannot overfill the workers', async () => {
  const pool = await startPool({ workers: 2, callsPerWorker: 1 });
  const results = await Promise.allSettled(['a', 'b', 'c'].map((id) => pool.createCallRouter(id)));
  const refused = results.filter((result) => result.status === 'rejected');
  expect(refused).toHaveLength(1);
  expect(refused[0]!.reason).toBeInstanceOf(SfuFullError);
  expect(loads(pool)).toEqual([1, 1]);
});

test('people joining at the same moment cannot overfill a call', async () => {
  const pool = await startPool({ workers: 1, participantsPerCall: 2 });
  const call = await pool.createCallRouter('call');
  const results = await Promise.allSettled(
    ['alice', 'bob', 'carol'].map((id) => call.addParticipant(id)),
  );
  const refused = results.filter((result) => result.status === 'rejected');
  expect(refused).toHaveLength(1);
  expect(refused[0]!.reason).toBeInstanceOf(CallFullError);
  expect(call.participantCount).toBe(2);
  expect((await call.router.dump()).transportIds).toHaveLength(4);
});

test('the participant limit refuses one more person with CallFullError and nothing changes', async () => {
  const pool = await startPool({ workers: 1, participantsPerCall: 2 });
  const call = await pool.createCallRouter('call');
  const alice = await call.addParticipant('alice');
  await call.addParticipant('bob');
  const transportsBefore = (await call.router.dump()).transportIds.sort();
  expect(transportsBefore).toHaveLength(4);

  const refused = call.addParticipant('carol');
  await expect(refused).rejects.toBeInstanceOf(CallFullError);
  await expect(refused).rejects.toThrow('This call is full: it already has 2 people');
  expect(call.participantCount).toBe(2);
  expect((await call.router.dump()).transportIds.sort()).toEqual(transportsBefore);
  expect(alice.send.closed).toBe(false);

  await expect(call.addParticipant('bob')).rejects.toThrow('bob is already in call call');
  expect(call.participantCount).toBe(2);

  call.removeParticipant('alice');
  expect(alice.send.closed).toBe(true);
  expect(alice.receive.closed).toBe(true);
  await call.addParticipant('carol');
  expect(call.participantCount).toBe(2);
});

test.each([
  ['the listen address', undefined, LOOPBACK],
  ['the announced address', '192.0.2.10', '192.0.2.10'],
])(
  "a participant's transports offer UDP and TCP ICE candidates on %s, within the port range",
  async (_, announcedAddress, candidateAddress) => {
    const pool = await startPool({ workers: 1, announcedAddress });
    const call = await pool.createCallRouter('call');
    const { send, receive } = await call.addParticipant('alice');
    expect(send.id).not.toBe(receive.id);
    for (const transport of [send, receive]) {
      const candidates = transport.iceCandidates;
      expect(candidates.map(({ protocol, address }) => [protocol, address]).sort()).toEqual([
        ['tcp', candidateAddress],
        ['udp', candidateAddress],
      ]);
      for (const { port } of candidates) {
        expect(port).toBeGreaterThanOrEqual(PORTS.rtcMinPort);
        expect(port).toBeLessThanOrEqual(PORTS.rtcMaxPort);
      }
      expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
      // Whatever is announced, the sockets are bound on the listen address.
      const tcpPort = candidates.find(({ protocol }) => protocol === 'tcp')!.port;
      await acceptsTcp(LOOPBACK, tcpPort);
    }
  },
);

test('when the port range is used up, a joiner is refused with SfuPortsExhaustedError and nothing changes', async () => {
  // One port per protocol: the send transport takes it, so the receive transport finds none.
  const pool = await startPool({ workers: 1, rtcMinPort: 47300, rtcMaxPort: 47300 });
  const call = await pool.createCallRouter('call');

  const refused = call.addParticipant('alice');
  await expect(refused).rejects.toBeInstanceOf(SfuPortsExhaustedError);
  await expect(refused).rejects.toThrow(
    'The server has no free media ports for another person right now; try again later',
  );
  expect(call.participantCount).toBe(0);
  expect((await call.router.dump()).transportIds).toEqual([]);
  // The half-made send transport gave its port back: a transport on it alone can be made again.
  const onlyPort = { min: 47300, max: 47300 };
  const retaken = await call.router.createWebRtcTransport({
    listenInfos: [{ protocol: 'udp', ip: LOOPBACK, portRange: onlyPort }],
  });
  expect(retaken.iceCandidates.map(({ port }) => port)).toEqual([47300]);
});

test('a worker killed with SIGKILL is replaced, exactly its calls are reported lost, and new calls work', async () => {
  let reportLost: (lost: { callIds: string[]; cause: Error }) => void = () => {};
  const lost = new Promise<{ callIds: string[]; cause: Error }>((resolve) => {
    reportLost = resolve;
  });
  const pool = await startPool(
    { workers: 2, callsPerWorker: 5 },
    { onCallsLost: (callIds, cause) => reportLost({ callIds, cause }) },
  );
  const a = await pool.createCallRouter('a');
  const b = await pool.createCallRouter('b');
  const c = await pool.createCallRouter('c');
  const [doomed, survivor] = pool.workerLoads.map(({ pid }) => pid);
  expect(a.workerPid).toBe(doomed);
  expect(c.workerPid).toBe(doomed);

  process.kill(doomed!, 'SIGKILL');

  const { callIds, cause } = await lost;
  expect(callIds.sort()).toEqual(['a', 'c']);
  expect(cause.message).toContain('signal:SIGKILL');
  expect(a.closed).toBe(true);
  expect(c.closed).toBe(true);
  expect(b.closed).toBe(false);

  const workers = await pollUntil(
    async () => pool.workerLoads,
    (now) => now.length === 2,
    'a replacement worker',
  );
  const replacement = workers.find(({ pid }) => pid !== survivor)!;
  expect(replacement.pid).not.toBe(doomed);
  expect(processExists(replacement.pid)).toBe(true);
  expect(workers.find(({ pid }) => pid === survivor)?.calls).toBe(1);

  // The lost calls can come back, landing on the fresh worker, and the surviving call carries on.
  const rejoined = await pool.createCallRouter('a');
  expect(rejoined.workerPid).toBe(replacement.pid);
  await rejoined.addParticipant('alice');
  await b.addParticipant('bob');
  expect(b.participantCount).toBe(1);
});

test('a call started while its worker is being replaced waits for the replacement instead of being refused', async () => {
  let rejoin: Promise<CallRouter> | undefined;
  let reported: () => void = () => {};
  const lost = new Promise<void>((resolve) => {
    reported = resolve;
  });
  const pool = await startPool(
    { workers: 1, callsPerWorker: 1 },
    {
      // The room layer's first move: put the lost call back at once.
      onCallsLost: ([callId]) => {
        rejoin = pool.createCallRouter(callId!);
        reported();
      },
    },
  );
  const call = await pool.createCallRouter('a');

  process.kill(call.workerPid, 'SIGKILL');
  await lost;

  const rejoined = await rejoin!;
  expect(rejoined.workerPid).not.toBe(call.workerPid);
  expect(pool.workerLoads).toEqual([{ pid: rejoined.workerPid, calls: 1 }]);
});

test('closing the pool ends every worker process and closes every call', async () => {
  const pool = await startPool({ workers: 2 });
  const calls: CallRouter[] = [await pool.createCallRouter('a'), await pool.createCallRouter('b')];
  const pids = pool.workerLoads.map(({ pid }) => pid);
  for (const pid of pids) expect(processExists(pid)).toBe(true);

  pool.close();

  for (const call of calls) expect(call.closed).toBe(true);
  await pollUntil(
    async () => pids.filter(processExists),
    (running) => running.length === 0,
    'the worker processes to exit',
  );
  await expect(pool.createCallRouter('c')).rejects.toThrow('The SFU has shut down');
});

/** An Opus RTP packet carrying an ssrc-audio-level extension (RFC 6464) with id 1. */
function audioPacket(seq: number, ssrc: number, level: number): Buffer {
  const packet = Buffer.alloc(12 + 8 + 20);
  packet[0] = 0x90; // version 2, with a header extension
  packet[1] = 100; // payload type
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(seq * 960, 4);
  packet.writeUInt32BE(ssrc, 8);
  packet.writeUInt16BE(0xbede, 12); // one-byte header extensions
  packet.writeUInt16BE(1, 14); // one 32-bit word of them
  packet[16] = 0x10; // id 1, one byte of data
  packet[17] = 0x80 | level; // voice activity, level in -dBov (0 loudest, 127 silent)
  return packet;
}

test('the observer names the participant whose audio dominates the call', async () => {
  const speakers: string[] = [];
  const pool = await startPool(
    { workers: 1 },
    { onDominantSpeaker: (callId, participantId) => speakers.push(`${callId}:${participantId}`) },
  );
  const call = await pool.createCallRouter('call');
  const sockets: Socket[] = [];
  const senders: { port: number; ssrc: number; level: number; socket: Socket }[] = [];
  for (const [participantId, ssrc, level] of [
    ['quiet', 1111, 127],
    ['loud', 2222, 5],
  ] as const) {
    // RTP in the clear from a local socket stands in for the participant's microphone.
    const transport = await call.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: LOOPBACK },
      comedia: true,
    });
    const producer = await transport.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 1 }],
        encodings: [{ ssrc }],
      },
    });
    await call.observeSpeaker(participantId, producer);
    const socket = createSocket('udp4');
    sockets.push(socket);
    senders.push({ port: transport.tuple.localPort, ssrc, level, socket });
  }
  let seq = 0;
  const sending = setInterval(() => {
    seq += 1;
    for (const { port, ssrc, level, socket } of senders) {
      socket.send(audioPacket(seq, ssrc, level), port, LOOPBACK);
    }
  }, 20);
  try {
    await pollUntil(
      async () => speakers,
      (named) => named.length > 0,
      'a dominant speaker',
    );
  } finally {
    clearInterval(sending);
    for (const socket of sockets) socket.close();
  }
  expect(speakers[0]).toBe('call:loud');
});
