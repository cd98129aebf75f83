import type { Page } from 'playwright-core';

/**
 * ICE facts of the page's newest peer connection, read from getStats through the connections
 * test/e2e/harness/peerConnectionTracker records.
 */
export interface CandidateFacts {
  candidateType: string;
  address: string;
  /** The transport between this side and its TURN server for a relay candidate (udp, tcp, tls). */
  relayProtocol: string | null;
}

export interface SelectedPair {
  local: CandidateFacts;
  remote: CandidateFacts;
}

interface TrackedWindow {
  __trackedPeerConnections: RTCPeerConnection[];
}

/** The nominated, succeeded pair of the newest connection's transport, or null if none yet. */
export function readSelectedPair(page: Page): Promise<SelectedPair | null> {
  return page.evaluate(async () => {
    const tracked = (window as unknown as TrackedWindow).__trackedPeerConnections;
    const newest = tracked[tracked.length - 1];
    if (!newest) return null;
    const reports = new Map<string, Record<string, unknown>>();
    (await newest.getStats()).forEach((report: Record<string, unknown>) =>
      reports.set(String(report.id), report),
    );
    const transport = [...reports.values()].find((report) => report.type === 'transport');
    const pair = reports.get(String(transport?.selectedCandidatePairId));
    if (!pair || pair.state !== 'succeeded') return null;
    const facts = (id: unknown) => {
      const candidate = reports.get(String(id)) ?? {};
      return {
        candidateType: String(candidate.candidateType),
        address: String(candidate.address),
        relayProtocol: candidate.relayProtocol ? String(candidate.relayProtocol) : null,
      };
    };
    return { local: facts(pair.localCandidateId), remote: facts(pair.remoteCandidateId) };
  });
}

/** Every remote candidate the newest connection has learned (from the peer's signaling). */
export function readRemoteCandidates(page: Page): Promise<CandidateFacts[]> {
  return page.evaluate(async () => {
    const tracked = (window as unknown as TrackedWindow).__trackedPeerConnections;
    const newest = tracked[tracked.length - 1];
    if (!newest) return [];
    const candidates: CandidateFacts[] = [];
    (await newest.getStats()).forEach((report: Record<string, unknown>) => {
      if (report.type !== 'remote-candidate') return;
      candidates.push({
        candidateType: String(report.candidateType),
        address: String(report.address),
        relayProtocol: null,
      });
    });
    return candidates;
  });
}
