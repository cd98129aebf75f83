import { callPathFromStats, callPathText } from '../../../renderer/call/callPath';

/** A getStats report as Chromium shapes it: a transport naming the selected pair. */
function report(local: Record<string, unknown>, remote: Record<string, unknown>): RTCStatsReport {
  const entries: Record<string, unknown>[] = [
    { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP0', type: 'candidate-pair', localCandidateId: 'Lx', remoteCandidateId: 'Rx' },
    { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1' },
    { id: 'Lx', type: 'local-candidate', candidateType: 'host', protocol: 'udp' },
    { id: 'Rx', type: 'remote-candidate', candidateType: 'host', protocol: 'udp' },
    { id: 'L1', type: 'local-candidate', ...local },
    { id: 'R1', type: 'remote-candidate', ...remote },
  ];
  return new Map(entries.map((e) => [e.id as string, e])) as unknown as RTCStatsReport;
}

test.each([
  [{ candidateType: 'host', protocol: 'udp' }, { candidateType: 'srflx' }, 'Direct (UDP)'],
  [{ candidateType: 'host', protocol: 'tcp' }, { candidateType: 'host' }, 'Direct (TCP)'],
  [
    { candidateType: 'relay', protocol: 'udp', relayProtocol: 'udp' },
    { candidateType: 'host' },
    'Relayed (UDP)',
  ],
  [
    { candidateType: 'relay', protocol: 'udp', relayProtocol: 'tls' },
    { candidateType: 'relay' },
    'Relayed (TLS)',
  ],
  [
    { candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp' },
    { candidateType: 'host' },
    'Relayed (TCP)',
  ],
  [{ candidateType: 'host', protocol: 'udp' }, { candidateType: 'relay' }, 'Relayed (UDP)'],
])('the selected pair %j -> %j reads as %s', (local, remote, text) => {
  const path = callPathFromStats(report(local, remote));
  expect(path && callPathText(path)).toBe(text);
});

test('nothing is said before a pair is selected', () => {
  const empty = new Map([['T01', { id: 'T01', type: 'transport' }]]) as unknown as RTCStatsReport;
  expect(callPathFromStats(empty)).toBeNull();
});
