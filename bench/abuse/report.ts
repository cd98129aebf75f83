import { describeCounts, total } from './counts';
import type { FloodResult } from './floodBystander';
import type { FuzzResult } from './fuzzRun';
import type { IdleResult } from './idleConnections';
import type { SlowReadersResult } from './slowReaders';

/** The printed summary of each scenario: a table of the numbers and a few lines around it. */

export function reportSlowReaders(slow: SlowReadersResult): string {
  return [
    `\n1. slow readers: ${slow.attackers} connections of one account with ${slow.contacts} contacts,`,
    `   contacts.list (${slow.contactsPerReply} a reply) within the rate limit for ` +
      `${slow.attackSeconds} s, replies never read`,
    table(
      ['', 'before', 'peak (sampled)', 'peak (VmHWM)', `${slow.settleSeconds} s after close`],
      [
        [
          'server RSS MiB',
          slow.rssBeforeMiB,
          slow.rssPeakMiB,
          slow.vmHwmMiB,
          slow.rssAfterCloseMiB,
        ],
      ],
    ),
    `   ratio peak/before ${slow.peakOverBefore}, after/before ${slow.afterOverBefore}; ` +
      `${slow.requestsSent} requests, server CPU ${slow.serverCpuSeconds} s`,
    `   closed by the server: ${slow.closedByServer} of ${slow.attackers} (${slow.closes.join('; ')}); ` +
      `${slow.drainedMiB} MiB of queued replies read afterwards`,
  ].join('\n');
}

export function reportFlood(flood: FloodResult): string {
  const row = (name: string, l: FloodResult['baseline']) => [
    name,
    l.samples,
    l.p50Ms,
    l.p99Ms,
    l.maxMs,
  ];
  return [
    `\n2. flood: a bystander's contacts.list (${flood.bystanderContacts} contacts) round trip, ` +
      `then ${flood.flooders} connections flooding for ${flood.floodSeconds} s ` +
      '(a flooder the server closes signs in again and goes on)',
    table(
      ['bystander', 'samples', 'p50 ms', 'p99 ms', 'max ms'],
      [row('no flood (baseline)', flood.baseline), row('during the flood', flood.duringFlood)],
    ),
    `   ratio flood/baseline: p50 ${flood.p50Ratio}, p99 ${flood.p99Ratio}; ` +
      `server CPU ${flood.serverCpuSecondsDuringFlood} s`,
    `   flooders sent ${flood.floodMessagesSent}, got ${flood.floodErrorReplies} error replies ` +
      `(${describeCounts(flood.floodReplies)})`,
    `   the server closed flooders ${total(flood.flooderCloses)} times ` +
      `(${describeCounts(flood.flooderCloses)}); they signed in again ${flood.flooderReconnects} times`,
  ].join('\n');
}

export function reportIdle(idle: IdleResult): string {
  return [
    `\n3. idle connections that never send hello`,
    `   opened ${idle.opened} of ${idle.attempted} (refused: ${describeCounts(idle.refused)}); ` +
      `still open after ${idle.waitSeconds} s: ${idle.stillOpenAfterWait}; ` +
      `closed by the server: ${describeCounts(idle.serverCloses)}`,
    `   server RSS ${idle.rssBeforeMiB} MiB before, ${idle.rssWithIdleMiB} MiB with them open`,
  ].join('\n');
}

export function reportFuzz(fuzzed: FuzzResult): string {
  const [pass1, pass2] = fuzzed.passes as [FuzzResult['passes'][0], FuzzResult['passes'][0]];
  return [
    `\n4. fuzz: two identical passes of ${fuzzed.messagesPerPass} frames over ${fuzzed.lanes} lanes ` +
      `(${fuzzed.signedInLanes} signed in), each connection within its rate limit`,
    table(
      ['', 'before', 'after pass 1', 'after pass 2', 'VmHWM'],
      [
        [
          'server RSS MiB',
          fuzzed.rssBeforeMiB,
          fuzzed.rssAfterPass1MiB,
          fuzzed.rssAfterPass2MiB,
          fuzzed.vmHwmMiB,
        ],
      ],
    ),
    `   growth: pass 1 ${fuzzed.pass1GrowthMiB} MiB, pass 2 ${fuzzed.pass2GrowthMiB} MiB; ` +
      `ratio after pass 2 / after pass 1: ${fuzzed.secondPassRatio}`,
    ...fuzzed.passes.map(
      (pass, n) =>
        `   pass ${n + 1}: ${pass.seconds} s, ${pass.messagesPerSecond} frames/s, ` +
        `server CPU ${pass.serverCpuSeconds} s, ${pass.connections} connections, ` +
        `closed by the server: ${describeCounts(pass.serverCloses)}, ` +
        `round trips unanswered in 30 s: ${pass.roundTripTimeouts}, ` +
        `connections that failed to open or sent nothing: ${pass.connectFailures}`,
    ),
    `   sent (pass 1): ${describeCounts(pass1.sent)}`,
    `   replies (pass 1): ${describeCounts(pass1.replies)}`,
    `   replies (pass 2): ${total(pass2.replies)} in all`,
    `   refusable requests not refused as malformed: ${fuzzed.refusableAccepted}` +
      (fuzzed.refusableAccepted > 0 ? ` (${describeCounts(pass1.refusableAccepted)})` : ''),
    `   the server stayed up and served a normal client correctly afterwards`,
  ].join('\n');
}

/** A plain-text table, right-aligned columns. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) => `   ${row.map((cell, i) => cell.padStart(widths[i]!)).join('  ')}`)
    .join('\n');
}
