import { createSocket, type Socket } from 'node:dgram';
import { readlinkSync } from 'node:fs';
import type { types } from 'mediasoup';
import { loadMediasoup } from '../../../server/sfu/mediasoupWorkerBinary';

/**
 * The real mediasoup worker, the binary npm install built (or mediasoup downloaded), started
 * through mediasoup the way the server starts it. Every wait below is for an event (the worker
 * answering, a packet arriving, a process exiting); deadlines only bound those waits.
 */
jest.setTimeout(60_000);

const LOOPBACK = '127.0.0.1';
const OPUS: types.RouterRtpCodecCapability = {
  kind: 'audio',
  mimeType: 'audio/opus',
  clockRate: 48000,
  channels: 2,
};
const VP8: types.RouterRtpCodecCapability = {
  kind: 'video',
  mimeType: 'video/VP8',
  clockRate: 90000,
};

let workers: types.Worker[] = [];

async function startWorker(): Promise<types.Worker> {
  const mediasoup = await loadMediasoup();
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  workers.push(worker);
  return worker;
}
afterEach(() => {
  for (const worker of workers) worker.close();
  workers = [];
});

test('the built worker starts, routes Opus and VP8, listens on loopback and answers about itself', async () => {
  const mediasoup = await loadMediasoup();
  const worker = await startWorker();
  expect(readlinkSync(`/proc/${worker.pid}/exe`)).toBe(mediasoup.workerBin);

  const router = await worker.createRouter({ mediaCodecs: [OPUS, VP8] });
  expect(router.rtpCapabilities.codecs?.map((codec) => codec.mimeType)).toEqual(
    expect.arrayContaining(['audio/opus', 'video/VP8']),
  );

  const transport = await router.createWebRtcTransport({
    listenInfos: [
      { protocol: 'udp', ip: LOOPBACK },
      { protocol: 'tcp', ip: LOOPBACK },
    ],
  });
  expect(transport.iceCandidates.map(({ address, protocol }) => [address, protocol])).toEqual(
    expect.arrayContaining([
      [LOOPBACK, 'udp'],
      [LOOPBACK, 'tcp'],
    ]),
  );
  for (const candidate of transport.iceCandidates) expect(candidate.port).toBeGreaterThan(0);
  expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);

  const usage = await worker.getResourceUsage();
  expect(usage.ru_maxrss).toBeGreaterThan(0);
  expect(await worker.dump()).toMatchObject({ pid: worker.pid, routerIds: [router.id] });
  expect(await router.dump()).toMatchObject({ transportIds: [transport.id] });

  worker.close();
  expect(worker.closed).toBe(true);
  expect(router.closed).toBe(true);
  expect(transport.closed).toBe(true);
});

test('a worker killed with SIGKILL reports that it died, and its routers close', async () => {
  const worker = await startWorker();
  const router = await worker.createRouter({ mediaCodecs: [OPUS, VP8] });
  const died = new Promise<Error>((resolve) => worker.once('died', resolve));

  process.kill(worker.pid, 'SIGKILL');

  expect((await died).message).toContain('signal:SIGKILL');
  expect(worker.died).toBe(true);
  expect(router.closed).toBe(true);
});

/** Resolves with the first datagram `socket` receives that `matches`, or rejects at the deadline. */
function firstDatagram(socket: Socket, matches: (msg: Buffer) => boolean, what: string) {
  return new Promise<Buffer>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`no ${what} within 20 s`)), 20_000);
    const onMessage = (msg: Buffer) => {
      if (!matches(msg)) return;
      clearTimeout(deadline);
      socket.off('message', onMessage);
      resolve(msg);
    };
    socket.on('message', onMessage);
  });
}

async function udpSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  return socket;
}

function rtpPacket(seq: number, ssrc: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80; // version 2
  header[1] = 100; // payload type
  header.writeUInt16BE(seq, 2);
  header.writeUInt32BE(seq * 960, 4);
  header.writeUInt32BE(ssrc, 8);
  return Buffer.concat([header, payload]);
}

/**
 * Media between the worker and its peers is SRTP. The worker's SRTP code runs over the libsrtp
 * this machine has, so this checks it end to end: RTP sent in the clear into the worker leaves it
 * encrypted (nothing of the payload is readable on the wire), is decrypted by the worker on
 * the other side of that link, and comes out intact.
 */
test.each<types.SrtpCryptoSuite>([
  'AEAD_AES_256_GCM',
  'AEAD_AES_128_GCM',
  'AES_CM_128_HMAC_SHA1_80',
  'AES_CM_128_HMAC_SHA1_32',
])('RTP crosses an SRTP link through the worker with %s', async (cryptoSuite) => {
  const worker = await startWorker();
  const router = await worker.createRouter({ mediaCodecs: [OPUS] });
  const sockets = {
    sender: await udpSocket(),
    wire: await udpSocket(),
    receiver: await udpSocket(),
  };
  try {
    // sender -> ingress -> srtpOut ==SRTP over `wire`==> srtpIn -> egress -> receiver
    const ingress = await router.createPlainTransport({ listenIp: LOOPBACK, comedia: true });
    const srtpOut = await router.createPlainTransport({
      listenIp: LOOPBACK,
      enableSrtp: true,
      srtpCryptoSuite: cryptoSuite,
    });
    const srtpIn = await router.createPlainTransport({
      listenIp: LOOPBACK,
      enableSrtp: true,
      srtpCryptoSuite: cryptoSuite,
    });
    const egress = await router.createPlainTransport({ listenIp: LOOPBACK });
    const wirePort = sockets.wire.address().port;
    await srtpOut.connect({ ip: LOOPBACK, port: wirePort, srtpParameters: srtpIn.srtpParameters });
    await srtpIn.connect({ ip: LOOPBACK, port: wirePort, srtpParameters: srtpOut.srtpParameters });
    await egress.connect({ ip: LOOPBACK, port: sockets.receiver.address().port });

    const clearOnWire: Buffer[] = [];
    const marker = Buffer.from(`parley srtp check ${cryptoSuite}`);
    sockets.wire.on('message', (msg, from) => {
      if (msg.includes(marker)) clearOnWire.push(msg);
      const to = from.port === srtpOut.tuple.localPort ? srtpIn : srtpOut;
      sockets.wire.send(msg, to.tuple.localPort, LOOPBACK);
    });

    const produced = await ingress.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 1111 }],
      },
    });
    const linked = await srtpOut.consume({
      producerId: produced.id,
      rtpCapabilities: router.rtpCapabilities,
    });
    const relinked = await srtpIn.produce({ kind: 'audio', rtpParameters: linked.rtpParameters });
    await egress.consume({ producerId: relinked.id, rtpCapabilities: router.rtpCapabilities });

    const arrived = firstDatagram(sockets.receiver, (msg) => msg.includes(marker), 'packet out');
    let seq = 0;
    const sending = setInterval(() => {
      seq += 1;
      sockets.sender.send(rtpPacket(seq, 1111, marker), ingress.tuple.localPort, LOOPBACK);
    }, 20);
    try {
      await arrived;
    } finally {
      clearInterval(sending);
    }
    expect(clearOnWire).toEqual([]);
  } finally {
    for (const socket of Object.values(sockets)) socket.close();
  }
});
