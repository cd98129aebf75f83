import type { StatsEntry } from '../../../../renderer/call/quality/callStatsSnapshot';

/**
 * getStats() output shaped as Chromium reports a 1:1 video call (the entries and fields the
 * monitor reads, with their real names and ids, plus some it ignores), with the counters a test
 * varies as parameters.
 */
export interface RecordedCounters {
  timestamp: number;
  rtt?: number;
  availableOutgoingBitrate?: number;
  audioPacketsReceived?: number;
  audioPacketsLost?: number;
  audioJitter?: number;
  videoPacketsReceived?: number;
  videoPacketsLost?: number;
  framesReceived?: number;
  framesDropped?: number;
  freezeCount?: number;
  totalFreezesDuration?: number;
  /** Feedback we sent about the video coming to us: retransmissions and key frames asked for. */
  nackCount?: number;
  pliCount?: number;
  firCount?: number;
  remoteFractionLost?: number;
  remoteRtt?: number;
  qualityLimitationReason?: 'none' | 'bandwidth' | 'cpu' | 'other';
  /** The video encoder's target (Chromium reports the sender's maximum while unlimited). */
  targetBitrate?: number;
  frameWidth?: number;
  framesPerSecond?: number;
  /** Leave the video sender out (an audio call). */
  audioOnly?: boolean;
}

export function recordedStats(c: RecordedCounters): StatsEntry[] {
  const timestamp = c.timestamp;
  const entries: StatsEntry[] = [
    {
      id: 'T01',
      type: 'transport',
      timestamp,
      selectedCandidatePairId: 'CPkR9s/8pE_dnN3+3Ds',
      dtlsState: 'connected',
      iceState: 'connected',
    },
    // A pair that lost the nomination race: never the one to read.
    {
      id: 'CPold_pair',
      type: 'candidate-pair',
      timestamp,
      state: 'failed',
      nominated: false,
      currentRoundTripTime: 9,
      availableOutgoingBitrate: 1,
    },
    {
      id: 'CPkR9s/8pE_dnN3+3Ds',
      type: 'candidate-pair',
      timestamp,
      transportId: 'T01',
      state: 'succeeded',
      nominated: true,
      currentRoundTripTime: c.rtt ?? 0.001,
      availableOutgoingBitrate: c.availableOutgoingBitrate ?? 2_500_000,
      bytesSent: 123456,
    },
    {
      id: 'IT01A2904148862',
      type: 'inbound-rtp',
      kind: 'audio',
      timestamp,
      ssrc: 2904148862,
      packetsReceived: c.audioPacketsReceived ?? 0,
      packetsLost: c.audioPacketsLost ?? 0,
      jitter: c.audioJitter ?? 0.002,
      concealedSamples: 0,
    },
    {
      id: 'IT01V1406727140',
      type: 'inbound-rtp',
      kind: 'video',
      timestamp,
      ssrc: 1406727140,
      packetsReceived: c.videoPacketsReceived ?? 0,
      packetsLost: c.videoPacketsLost ?? 0,
      jitter: 0.004,
      framesReceived: c.framesReceived ?? 0,
      framesDecoded: c.framesReceived ?? 0,
      framesDropped: c.framesDropped ?? 0,
      freezeCount: c.freezeCount ?? 0,
      totalFreezesDuration: c.totalFreezesDuration ?? 0,
      nackCount: c.nackCount ?? 0,
      pliCount: c.pliCount ?? 0,
      firCount: c.firCount ?? 0,
      frameWidth: 1280,
    },
    {
      id: 'RIA3397432217',
      type: 'remote-inbound-rtp',
      kind: 'audio',
      timestamp,
      fractionLost: (c.remoteFractionLost ?? 0) / 2,
      roundTripTime: c.remoteRtt ?? 0.001,
    },
    {
      id: 'OT01A3397432217',
      type: 'outbound-rtp',
      kind: 'audio',
      timestamp,
      packetsSent: 500,
    },
  ];
  if (!c.audioOnly) {
    entries.push(
      {
        id: 'RIV2153893411',
        type: 'remote-inbound-rtp',
        kind: 'video',
        timestamp,
        fractionLost: c.remoteFractionLost ?? 0,
        roundTripTime: c.remoteRtt ?? 0.001,
      },
      {
        id: 'OT01V2153893411',
        type: 'outbound-rtp',
        kind: 'video',
        timestamp,
        qualityLimitationReason: c.qualityLimitationReason ?? 'none',
        targetBitrate: c.targetBitrate ?? 2_500_000,
        frameWidth: c.frameWidth ?? 1280,
        framesPerSecond: c.framesPerSecond ?? 30,
      },
    );
  }
  return entries;
}

/**
 * Counters after `seconds` of a call that received `lossRate` of its packets lost (50 audio and
 * 150 video packets, 30 frames per second sent to us), the rest as given.
 */
export function callAfter(
  seconds: number,
  lossRate: number,
  rest: Partial<RecordedCounters> = {},
): RecordedCounters {
  const audio = 50 * seconds;
  const video = 150 * seconds;
  return {
    timestamp: 1_700_000_000_000 + seconds * 1000,
    audioPacketsReceived: Math.round(audio * (1 - lossRate)),
    audioPacketsLost: Math.round(audio * lossRate),
    videoPacketsReceived: Math.round(video * (1 - lossRate)),
    videoPacketsLost: Math.round(video * lossRate),
    framesReceived: 30 * seconds,
    ...rest,
  };
}
