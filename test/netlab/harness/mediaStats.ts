import type { Page } from 'playwright-core';

interface TrackedWindow {
  __trackedPeerConnections: RTCPeerConnection[];
}

export interface OutboundVideo {
  /** Width of the frames the encoder sends now (outbound-rtp frameWidth), 0 before the first. */
  frameWidth: number;
  /** What the app asked of the encoder (the sender's first encoding). */
  scaleResolutionDownBy: number;
}

/** The camera video the page's newest connection sends, or null when it sends none. */
export function readOutboundVideo(page: Page): Promise<OutboundVideo | null> {
  return page.evaluate(async () => {
    const tracked = (window as unknown as TrackedWindow).__trackedPeerConnections;
    const newest = tracked[tracked.length - 1];
    const sender = newest?.getSenders().find((candidate) => candidate.track?.kind === 'video');
    if (!newest || !sender) return null;
    let frameWidth = 0;
    (await sender.getStats()).forEach((report: Record<string, unknown>) => {
      if (report.type === 'outbound-rtp') frameWidth = Number(report.frameWidth ?? 0);
    });
    const scaleResolutionDownBy = sender.getParameters().encodings[0]?.scaleResolutionDownBy ?? 1;
    return { frameWidth, scaleResolutionDownBy };
  });
}
