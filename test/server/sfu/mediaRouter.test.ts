import { execFileSync } from 'node:child_process';
import type { BoundedJsonObject } from '../../../protocol';
import {
  CallFullError,
  MediaParametersError,
  MediaStateError,
  type CallMedia,
  type CallMediaEvents,
  type ConsumerOffer,
  type MediaRouter,
} from '../../../server/sfu/MediaRouter';
import { MediasoupMediaRouter } from '../../../server/sfu/MediasoupMediaRouter';
import { resolveSfuOptions } from '../../../server/sfu/SfuOptions';
import { pollUntil } from '../../e2e/harness/pollUntil';
import { FakeMediaRouter } from '../support/FakeMediaRouter';

/**
 * The MediaRouter contract, held by the real SFU (mediasoup workers from the built binary) and by
 * the fake the call logic's tests use, case for case. No media flows here (no client completes
 * DTLS); what a member is told and what it may ask is what is checked.
 */
jest.setTimeout(90_000);

const PORTS = { rtcMinPort: 47400, rtcMaxPort: 47499 };

const audioParameters = (ssrc: number): BoundedJsonObject => ({
  mid: '0',
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 111,
      clockRate: 48000,
      channels: 2,
      parameters: {},
      rtcpFeedback: [],
    },
  ],
  headerExtensions: [],
  encodings: [{ ssrc }],
  rtcp: { cname: `member-${ssrc}` },
});

/** VP8 in three simulcast encodings, as the camera sends it. */
const videoParameters = (ssrc: number): BoundedJsonObject => ({
  mid: '1',
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: 96,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [
        { type: 'nack' },
        { type: 'nack', parameter: 'pli' },
        { type: 'ccm', parameter: 'fir' },
      ],
    },
  ],
  headerExtensions: [],
  encodings: [{ ssrc }, { ssrc: ssrc + 1 }, { ssrc: ssrc + 2 }],
  rtcp: { cname: `member-${ssrc}` },
});

const dtls: BoundedJsonObject = {
  role: 'client',
  fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }],
};

/** `slot` sends its microphone from `ssrc`; resolves with the producer's id. */
const sendMicrophone = (call: CallMedia, slot: number, ssrc: number) =>
  call.produce(slot, { kind: 'audio', source: 'microphone', rtpParameters: audioParameters(ssrc) });

/** `slot` sends its camera, simulcast from `ssrc` on; resolves with the producer's id. */
const sendCamera = (call: CallMedia, slot: number, ssrc: number) =>
  call.produce(slot, { kind: 'video', source: 'camera', rtpParameters: videoParameters(ssrc) });

interface Recorded {
  consumers: { forSlot: number; offer: ConsumerOffer }[];
  closed: { forSlot: number; consumerId: string }[];
  lost: number;
}

function recorder(): { events: CallMediaEvents; seen: Recorded } {
  const seen: Recorded = { consumers: [], closed: [], lost: 0 };
  return {
    seen,
    events: {
      consumer: (forSlot, offer) => seen.consumers.push({ forSlot, offer }),
      consumerClosed: (forSlot, consumerId) => seen.closed.push({ forSlot, consumerId }),
      speaker: () => {},
      lost: () => {
        seen.lost += 1;
      },
    },
  };
}

const implementations: [string, () => Promise<MediaRouter>][] = [
  [
    'mediasoup',
    () =>
      MediasoupMediaRouter.start(
        resolveSfuOptions({ listenIp: '127.0.0.1', workers: 1, ...PORTS }),
      ),
  ],
  ['fake', () => Promise.resolve(new FakeMediaRouter())],
];

describe.each(implementations)('the %s media router', (_name, start) => {
  let router: MediaRouter;
  let call: CallMedia;
  let seen: Recorded;
  let callNumber = 0;

  beforeAll(async () => {
    router = await start();
  });
  afterAll(() => router.close());

  beforeEach(async () => {
    const recorded = recorder();
    seen = recorded.seen;
    callNumber += 1;
    call = await router.openCall(`call-${callNumber}`, recorded.events);
  });
  afterEach(() => call.close());

  const join = (slot: number) => call.setTransports(slot, call.rtpCapabilities);
  const consumersFor = (slot: number) =>
    seen.consumers.filter(({ forSlot }) => forSlot === slot).map(({ offer }) => offer);
  /** Waits until `count` consumers in all were closed: the news may come after what closed them. */
  const closedConsumers = (count: number, what: string) =>
    pollUntil(
      async () => seen.closed.length === count,
      (met) => met,
      what,
    );

  test("a member's producers reach every other member as paused consumers, never itself", async () => {
    await join(0);
    await join(1);
    await join(2);
    const mic = await sendMicrophone(call, 0, 1000);
    const camera = await sendCamera(call, 0, 2000);
    expect(consumersFor(0)).toEqual([]);
    for (const slot of [1, 2]) {
      expect(
        consumersFor(slot).map(({ producerId, slot: from, kind, source }) => ({
          producerId,
          from,
          kind,
          source,
        })),
      ).toEqual([
        { producerId: mic, from: 0, kind: 'audio', source: 'microphone' },
        { producerId: camera, from: 0, kind: 'video', source: 'camera' },
      ]);
    }
    const ids = seen.consumers.map(({ offer }) => offer.consumerId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a member who joins while another starts sending is given one consumer of each producer', async () => {
    await join(0);
    await join(2);
    // Slot 1's transports are made while slot 0's producers are: both the join (what is produced
    // already) and each producer (who is there already) offer slot 1 its consumers, and a second
    // consumer of the same producer would bring slot 1 every frame twice.
    for (const [round, joiner] of [3, 4, 5, 6, 7].entries()) {
      const [, mic, camera] = await Promise.all([
        join(joiner),
        sendMicrophone(call, 0, 1000 + round * 10),
        sendCamera(call, 0, 2000 + round * 10),
      ]);
      expect(
        consumersFor(joiner)
          .map(({ producerId }) => producerId)
          .sort(),
      ).toEqual([mic, camera].sort());
      await join(0);
    }
  });

  test('a member who joins later is given consumers of what is already produced', async () => {
    await join(0);
    const mic = await sendMicrophone(call, 0, 1000);
    expect(seen.consumers).toEqual([]);
    await join(3);
    expect(consumersFor(3).map(({ producerId, slot }) => ({ producerId, slot }))).toEqual([
      { producerId: mic, slot: 0 },
    ]);
  });

  test('a device that cannot decode VP8 gets the audio only', async () => {
    await join(0);
    const audioOnly = (call.rtpCapabilities.codecs as { mimeType: string }[]).filter(
      ({ mimeType }) => mimeType === 'audio/opus',
    );
    await call.setTransports(1, { ...call.rtpCapabilities, codecs: audioOnly });
    await sendMicrophone(call, 0, 1000);
    await sendCamera(call, 0, 2000);
    expect(consumersFor(1).map(({ kind }) => kind)).toEqual(['audio']);
  });

  test('closing a producer closes its consumers, and each member is told of its own', async () => {
    await join(0);
    await join(1);
    await join(2);
    const screen = await call.produce(0, {
      kind: 'video',
      source: 'screen',
      rtpParameters: videoParameters(3000),
    });
    const consumers = seen.consumers.map(({ forSlot, offer }) => ({
      forSlot,
      consumerId: offer.consumerId,
    }));
    call.closeProducer(0, screen);
    await closedConsumers(2, 'both consumers closed');
    expect(seen.closed.sort((a, b) => a.forSlot - b.forSlot)).toEqual(consumers);
    expect(() => call.closeProducer(0, screen)).toThrow(MediaStateError);
  });

  test('a consumer whose producer closes while it is being resumed is refused as a state error, never a server failure', async () => {
    await join(0);
    await join(1);
    const camera = await sendCamera(call, 0, 2000);
    const [video] = consumersFor(1);
    call.closeProducer(0, camera);
    const requests = [
      call.resumeConsumer(1, video!.consumerId),
      call.setLayers(1, video!.consumerId, 1),
      call.requestKeyFrame(1, video!.consumerId),
      call.pauseConsumer(1, video!.consumerId),
    ];
    for (const outcome of await Promise.allSettled(requests)) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(MediaStateError);
    }
    await closedConsumers(1, "member 1's consumer closed");
    await expect(call.resumeConsumer(1, video!.consumerId)).rejects.toThrow(MediaStateError);
  });

  test('a member who leaves takes its media with it; its transports and consumers are gone', async () => {
    await join(0);
    const { send } = await join(1);
    await sendMicrophone(call, 0, 1000);
    await sendMicrophone(call, 1, 1100);
    const [ofOne] = consumersFor(0);
    call.removeMember(1);
    await closedConsumers(1, "member 0's consumer of member 1 closed");
    expect(seen.closed).toEqual([{ forSlot: 0, consumerId: ofOne!.consumerId }]);
    await expect(call.connect(1, send.id, dtls)).rejects.toThrow(MediaStateError);
  });

  test('a member controls only its own consumers; layers and key frames are for video', async () => {
    await join(0);
    await join(1);
    await sendMicrophone(call, 0, 1000);
    await sendCamera(call, 0, 2000);
    const [audio, video] = consumersFor(1);
    await call.resumeConsumer(1, video!.consumerId);
    await call.setLayers(1, video!.consumerId, 0, 2);
    await call.requestKeyFrame(1, video!.consumerId);
    await call.pauseConsumer(1, video!.consumerId);
    await expect(call.resumeConsumer(0, video!.consumerId)).rejects.toThrow(MediaStateError);
    await expect(call.setLayers(1, audio!.consumerId, 1)).rejects.toThrow(MediaStateError);
    await expect(call.requestKeyFrame(1, audio!.consumerId)).rejects.toThrow(MediaStateError);
  });

  test('one producer per source; parameters the SFU cannot use are refused as such', async () => {
    await join(0);
    await sendMicrophone(call, 0, 1000);
    await expect(sendMicrophone(call, 0, 1001)).rejects.toThrow(MediaStateError);
    await expect(
      call.produce(0, { kind: 'video', source: 'camera', rtpParameters: {} }),
    ).rejects.toThrow(MediaParametersError);
    await expect(
      call.produce(0, {
        kind: 'video',
        source: 'camera',
        rtpParameters: { ...audioParameters(1002), mid: '1' },
      }),
    ).rejects.toThrow(MediaParametersError);
    // A parameter only the worker can check (a MID already in use) is the member's mistake too.
    await expect(
      call.produce(0, {
        kind: 'video',
        source: 'camera',
        rtpParameters: { ...videoParameters(2000), mid: '0' },
      }),
    ).rejects.toThrow(MediaParametersError);
  });

  test('connect: once per transport of its own, with DTLS parameters it can read', async () => {
    const zero = await join(0);
    const one = await join(1);
    await expect(call.connect(0, one.send.id, dtls)).rejects.toThrow(MediaStateError);
    await expect(call.connect(0, zero.send.id, { role: 'client' })).rejects.toThrow(
      MediaParametersError,
    );
    await call.connect(0, zero.send.id, dtls);
    await expect(call.connect(0, zero.send.id, dtls)).rejects.toThrow(MediaStateError);
  });

  test('asking for transports again replaces them: the old ones and their producers are gone', async () => {
    await join(0);
    const first = await join(1);
    await sendMicrophone(call, 1, 1100);
    const second = await join(1);
    expect(second.send.id).not.toBe(first.send.id);
    await closedConsumers(1, "member 0's consumer of the old producer closed");
    await expect(call.restartIce(1, first.recv.id)).rejects.toThrow(MediaStateError);
    const ice = await call.restartIce(1, second.recv.id);
    expect(ice.usernameFragment).not.toBe(second.recv.iceParameters.usernameFragment);
  });

  test('requests before the member has transports are refused', async () => {
    await expect(sendMicrophone(call, 5, 1000)).rejects.toThrow(MediaStateError);
  });
});

const atLimit: [string, () => Promise<MediaRouter>][] = [
  [
    'mediasoup',
    () =>
      MediasoupMediaRouter.start(
        resolveSfuOptions({ listenIp: '127.0.0.1', workers: 1, ...PORTS, participantsPerCall: 2 }),
      ),
  ],
  ['fake', () => Promise.resolve(new FakeMediaRouter(2))],
];

describe.each(atLimit)('the %s media router at its participant limit (2)', (_name, start) => {
  test('a third member is refused with CallFullError and nothing changes; a member renews its own transports', async () => {
    const router = await start();
    try {
      const { events, seen } = recorder();
      const call = await router.openCall('full', events);
      await call.setTransports(0, call.rtpCapabilities);
      await call.setTransports(1, call.rtpCapabilities);
      await sendMicrophone(call, 0, 1000);
      await expect(call.setTransports(2, call.rtpCapabilities)).rejects.toBeInstanceOf(
        CallFullError,
      );
      expect(seen.consumers.map(({ forSlot }) => forSlot)).toEqual([1]);
      await expect(sendMicrophone(call, 2, 1200)).rejects.toThrow(MediaStateError);
      const renewed = await call.setTransports(1, call.rtpCapabilities);
      expect(renewed.send.id).toBeDefined();
      call.close();
    } finally {
      router.close();
    }
  });
});

describe('the mediasoup media router and its workers', () => {
  test('a worker killed with SIGKILL makes its calls lost, and the next call gets a new worker', async () => {
    const router = await MediasoupMediaRouter.start(
      resolveSfuOptions({ listenIp: '127.0.0.1', workers: 1, ...PORTS }),
    );
    try {
      const { events, seen } = recorder();
      await router.openCall('doomed', events);
      const pid = router.workerLoads[0]!.pid;
      execFileSync('kill', ['-KILL', String(pid)]);
      await pollUntil(
        async () => seen.lost === 1,
        (met) => met,
        'the call is reported lost',
      );
      await pollUntil(
        async () => router.workerLoads.length === 1,
        (met) => met,
        'a replacement worker runs',
      );
      expect(router.workerLoads[0]!.pid).not.toBe(pid);
      const again = await router.openCall('doomed', recorder().events);
      await again.setTransports(0, again.rtpCapabilities);
      again.close();
    } finally {
      router.close();
    }
  });
});
