import type { CallStatsSnapshot } from './callStatsSnapshot';

/** What one interval between two stats snapshots says about the call. */
export interface QualitySample {
  /** Share of the packets sent to us in the interval that never arrived (null: too few to tell). */
  inboundLoss: number | null;
  /** Share of the packets we send that the peer reports lost (RTCP; null: not reported yet). */
  outboundLoss: number | null;
  /** The worst round trip the connection reports, in seconds (null: not measured yet). */
  roundTripTime: number | null;
  audioJitter: number | null;
  /** Seconds of frozen remote video in the interval. */
  freezeSeconds: number;
  /**
   * Media sent to us went missing on the way in the interval: packets lost, or we asked for
   * them again (NACK) or for a new key frame (PLI, FIR). Without it a freeze is not the
   * network's: the sender made no frames or our decoder could not keep up (a starved CPU).
   */
  damagedOnTheWay: boolean;
  /** Share of received frames the decoder dropped in the interval (null: too few frames). */
  framesDroppedRatio: number | null;
  availableOutgoingBitrate: number | null;
  /**
   * What our video encoder aims at: no more than its share of the estimate, and no more than the
   * peer allows (b=AS in its answer), which the estimate alone does not show.
   */
  videoTargetBitrate: number | null;
  /** Our encoder is held back by the estimated bandwidth. */
  bandwidthLimited: boolean;
  sendingVideo: boolean;
}

/** Below this many packets (or frames) in an interval a ratio is noise. */
const minimumCount = 20;

const ratio = (part: number, whole: number): number | null =>
  whole >= minimumCount ? part / whole : null;

/**
 * The interval from `before` to `after`. Null when the counters went backwards: a new peer
 * connection (a rejoin) started counting from zero, so the next interval starts afresh.
 */
export function sampleBetween(
  before: CallStatsSnapshot,
  after: CallStatsSnapshot,
): QualitySample | null {
  const lost = after.inbound.packetsLost - before.inbound.packetsLost;
  const received = after.inbound.packetsReceived - before.inbound.packetsReceived;
  const frames = after.inbound.framesReceived - before.inbound.framesReceived;
  const dropped = after.inbound.framesDropped - before.inbound.framesDropped;
  const frozen = after.inbound.totalFreezesDuration - before.inbound.totalFreezesDuration;
  const repairsAsked =
    after.inbound.nackCount -
    before.inbound.nackCount +
    (after.inbound.keyFrameRequests - before.inbound.keyFrameRequests);
  if (received < 0 || frames < 0 || dropped < 0 || frozen < 0) return null;
  const roundTrips = [after.roundTripTime, after.remoteInbound.roundTripTime].filter(
    (value): value is number => value !== undefined,
  );
  return {
    // Packets lost then recovered by retransmission make the lost count go down: never below 0.
    inboundLoss: ratio(Math.max(0, lost), Math.max(0, lost) + received),
    outboundLoss: after.remoteInbound.fractionLost ?? null,
    roundTripTime: roundTrips.length > 0 ? Math.max(...roundTrips) : null,
    audioJitter: after.audioJitter ?? null,
    freezeSeconds: frozen,
    damagedOnTheWay: lost > 0 || repairsAsked > 0,
    framesDroppedRatio: ratio(dropped, frames),
    availableOutgoingBitrate: after.availableOutgoingBitrate ?? null,
    videoTargetBitrate: after.outboundVideo?.targetBitrate ?? null,
    bandwidthLimited: after.outboundVideo?.qualityLimitationReason === 'bandwidth',
    sendingVideo: after.outboundVideo !== undefined,
  };
}

/** Where people start to notice: past these a call sounds or looks broken up. */
export const poorThresholds = {
  loss: 0.05,
  roundTripTime: 0.4,
  audioJitter: 0.06,
  freezeSeconds: 0.3,
  framesDroppedRatio: 0.2,
  /** Below this we cannot send watchable video; audio alone needs far less. */
  videoBitrate: 150_000,
  audioBitrate: 30_000,
} as const;

/**
 * Why an interval counts as poor for the call as a whole; empty when it was fine.
 * `videoBitrateFloor` is the least the video step we are on needs (see videoStepPolicy): after
 * loss Chromium's estimate climbs back over tens of seconds, and meanwhile our stepped-down video
 * gets through fine, so a target held under 150 kbps is poor only below what that step needs.
 */
export function poorCallReasons(sample: QualitySample, videoBitrateFloor: number): string[] {
  const t = poorThresholds;
  const reasons: string[] = [];
  if ((sample.inboundLoss ?? 0) >= t.loss) reasons.push('inbound loss');
  if ((sample.outboundLoss ?? 0) >= t.loss) reasons.push('outbound loss');
  if ((sample.roundTripTime ?? 0) >= t.roundTripTime) reasons.push('round trip');
  if ((sample.audioJitter ?? 0) >= t.audioJitter) reasons.push('jitter');
  // A frozen picture is the connection's only when media went missing on the way to us.
  if (sample.freezeSeconds >= t.freezeSeconds && sample.damagedOnTheWay) reasons.push('freezes');
  if ((sample.framesDroppedRatio ?? 0) >= t.framesDroppedRatio) reasons.push('dropped frames');
  const available = sample.availableOutgoingBitrate;
  // For video only while the encoder says bandwidth holds it back: after our own step-down the
  // estimate can sit low for a while although the smaller video gets through fine.
  const starved = sample.sendingVideo
    ? bandwidthHoldsVideoBelow(sample, Math.min(t.videoBitrate, videoBitrateFloor))
    : available !== null && available < t.audioBitrate;
  if (starved) reasons.push('outgoing bitrate');
  return reasons;
}

/**
 * Whether bandwidth holds our video encoder below `bitrate`: the estimate, or the encoder's own
 * target when the peer's limit keeps it lower than the estimate.
 */
export function bandwidthHoldsVideoBelow(sample: QualitySample, bitrate: number): boolean {
  const bounds = [sample.availableOutgoingBitrate, sample.videoTargetBitrate].filter(
    (value): value is number => value !== null,
  );
  return sample.bandwidthLimited && bounds.length > 0 && Math.min(...bounds) < bitrate;
}

/**
 * Whether what we send is getting through badly: the peer reports loss, the round trip is long,
 * or bandwidth holds the encoder below `bitrateFloor` (the least the current video step needs).
 * A bandwidth limit above the floor is the estimate still ramping up.
 */
export function outgoingIsPoor(sample: QualitySample, bitrateFloor: number): boolean {
  return (
    (sample.outboundLoss ?? 0) >= poorThresholds.loss ||
    (sample.roundTripTime ?? 0) >= poorThresholds.roundTripTime ||
    bandwidthHoldsVideoBelow(sample, bitrateFloor)
  );
}
