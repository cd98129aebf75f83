import type { Page } from 'playwright-core';

/** How the newest connection sends video: what the app asked of the encoder and what it does. */
export interface VideoSending {
  /** From RTCRtpSender.getParameters(): what the quality monitor set. */
  scaleResolutionDownBy: number | null;
  maxFramerate: number | null;
  maxBitrate: number | null;
  degradationPreference: string | null;
  /** From the outbound-rtp video stats: what the encoder produces now. */
  frameWidth: number | null;
  framesPerSecond: number | null;
  qualityLimitationReason: string | null;
  /** From the selected candidate pair. */
  availableOutgoingBitrate: number | null;
}

/** The newest connection's video sending, or null when it sends no video. */
export function readVideoSending(page: Page): Promise<VideoSending | null> {
  return page.evaluate(async () => {
    const tracked = (window as unknown as { __trackedPeerConnections: RTCPeerConnection[] })
      .__trackedPeerConnections;
    const newest = tracked[tracked.length - 1];
    const sender = newest?.getSenders().find((candidate) => candidate.track?.kind === 'video');
    if (!newest || !sender) return null;
    const parameters = sender.getParameters();
    const encoding = parameters.encodings[0];
    const result = {
      scaleResolutionDownBy: encoding?.scaleResolutionDownBy ?? null,
      maxFramerate: encoding?.maxFramerate ?? null,
      maxBitrate: encoding?.maxBitrate ?? null,
      degradationPreference: parameters.degradationPreference ?? null,
      frameWidth: null as number | null,
      framesPerSecond: null as number | null,
      qualityLimitationReason: null as string | null,
      availableOutgoingBitrate: null as number | null,
    };
    const stats = await newest.getStats();
    let pairId: unknown;
    stats.forEach((entry: Record<string, unknown>) => {
      if (entry.type === 'transport') pairId = entry.selectedCandidatePairId;
    });
    stats.forEach((entry: Record<string, unknown>) => {
      if (entry.type === 'outbound-rtp' && entry.kind === 'video') {
        result.frameWidth = (entry.frameWidth as number | undefined) ?? null;
        result.framesPerSecond = (entry.framesPerSecond as number | undefined) ?? null;
        result.qualityLimitationReason =
          (entry.qualityLimitationReason as string | undefined) ?? null;
      }
      if (entry.id === pairId)
        result.availableOutgoingBitrate =
          (entry.availableOutgoingBitrate as number | undefined) ?? null;
    });
    return result;
  });
}
