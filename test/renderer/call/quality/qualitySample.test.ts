import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  snapshotOfStats,
  type StatsEntry,
} from '../../../../renderer/call/quality/callStatsSnapshot';
import {
  outgoingIsPoor,
  poorCallReasons,
  sampleBetween,
} from '../../../../renderer/call/quality/qualitySample';
import { videoSteps } from '../../../../renderer/call/quality/videoStepPolicy';
import { callAfter, recordedStats, type RecordedCounters } from './recordedStats';

/** What the full-quality camera step needs: before any step-down the call is judged by it. */
const fullStepFloor = videoSteps('camera')[0]!.bitrateFloor;
/** What the lowest camera step needs: below it even the smallest video is starved. */
const lowestStepFloor = videoSteps('camera')[2]!.bitrateFloor;

const snap = (counters: RecordedCounters) =>
  snapshotOfStats(recordedStats(counters), counters.timestamp);

/** The interval from 10 s to 12 s of a call with these counters at 12 s. */
function interval(lossRate: number, after: Partial<RecordedCounters> = {}) {
  const sample = sampleBetween(snap(callAfter(10, 0)), snap(callAfter(12, lossRate, after)));
  if (!sample) throw new Error('no sample');
  return sample;
}

describe('sampleBetween', () => {
  test('measures the loss of the interval, not of the whole call', () => {
    const before = snap(callAfter(10, 0.2));
    const after = snap({
      ...callAfter(12, 0),
      audioPacketsLost: 100,
      videoPacketsLost: 300,
      audioPacketsReceived: 400 + 100,
      videoPacketsReceived: 1200 + 300,
    });
    expect(sampleBetween(before, after)?.inboundLoss).toBe(0);
  });

  test('an interval with too few packets to tell reports no loss ratio', () => {
    const sample = sampleBetween(
      snap({ timestamp: 0, audioPacketsReceived: 100 }),
      snap({ timestamp: 2000, audioPacketsReceived: 110, audioPacketsLost: 5 }),
    );
    expect(sample?.inboundLoss).toBeNull();
  });

  test('counters that went back to zero (a new peer connection) give no sample', () => {
    expect(sampleBetween(snap(callAfter(60, 0)), snap(callAfter(2, 0)))).toBeNull();
  });
});

describe('poorCallReasons', () => {
  test('a clean call on a good link is fine', () => {
    expect(poorCallReasons(interval(0), fullStepFloor)).toEqual([]);
  });

  test('10% loss and a 150 ms delay (the netem test) is poor for its loss, not its delay', () => {
    expect(poorCallReasons(interval(0.1, { rtt: 0.15, remoteRtt: 0.15 }), fullStepFloor)).toEqual([
      'inbound loss',
    ]);
    expect(
      poorCallReasons(
        interval(0, { rtt: 0.15, remoteRtt: 0.15, remoteFractionLost: 0.1 }),
        fullStepFloor,
      ),
    ).toEqual(['outbound loss']);
  });

  test('long round trips, jitter, freezes, dropped frames and a starved sender are each poor', () => {
    expect(poorCallReasons(interval(0, { rtt: 0.45 }), fullStepFloor)).toEqual(['round trip']);
    expect(poorCallReasons(interval(0, { audioJitter: 0.08 }), fullStepFloor)).toEqual(['jitter']);
    // A freeze while packets went missing on the way to us: retransmissions or a key frame asked.
    expect(
      poorCallReasons(
        interval(0, { freezeCount: 1, totalFreezesDuration: 0.6, nackCount: 6 }),
        fullStepFloor,
      ),
    ).toEqual(['freezes']);
    expect(
      poorCallReasons(
        interval(0, { freezeCount: 1, totalFreezesDuration: 0.6, pliCount: 1 }),
        fullStepFloor,
      ),
    ).toEqual(['freezes']);
    expect(poorCallReasons(interval(0, { framesDropped: 20 }), fullStepFloor)).toEqual([
      'dropped frames',
    ]);
    expect(
      poorCallReasons(
        interval(0, { availableOutgoingBitrate: 102_800, qualityLimitationReason: 'bandwidth' }),
        fullStepFloor,
      ),
    ).toEqual(['outgoing bitrate']);
  });

  test('a freeze with nothing lost on the way (a sender or decoder starved of CPU) is not the connection', () => {
    // Measured on a loopback call with both Chromiums starved of CPU (load average 21 on two
    // cores): 1.2 s frozen while the peer's encoder made 3 frames a second, nothing lost,
    // no retransmission or key frame asked for.
    const starved = interval(0, {
      freezeCount: 1,
      totalFreezesDuration: 1.2,
      framesReceived: 10 * 30 + 6,
      framesPerSecond: 3,
    });
    expect(starved.damagedOnTheWay).toBe(false);
    expect(poorCallReasons(starved, fullStepFloor)).toEqual([]);
    // The same freeze with a few packets lost (under the loss threshold) is the connection's.
    const lossy = sampleBetween(
      snap(callAfter(10, 0)),
      snap({ ...callAfter(12, 0), videoPacketsLost: 3, freezeCount: 1, totalFreezesDuration: 1.2 }),
    );
    expect(lossy && poorCallReasons(lossy, fullStepFloor)).toEqual(['freezes']);
  });

  test('a low estimate the encoder is not held back by (our own lowest step) is not poor', () => {
    expect(
      poorCallReasons(interval(0, { availableOutgoingBitrate: 120_000 }), fullStepFloor),
    ).toEqual([]);
  });

  test('an audio call needs far less outgoing bitrate than video', () => {
    expect(
      poorCallReasons(
        interval(0, { availableOutgoingBitrate: 80_000, audioOnly: true }),
        fullStepFloor,
      ),
    ).toEqual([]);
    expect(
      poorCallReasons(
        interval(0, { availableOutgoingBitrate: 20_000, audioOnly: true }),
        fullStepFloor,
      ),
    ).toEqual(['outgoing bitrate']);
  });
});

describe('poorCallReasons after a step-down', () => {
  // Measured in the netlab (10% loss and 150 ms on Alice's link, then cleared, on a loaded
  // machine): Alice's estimate climbed back from ~110 to ~180 kbps over 20 s while her encoder,
  // on the lowest step, was held at 45-120 kbps; her video got through fine.
  const recovering = (targetBitrate: number) =>
    interval(0, {
      qualityLimitationReason: 'bandwidth',
      availableOutgoingBitrate: 175_000,
      targetBitrate,
    });

  test('an estimate still climbing back after loss does not keep the call poor once our video is on the lowest step', () => {
    expect(poorCallReasons(recovering(117_000), lowestStepFloor)).toEqual([]);
    expect(poorCallReasons(recovering(59_000), lowestStepFloor)).toEqual([]);
    // The same sample before any step-down: full-quality video would not get through.
    expect(poorCallReasons(recovering(117_000), fullStepFloor)).toEqual(['outgoing bitrate']);
  });

  test('an uplink that cannot carry even the lowest step stays poor', () => {
    expect(poorCallReasons(recovering(30_000), lowestStepFloor)).toEqual(['outgoing bitrate']);
    expect(
      poorCallReasons(
        interval(0, { qualityLimitationReason: 'bandwidth', availableOutgoingBitrate: 40_000 }),
        lowestStepFloor,
      ),
    ).toEqual(['outgoing bitrate']);
  });
});

describe('outgoingIsPoor', () => {
  test('the peer reporting loss of what we send, or a long round trip, is poor', () => {
    expect(outgoingIsPoor(interval(0, { remoteFractionLost: 0.1 }), 250_000)).toBe(true);
    expect(outgoingIsPoor(interval(0, { remoteRtt: 0.5 }), 250_000)).toBe(true);
    expect(outgoingIsPoor(interval(0.1), 250_000)).toBe(false); // loss toward us is not ours to fix
  });

  test('a bandwidth limit counts only below what the current step needs (not while ramping up)', () => {
    const rampingUp = interval(0, {
      qualityLimitationReason: 'bandwidth',
      availableOutgoingBitrate: 900_000,
    });
    const starved = interval(0, {
      qualityLimitationReason: 'bandwidth',
      availableOutgoingBitrate: 200_000,
    });
    expect(outgoingIsPoor(rampingUp, 250_000)).toBe(false);
    expect(outgoingIsPoor(starved, 250_000)).toBe(true);
    expect(outgoingIsPoor(starved, 120_000)).toBe(false);
  });

  test("a peer's limit (b=AS) holding the encoder below the step's floor is poor, whatever the estimate", () => {
    const capped = interval(0, {
      qualityLimitationReason: 'bandwidth',
      availableOutgoingBitrate: 185_000,
      targetBitrate: 30_000,
    });
    expect(outgoingIsPoor(capped, 120_000)).toBe(true);
    expect(poorCallReasons(capped, fullStepFloor)).toEqual(['outgoing bitrate']);
    // The same low target without the encoder saying bandwidth holds it back: our own cap.
    const ownCap = interval(0, { availableOutgoingBitrate: 185_000, targetBitrate: 30_000 });
    expect(outgoingIsPoor(ownCap, 120_000)).toBe(false);
    expect(poorCallReasons(ownCap, fullStepFloor)).toEqual([]);
  });
});

describe('stats recorded from Chromium', () => {
  /**
   * Two getStats() reports 2 s apart from each end of a loopback call in which Alice's outgoing
   * video was capped at 40 kbps (b=AS in the answer she applied); only the entries the monitor
   * reads are kept.
   */
  const recorded = JSON.parse(
    readFileSync(join(__dirname, 'recordedChromiumStats.json'), 'utf8'),
  ) as Record<'starvedSender' | 'goodSender', [StatsEntry[], StatsEntry[]]>;

  function recordedSample(end: 'starvedSender' | 'goodSender') {
    const [first, second] = recorded[end];
    const sample = sampleBetween(snapshotOfStats(first, 0), snapshotOfStats(second, 2000));
    if (!sample) throw new Error('no sample');
    return sample;
  }

  test("the capped sender's own stats say its uplink is starved, and it must step down", () => {
    const sample = recordedSample('starvedSender');
    expect(sample).toMatchObject({
      availableOutgoingBitrate: 102_800,
      videoTargetBitrate: 30_000,
      bandwidthLimited: true,
      sendingVideo: true,
    });
    expect(poorCallReasons(sample, fullStepFloor)).toEqual(['outgoing bitrate']);
    expect(poorCallReasons(sample, lowestStepFloor)).toEqual(['outgoing bitrate']);
    expect(outgoingIsPoor(sample, 250_000)).toBe(true);
  });

  test('the other end sends freely and, once the picture is steady, sees nothing wrong', () => {
    const sample = recordedSample('goodSender');
    expect(sample.availableOutgoingBitrate).toBeGreaterThan(1_000_000);
    expect(poorCallReasons(sample, fullStepFloor)).toEqual([]);
    expect(outgoingIsPoor(sample, 250_000)).toBe(false);
  });
});
