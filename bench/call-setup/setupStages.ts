import type { VideoMilestones } from '../../test/e2e/harness/peerConnectionTracker';
import { summarize } from './sampleSummary';

/**
 * Where one call's time from accept to the caller's first decoded frame went, in milliseconds:
 * the callee opening its camera and encoding its first frame, then that frame reaching the caller
 * (encryption, pacing, the network, decryption) and being decoded. Chromium answers getStats()
 * from a cache up to 50 ms old, so each boundary is known to about 50 ms, and a short stage can
 * even come out below zero.
 */
export interface SetupStages {
  acceptToEncoded: number;
  encodedToDecoded: number;
}

export function stagesOf(
  acceptedAt: number,
  callee: VideoMilestones,
  caller: VideoMilestones,
): SetupStages {
  const { encodedAt } = callee;
  const { decodedAt } = caller;
  if (encodedAt === null || decodedAt === null) {
    throw new Error('a call reached its first decoded frame without passing every stage');
  }
  return { acceptToEncoded: encodedAt - acceptedAt, encodedToDecoded: decodedAt - encodedAt };
}

/** The median of each stage over many calls. */
export function medianStages(calls: SetupStages[]): SetupStages {
  const median = (pick: (stages: SetupStages) => number) => summarize(calls.map(pick)).medianMs;
  return {
    acceptToEncoded: median((s) => s.acceptToEncoded),
    encodedToDecoded: median((s) => s.encodedToDecoded),
  };
}

/** One line per contender: the median of each stage. */
export function formatStages(rows: Record<string, SetupStages>): string {
  const header = ['', "accept->callee's 1st encoded", "->caller's 1st decoded"];
  const body = Object.entries(rows).map(([name, s]) => [
    name,
    s.acceptToEncoded.toFixed(1),
    s.encodedToDecoded.toFixed(1),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}
