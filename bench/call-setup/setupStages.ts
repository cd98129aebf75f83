import type { VideoMilestones } from '../../test/e2e/harness/peerConnectionTracker';
import { summarize } from './sampleSummary';

/**
 * Where one call's time from accept to the caller's first decoded frame went, in milliseconds:
 * the callee's getUserMedia resolving (camera and microphone open), its first video frame
 * encoded (the bare page also connects in this stage), then that frame reaching the caller
 * (encryption, pacing, the network, decryption) and being decoded. The camera's moment is the
 * page's own clock; the other two come from getStats(), which Chromium answers from a cache up to
 * 50 ms old, so they are known to about 50 ms, and a short stage can even come out below zero.
 */
export interface SetupStages {
  acceptToCameraOpen: number;
  cameraOpenToEncoded: number;
  encodedToDecoded: number;
}

export function stagesOf(
  acceptedAt: number,
  cameraOpenedAt: number,
  callee: VideoMilestones,
  caller: VideoMilestones,
): SetupStages {
  const { encodedAt } = callee;
  const { decodedAt } = caller;
  if (encodedAt === null || decodedAt === null) {
    throw new Error('a call reached its first decoded frame without passing every stage');
  }
  return {
    acceptToCameraOpen: cameraOpenedAt - acceptedAt,
    cameraOpenToEncoded: encodedAt - cameraOpenedAt,
    encodedToDecoded: decodedAt - encodedAt,
  };
}

/** The median of each stage over many calls. */
export function medianStages(calls: SetupStages[]): SetupStages {
  const median = (pick: (stages: SetupStages) => number) => summarize(calls.map(pick)).medianMs;
  return {
    acceptToCameraOpen: median((s) => s.acceptToCameraOpen),
    cameraOpenToEncoded: median((s) => s.cameraOpenToEncoded),
    encodedToDecoded: median((s) => s.encodedToDecoded),
  };
}

/** One line per contender: the median of each stage. */
export function formatStages(rows: Record<string, SetupStages>): string {
  const header = [
    '',
    "accept->callee's camera open",
    "->callee's 1st encoded",
    "->caller's 1st decoded",
  ];
  const body = Object.entries(rows).map(([name, s]) => [
    name,
    s.acceptToCameraOpen.toFixed(1),
    s.cameraOpenToEncoded.toFixed(1),
    s.encodedToDecoded.toFixed(1),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}
