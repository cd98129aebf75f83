import {
  CallQualityMonitor,
  type QualityEngine,
} from '../../../../renderer/call/quality/CallQualityMonitor';
import { recordedStats } from './recordedStats';

/**
 * One side of a call under jest's fake clock: a link whose loss and delay the test sets, a
 * stand-in engine whose getStats counts packets on that link (RTCPeerConnection does not exist
 * under Node), and a signaling server answering pings across our own link.
 */
class SimulatedSide {
  /** Loss of the packets the peer sends us, and of ours as the peer reports it. */
  inboundLoss = 0;
  outboundLoss = 0;
  /** Round trip of the call's own path, in seconds. */
  callRtt = 0.002;
  /** Our link to the signaling server: round trip in ms, null = pings go unanswered. */
  pingMs: number | null = 3;
  /**
   * How long our page gets no CPU right after sending each ping (a loaded machine): the clock
   * moves on and no timer runs (jest.setSystemTime), so the answer is handled that much later.
   */
  pageStarvedMs = 0;
  /** Frames of the peer's video reaching us each second, and the share of time it stood frozen. */
  frameRate = 30;
  frozenShare = 0;
  /** Our sender's bandwidth estimate, and whether it holds our encoder at `videoTarget`. */
  estimate = 2_500_000;
  videoTarget = 2_500_000;
  bandwidthLimited = false;
  readonly notices: { type: string; body: unknown }[] = [];
  readonly parameterChanges: RTCRtpSendParameters[] = [];
  private parameters = SimulatedSide.freshParameters();
  private counters = { received: 0, lost: 0, frames: 0, frozenSeconds: 0 };
  private countedUntil = Date.now();

  readonly engine: { -readonly [K in keyof QualityEngine]: QualityEngine[K] } =
    this.standInEngine();

  readonly monitor = new CallQualityMonitor({
    signaling: {
      request: (() =>
        new Promise((resolve) => {
          if (this.pingMs !== null) setTimeout(() => resolve({ type: 'ok' }), this.pingMs);
          if (this.pageStarvedMs > 0) jest.setSystemTime(Date.now() + this.pageStarvedMs);
        })) as never,
      notify: ((type: string, body: unknown) => {
        this.notices.push({ type, body });
        return true;
      }) as never,
    },
    engine: () => this.engine,
    peerName: () => 'Bob Marley',
    now: () => Date.now(),
  });

  /** netem on our side: 10% loss and 150 ms both ways for the call and for the server pings. */
  impairOwnLink(): void {
    this.inboundLoss = 0.1;
    this.outboundLoss = 0.1;
    this.callRtt = 0.153;
    this.pingMs = 153;
  }

  clearOwnLink(): void {
    this.inboundLoss = 0;
    this.outboundLoss = 0;
    this.callRtt = 0.002;
    this.pingMs = 3;
  }

  /** call.quality values sent to the peer, in order. */
  get reports(): boolean[] {
    return this.notices
      .filter((notice) => notice.type === 'call.quality')
      .map((notice) => (notice.body as { poor: boolean }).poor);
  }

  get encoding(): RTCRtpEncodingParameters | undefined {
    return this.parameters.encodings[0];
  }

  get degradationPreference(): RTCDegradationPreference | undefined {
    return this.parameters.degradationPreference;
  }

  private standInEngine(): SimulatedSide['engine'] {
    return {
      connectionState: 'connected',
      sharingScreen: false,
      getStats: async () => {
        this.count();
        const { received, lost, frames, frozenSeconds } = this.counters;
        const entries = recordedStats({
          timestamp: Date.now(),
          rtt: this.callRtt,
          remoteRtt: this.callRtt,
          videoPacketsReceived: received,
          videoPacketsLost: lost,
          framesReceived: frames,
          totalFreezesDuration: frozenSeconds,
          remoteFractionLost: this.outboundLoss,
          availableOutgoingBitrate: this.estimate,
          targetBitrate: this.videoTarget,
          qualityLimitationReason: this.bandwidthLimited ? 'bandwidth' : 'none',
        });
        return new Map(entries.map((entry) => [entry.id, entry])) as unknown as RTCStatsReport;
      },
      videoSender: this.standInSender(),
    };
  }

  /** A new peer connection (a rejoin): a new sender with the browser's defaults. */
  replaceSender(): void {
    this.parameters = SimulatedSide.freshParameters();
    this.engine.videoSender = this.standInSender();
  }

  private static freshParameters(): RTCRtpSendParameters {
    return {
      transactionId: 't0',
      codecs: [],
      headerExtensions: [],
      rtcp: {},
      encodings: [{ active: true }],
    };
  }

  private standInSender(): RTCRtpSender {
    return {
      getParameters: () => this.parameters,
      setParameters: async (parameters: RTCRtpSendParameters) => {
        this.parameters = parameters;
        this.parameterChanges.push(parameters);
      },
    } as unknown as RTCRtpSender;
  }

  private count(): void {
    const seconds = (Date.now() - this.countedUntil) / 1000;
    this.countedUntil = Date.now();
    const packets = 200 * seconds;
    this.counters.lost += packets * this.inboundLoss;
    this.counters.received += packets * (1 - this.inboundLoss);
    this.counters.frames += this.frameRate * seconds;
    this.counters.frozenSeconds += this.frozenShare * seconds;
  }
}
let side: SimulatedSide;

const passSeconds = (seconds: number) => jest.advanceTimersByTimeAsync(seconds * 1000);

/** After a good start the call turns poor (loss toward us, a slow path) while `ours` holds here. */
async function callTurnsPoorWhile(ours: () => void): Promise<void> {
  await passSeconds(10);
  side.inboundLoss = 0.1;
  side.callRtt = 0.153;
  ours();
  await passSeconds(20);
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_700_000_000_000 });
  side = new SimulatedSide();
  side.monitor.start('call-1');
});

afterEach(() => {
  side.monitor.stop();
  jest.useRealTimers();
});

describe('CallQualityMonitor', () => {
  test('a good call shows nothing, tells the peer nothing and keeps full video quality', async () => {
    await passSeconds(60);
    expect(side.monitor.indicator.value).toBeNull();
    expect(side.reports).toEqual([]);
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 30 });
    expect(side.degradationPreference).toBe('balanced');
  });

  test('our link turns lossy and slow: we are told it is ours, the peer is told, video steps down, and all of it undoes once the link recovers', async () => {
    await passSeconds(10);
    side.impairOwnLink();
    await passSeconds(6);
    expect(side.monitor.indicator.value).toEqual({
      blame: 'self',
      text: 'Your connection is unstable',
      details:
        'Last check: call: inbound loss, outbound loss; your link to the server: added delay',
    });
    expect(side.reports).toEqual([true]);
    await passSeconds(10);
    expect(side.encoding).toMatchObject({
      scaleResolutionDownBy: 4,
      maxFramerate: 15,
      maxBitrate: 150_000,
    });

    side.clearOwnLink();
    await passSeconds(4);
    expect(side.monitor.indicator.value).not.toBeNull(); // good again only after several samples
    await passSeconds(20);
    expect(side.monitor.indicator.value).toBeNull();
    expect(side.reports).toEqual([true, false]);
    await passSeconds(30);
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 30 });
    expect(side.encoding?.maxBitrate).toBeUndefined();
  });

  test('after loss the estimate climbs back slowly: the warning goes within a few samples of the link being fine, and the video waits on the lowest step, without bouncing, until bandwidth leaves room', async () => {
    await passSeconds(10);
    side.impairOwnLink();
    side.bandwidthLimited = true;
    side.estimate = 110_000;
    side.videoTarget = 60_000;
    await passSeconds(16);
    expect(side.monitor.indicator.value?.blame).toBe('self');
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 4 });

    // The link is fine again; the estimate, as measured in the netlab, sits at ~175 kbps and
    // holds the encoder at ~100 kbps for tens of seconds.
    side.clearOwnLink();
    side.estimate = 175_000;
    side.videoTarget = 100_000;
    await passSeconds(10);
    expect(side.monitor.indicator.value).toBeNull();
    expect(side.reports).toEqual([true, false]);
    const changes = side.parameterChanges.length;
    await passSeconds(40);
    expect(side.monitor.indicator.value).toBeNull();
    expect(side.parameterChanges).toHaveLength(changes);
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 4 });

    // Room for more: it climbs back to full quality, one step at a time.
    side.estimate = 900_000;
    side.videoTarget = 600_000;
    side.bandwidthLimited = false;
    await passSeconds(30);
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 30 });
    expect(side.monitor.indicator.value).toBeNull();
  });

  test('a machine starved of CPU (frames come seldom and the picture freezes, pings come back late) is not a poor connection', async () => {
    await passSeconds(10);
    // Both ends busy on a loaded machine: the peer's encoder makes 3 frames a second, so the
    // picture stands frozen half the time, while every packet sent arrives; the server and our
    // page answer and handle pings late.
    side.frameRate = 3;
    side.frozenShare = 0.5;
    side.pingMs = 600;
    await passSeconds(20);
    expect(side.monitor.indicator.value).toBeNull();
    expect(side.reports).toEqual([]);
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 30 });
  });

  test("the peer's link makes the call poor while our page is starved of CPU: the page's late pings do not blame our link", async () => {
    // Measured at load 25-30 on 2 cores: pings handled 600-1000 ms after they were sent.
    await callTurnsPoorWhile(() => (side.pageStarvedMs = 800));
    expect(side.monitor.indicator.value).toEqual({
      blame: 'unknown',
      text: 'Connection is unstable',
      details: 'Last check: call: inbound loss',
    });
    expect(side.reports).toEqual([]);
  });

  test('the same late answers with a punctual page are our slow link', async () => {
    await callTurnsPoorWhile(() => (side.pingMs = 800));
    expect(side.monitor.indicator.value).toEqual({
      blame: 'self',
      text: 'Your connection is unstable',
      details: 'Last check: call: inbound loss; your link to the server: added delay',
    });
    expect(side.reports).toEqual([true]);
  });

  test("the peer's link is bad: our pings are fine, so we blame no one until the peer says it is theirs", async () => {
    await passSeconds(10);
    side.inboundLoss = 0.1;
    side.callRtt = 0.153;
    await passSeconds(6);
    expect(side.monitor.indicator.value).toEqual({
      blame: 'unknown',
      text: 'Connection is unstable',
      details: 'Last check: call: inbound loss',
    });
    expect(side.reports).toEqual([]);

    side.monitor.onPeerReport('call-1', true);
    expect(side.monitor.indicator.value).toEqual({
      blame: 'peer',
      text: "Bob Marley's connection is unstable",
      details: "Last check: call: inbound loss; Bob Marley's app reports its link unstable",
    });
    side.monitor.onPeerReport('another-call', false);
    expect(side.monitor.indicator.value?.blame).toBe('peer');

    side.inboundLoss = 0;
    side.callRtt = 0.002;
    side.monitor.onPeerReport('call-1', false);
    await passSeconds(10);
    expect(side.monitor.indicator.value).toBeNull();
    // Loss toward us is not ours to fix: our video never stepped down.
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 1 });
  });

  test("a peer's report that arrives before our side connects shows once it does, for that call only", () => {
    side.monitor.stop();
    side.monitor.onPeerReport('call-2', true);
    side.monitor.start('call-2');
    expect(side.monitor.indicator.value?.blame).toBe('peer');

    side.monitor.stop();
    side.monitor.onPeerReport('call-3', true);
    side.monitor.start('call-4');
    expect(side.monitor.indicator.value).toBeNull();
  });

  test('pings that go unanswered count against our own link', async () => {
    await passSeconds(10);
    side.inboundLoss = 0.1;
    side.outboundLoss = 0.1;
    side.pingMs = null;
    await passSeconds(10);
    expect(side.monitor.indicator.value?.blame).toBe('self');
  });

  test('a shared screen keeps its resolution and gives up frame rate instead', async () => {
    side.engine.sharingScreen = true;
    await passSeconds(10);
    expect(side.degradationPreference).toBe('maintain-resolution');
    side.outboundLoss = 0.1;
    await passSeconds(16);
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 5 });

    // Back to the camera: it starts again from full quality, with its own preference.
    side.engine.sharingScreen = false;
    side.outboundLoss = 0;
    await passSeconds(2);
    expect(side.degradationPreference).toBe('balanced');
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 30 });
  });

  test('a new sender in the same call (a rejoin) gets the current preference from full quality', async () => {
    await passSeconds(4);
    side.outboundLoss = 0.1;
    await passSeconds(10);
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 4 });
    side.replaceSender();
    side.outboundLoss = 0;
    await passSeconds(2);
    expect(side.degradationPreference).toBe('balanced');
    expect(side.encoding).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 30 });
  });

  test('after the call stops nothing shows and nothing more is read or sent', async () => {
    await passSeconds(10);
    side.inboundLoss = 0.1;
    side.outboundLoss = 0.1;
    side.pingMs = null;
    side.monitor.onPeerReport('call-1', true);
    side.monitor.stop();
    const changes = side.parameterChanges.length;
    await passSeconds(20);
    expect(side.monitor.indicator.value).toBeNull();
    expect(side.parameterChanges).toHaveLength(changes);
    expect(side.reports).toEqual([]);
  });
});
