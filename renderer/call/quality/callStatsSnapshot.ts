/** One entry of an RTCStatsReport, as getStats() hands it out (or as a test records it). */
export type StatsEntry = { type: string; id: string } & Record<string, unknown>;

/** The counters of one getStats() call that call quality is judged on. */
export interface CallStatsSnapshot {
  /** When the stats were taken, in milliseconds. */
  at: number;
  /** The selected candidate pair's round trip, in seconds. */
  roundTripTime?: number;
  /** The sender's bandwidth estimate for everything we send, in bits per second. */
  availableOutgoingBitrate?: number;
  /** Summed over every inbound RTP stream. */
  inbound: {
    packetsReceived: number;
    packetsLost: number;
    framesReceived: number;
    framesDropped: number;
    freezeCount: number;
    totalFreezesDuration: number;
    /** Retransmissions we asked for (NACK): packets that went missing on the way. */
    nackCount: number;
    /** Key frames we asked for (PLI, FIR): a picture the decoder could not go on from. */
    keyFrameRequests: number;
  };
  /** The largest inbound audio jitter, in seconds. */
  audioJitter?: number;
  /** What the peer reports of the streams we send (RTCP receiver reports): the worst of them. */
  remoteInbound: { fractionLost?: number; roundTripTime?: number };
  /** Our video sender's encoder, when we send video. */
  outboundVideo?: {
    qualityLimitationReason?: string;
    /** What the encoder aims at now, in bits per second: under the estimate and the peer's limit. */
    targetBitrate?: number;
    frameWidth?: number;
    framesPerSecond?: number;
  };
}

const numberOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const maxOf = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

/** The candidate pair in use: the transport names it; older stacks only flag it nominated. */
function selectedPair(entries: StatsEntry[]): StatsEntry | undefined {
  const transport = entries.find((entry) => entry.type === 'transport');
  const id = transport?.selectedCandidatePairId;
  if (typeof id === 'string') return entries.find((entry) => entry.id === id);
  return entries.find(
    (entry) =>
      entry.type === 'candidate-pair' && entry.nominated === true && entry.state === 'succeeded',
  );
}

/** Reads the quality counters out of a getStats() report (any iterable of its entries). */
export function snapshotOfStats(report: Iterable<StatsEntry>, at: number): CallStatsSnapshot {
  const entries = [...report];
  const pair = selectedPair(entries);
  const snapshot: CallStatsSnapshot = {
    at,
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
  };
  const roundTripTime = numberOf(pair?.currentRoundTripTime);
  if (roundTripTime !== undefined) snapshot.roundTripTime = roundTripTime;
  const available = numberOf(pair?.availableOutgoingBitrate);
  if (available !== undefined) snapshot.availableOutgoingBitrate = available;
  for (const entry of entries) {
    if (entry.type === 'inbound-rtp') {
      const inbound = snapshot.inbound;
      inbound.packetsReceived += numberOf(entry.packetsReceived) ?? 0;
      inbound.packetsLost += numberOf(entry.packetsLost) ?? 0;
      inbound.framesReceived += numberOf(entry.framesReceived) ?? 0;
      inbound.framesDropped += numberOf(entry.framesDropped) ?? 0;
      inbound.freezeCount += numberOf(entry.freezeCount) ?? 0;
      inbound.totalFreezesDuration += numberOf(entry.totalFreezesDuration) ?? 0;
      inbound.nackCount += numberOf(entry.nackCount) ?? 0;
      inbound.keyFrameRequests += (numberOf(entry.pliCount) ?? 0) + (numberOf(entry.firCount) ?? 0);
      if (entry.kind === 'audio') {
        const jitter = maxOf(snapshot.audioJitter, numberOf(entry.jitter));
        if (jitter !== undefined) snapshot.audioJitter = jitter;
      }
    } else if (entry.type === 'remote-inbound-rtp') {
      const remote = snapshot.remoteInbound;
      const fractionLost = maxOf(remote.fractionLost, numberOf(entry.fractionLost));
      if (fractionLost !== undefined) remote.fractionLost = fractionLost;
      const rtt = maxOf(remote.roundTripTime, numberOf(entry.roundTripTime));
      if (rtt !== undefined) remote.roundTripTime = rtt;
    } else if (entry.type === 'outbound-rtp' && entry.kind === 'video' && !snapshot.outboundVideo) {
      const video: NonNullable<CallStatsSnapshot['outboundVideo']> = {};
      if (typeof entry.qualityLimitationReason === 'string')
        video.qualityLimitationReason = entry.qualityLimitationReason;
      const targetBitrate = numberOf(entry.targetBitrate);
      if (targetBitrate !== undefined) video.targetBitrate = targetBitrate;
      const frameWidth = numberOf(entry.frameWidth);
      if (frameWidth !== undefined) video.frameWidth = frameWidth;
      const framesPerSecond = numberOf(entry.framesPerSecond);
      if (framesPerSecond !== undefined) video.framesPerSecond = framesPerSecond;
      snapshot.outboundVideo = video;
    }
  }
  return snapshot;
}
