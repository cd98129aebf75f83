import type { VideoMilestones } from '../../test/e2e/harness/peerConnectionTracker';
import { summarize } from './sampleSummary';

/**
 * Where one call's time from accept to the caller's first decoded frame went, in milliseconds:
 * the callee opening its camera and encoding its first frame, that frame reaching the caller
 * (encryption, pacing, the network, decryption of the first packet), and the caller decoding it.
 * Each boundary is seen by a 5 ms stats poll, so each stage is known to about 5 ms.
 */
export interface SetupStages {
  acceptToEncoded: number;
  encodedToFirstPacket: number;
  firstPacketToDecoded: number;
}

export function stagesOf(
  acceptedAt: number,
  callee: VideoMilestones,
  caller: VideoMilestones,
): SetupStages {
  const { encodedAt } = callee;
  const { packetAt, decodedAt } = caller;
  if (encodedAt === null || packetAt === null || decodedAt === null) {
    throw new Error('a call reached its first decoded frame without passing every stage');
  }
  return {
    acceptToEncoded: encodedAt - acceptedAt,
    encodedToFirstPacket: packetAt - encodedAt,
    firstPacketToDecoded: decodedAt - packetAt,
  };
}

/** The median of each stage over many calls. */
export function medianStages(calls: SetupStages[]): SetupStages {
  const median = (pick: (stages: SetupStages) => number) => summarize(calls.map(pick)).medianMs;
  return {
    acceptToEncoded: median((s) => s.acceptToEncoded),
    encodedToFirstPacket: median((s) => s.encodedToFirstPacket),
    firstPacketToDecoded: median((s) => s.firstPacketToDecoded),
  };
}

/** One line per contender: the median of each stage. */
export function formatStages(rows: Record<string, SetupStages>): string {
  const header = ['', 'accept->encoded', 'encoded->1st packet', '1st packet->decoded'];
  const body = Object.entries(rows).map(([name, s]) => [
    name,
    s.acceptToEncoded.toFixed(1),
    s.encodedToFirstPacket.toFixed(1),
    s.firstPacketToDecoded.toFixed(1),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}
