/** How a call's media travels: straight between the devices, or through the TURN relay. */
export interface CallPath {
  route: 'direct' | 'relayed';
  /** UDP, TCP, or TLS (to the relay over TLS). */
  transport: 'UDP' | 'TCP' | 'TLS';
}

export function callPathText(path: CallPath): string {
  return `${path.route === 'direct' ? 'Direct' : 'Relayed'} (${path.transport})`;
}

type Stats = Record<string, unknown> & { id: string; type: string };

/**
 * Reads the selected candidate pair from getStats: relayed when either end is a relay candidate
 * (often one side is host and the other relay); the transport is how our packets leave, which
 * for our relay candidate is the protocol we speak to the TURN server (`relayProtocol`).
 */
export function callPathFromStats(report: RTCStatsReport): CallPath | null {
  const byId = new Map<string, Stats>();
  report.forEach((stats: Stats) => byId.set(stats.id, stats));
  const all = [...byId.values()];
  const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  const pair =
    (transport && byId.get(String(transport.selectedCandidatePairId))) ??
    all.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
  if (!pair) return null;
  const local = byId.get(String(pair.localCandidateId));
  const remote = byId.get(String(pair.remoteCandidateId));
  if (!local || !remote) return null;
  const relayed = local.candidateType === 'relay' || remote.candidateType === 'relay';
  const protocol = String(
    local.candidateType === 'relay' ? (local.relayProtocol ?? local.protocol) : local.protocol,
  ).toUpperCase();
  return {
    route: relayed ? 'relayed' : 'direct',
    transport: protocol === 'TLS' ? 'TLS' : protocol === 'TCP' ? 'TCP' : 'UDP',
  };
}
