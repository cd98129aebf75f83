import type { Page } from 'playwright-core';

/**
 * Page-side timestamps of a call's connection, recorded by an init script: when the connection
 * first applied the peer's offer (the answering side's start of ICE and DTLS) and when it first
 * reached `connected`. Both are the page's Date.now(), the clock watchFirstVideoFrame uses too.
 */
interface TimedConnection extends RTCPeerConnection {
  __offerAppliedAt?: number;
  __connectedAt?: number;
}

/** Runs in the page before any of its scripts. Must stay self-contained (it is serialized). */
export function recordCallTimes(): void {
  const native = RTCPeerConnection.prototype.setRemoteDescription as (
    this: RTCPeerConnection,
    description?: RTCSessionDescriptionInit,
  ) => Promise<void>;
  RTCPeerConnection.prototype.setRemoteDescription = function (
    this: TimedConnection,
    description?: RTCSessionDescriptionInit,
  ) {
    if (description?.type === 'offer' && this.__offerAppliedAt === undefined) {
      this.__offerAppliedAt = Date.now();
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected' && this.__connectedAt === undefined) {
          this.__connectedAt = Date.now();
        }
      });
    }
    return native.call(this, description);
  } as typeof RTCPeerConnection.prototype.setRemoteDescription;
}

export interface CallTimes {
  offerAppliedAt: number | null;
  connectedAt: number | null;
}

/** The times of the connection with this creation index (see peerConnectionTracker). */
export function readCallTimes(page: Page, connectionIndex: number): Promise<CallTimes> {
  return page.evaluate((index) => {
    const tracked = (window as unknown as { __trackedPeerConnections: TimedConnection[] })
      .__trackedPeerConnections;
    const pc = tracked[index];
    return {
      offerAppliedAt: pc?.__offerAppliedAt ?? null,
      connectedAt: pc?.__connectedAt ?? null,
    };
  }, connectionIndex);
}
