import { snapshotOfStats } from '../../../../renderer/call/quality/callStatsSnapshot';
import { recordedStats } from './recordedStats';

describe('snapshotOfStats', () => {
  test('reads the selected pair, sums inbound streams and takes the worst remote report', () => {
    const snapshot = snapshotOfStats(
      recordedStats({
        timestamp: 1,
        rtt: 0.152,
        availableOutgoingBitrate: 480_000,
        audioPacketsReceived: 900,
        audioPacketsLost: 100,
        audioJitter: 0.031,
        videoPacketsReceived: 2700,
        videoPacketsLost: 300,
        framesReceived: 600,
        framesDropped: 12,
        freezeCount: 2,
        totalFreezesDuration: 1.4,
        nackCount: 40,
        pliCount: 3,
        firCount: 1,
        remoteFractionLost: 0.1,
        remoteRtt: 0.31,
        qualityLimitationReason: 'bandwidth',
        targetBitrate: 410_000,
        frameWidth: 640,
        framesPerSecond: 20,
      }),
      5000,
    );
    expect(snapshot).toEqual({
      at: 5000,
      roundTripTime: 0.152,
      availableOutgoingBitrate: 480_000,
      inbound: {
        packetsReceived: 3600,
        packetsLost: 400,
        framesReceived: 600,
        framesDropped: 12,
        freezeCount: 2,
        totalFreezesDuration: 1.4,
        nackCount: 40,
        keyFrameRequests: 4,
      },
      audioJitter: 0.031,
      remoteInbound: { fractionLost: 0.1, roundTripTime: 0.31 },
      outboundVideo: {
        qualityLimitationReason: 'bandwidth',
        targetBitrate: 410_000,
        frameWidth: 640,
        framesPerSecond: 20,
      },
    });
  });

  test('without a transport entry the nominated succeeded pair is the selected one', () => {
    const entries = recordedStats({ timestamp: 1, rtt: 0.08 }).filter(
      (entry) => entry.type !== 'transport',
    );
    expect(snapshotOfStats(entries, 0).roundTripTime).toBe(0.08);
  });

  test('an audio call has no outbound video, and nothing reported yet stays absent', () => {
    const snapshot = snapshotOfStats(recordedStats({ timestamp: 1, audioOnly: true }), 0);
    expect(snapshot.outboundVideo).toBeUndefined();
    expect(snapshotOfStats([], 0)).toEqual({
      at: 0,
      inbound: {
        packetsReceived: 0,
        packetsLost: 0,
        framesReceived: 0,
        framesDropped: 0,
        freezeCount: 0,
        totalFreezesDuration: 0,
        nackCount: 0,
        keyFrameRequests: 0,
      },
      remoteInbound: {},
    });
  });
});
