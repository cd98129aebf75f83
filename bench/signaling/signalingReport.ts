import { describeCounts } from '../abuse/counts';
import { table } from '../abuse/report';
import type { OpenFileLimit } from './openFiles';

interface Latency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface LookupRun {
  sent: number;
  answered: number;
  otherReplies: Record<string, number>;
  cpuSeconds: number;
  cpuMicrosecondsPerMessage: number;
  generatorCpuSeconds: number;
}

export interface SignalingResult {
  benchmark: 'signaling';
  mode: 'quick' | 'full';
  date: string;
  seconds: number;
  cores: number;
  /** The machine's 1, 5 and 15 minute load averages when the run started and ended. */
  loadAverage: { before: number[]; after: number[] };
  clients: number;
  /** PARLEY_BENCH_CLIENTS; more than `clients` when the open-file limit allowed fewer. */
  clientsAsked: number;
  generators: number;
  openFileLimit: { bench: OpenFileLimit; server: OpenFileLimit };
  dataFolder: string;
  serverFlags: string[];
  offerSdpBytes: number;
  answerSdpBytes: number;
  phaseSeconds: number;
  memory: {
    rssBeforeMiB: number;
    rssSignedInMiB: number;
    rssPerClientKiB: number;
    rssEndMiB: number;
    vmHwmMiB: number;
  };
  idlePing: Latency;
  phases: {
    setupsPerSecond: number;
    offered: number;
    started: number;
    completed: number;
    completedPerSecond: number;
    skippedNoIdlePair: number;
    unfinished: number;
    retiredPairs: number;
    failures: Record<string, number>;
    ring: Latency;
    setup: Latency;
    ping: Latency;
    pingsUnanswered: number;
    serverCpuSeconds: number;
    serverCpuMsPerSetup: number;
    serverCoreShare: number;
    generatorCpuSeconds: number;
    busiestGeneratorCore: number;
    seconds: number;
  }[];
  lookups: {
    connections: number;
    messagesPerSecond: number;
    seconds: number;
    parley: LookupRun;
    echo: LookupRun;
    echoOverParley: number;
  };
}

/** The printed summary: the setup phases as a table, then memory, the anchor and the setting. */
export function reportSignaling(r: SignalingResult): string {
  const { memory, lookups } = r;
  return [
    `\ncall setups (invite with a ${r.offerSdpBytes} B offer, ring, ringing, accept with a ` +
      `${r.answerSdpBytes} B answer, hang-up) between ${r.clients} signed-in clients, ` +
      `${r.phaseSeconds} s per rate`,
    table(
      [
        'setups/s',
        'done',
        'done/s',
        'ring p50',
        'ring p99',
        'ring max',
        'setup p99',
        'ping p99',
        'ping max',
        'CPU ms/setup',
        'server cores',
        'gen. CPU s',
        'busiest gen.',
      ],
      r.phases.map((p) => [
        p.setupsPerSecond,
        `${p.completed}/${p.offered}`,
        p.completedPerSecond,
        p.ring.p50Ms,
        p.ring.p99Ms,
        p.ring.maxMs,
        p.setup.p99Ms,
        p.ping.p99Ms,
        p.ping.maxMs,
        p.serverCpuMsPerSetup,
        p.serverCoreShare,
        p.generatorCpuSeconds,
        p.busiestGeneratorCore,
      ]),
    ),
    '   ring: invite sent -> the callee receives call.invite (ms, one clock); ping: round trip of ' +
      'a probe ping every 50 ms (event-loop lag proxy); busiest gen.: the busiest generator ' +
      "process's share of one core",
    ...r.phases
      .filter(
        (p) =>
          p.skippedNoIdlePair + p.unfinished + p.pingsUnanswered > 0 ||
          Object.keys(p.failures).length > 0,
      )
      .map(
        (p) =>
          `   ${p.setupsPerSecond}/s: skipped (every pair busy) ${p.skippedNoIdlePair}, ` +
          `unfinished after the drain ${p.unfinished}, failed: ${describeCounts(p.failures)} ` +
          `(pairs left out from then on: ${p.retiredPairs}), ` +
          `probe pings unanswered at the end ${p.pingsUnanswered}`,
      ),
    `   idle (all signed in, no calls): ping p50 ${r.idlePing.p50Ms} ms, p99 ${r.idlePing.p99Ms} ms, ` +
      `max ${r.idlePing.maxMs} ms`,
    `\nmemory: server RSS ${memory.rssBeforeMiB} MiB before the clients connected, ` +
      `${memory.rssSignedInMiB} MiB with ${r.clients} signed in: ${memory.rssPerClientKiB} KiB ` +
      `per client; ${memory.rssEndMiB} MiB at the end, peak (VmHWM) ${memory.vmHwmMiB} MiB`,
    `\nsmall messages: ${lookups.messagesPerSecond}/s over ${lookups.connections} connections for ` +
      `${lookups.seconds} s, the same generator against each server`,
    table(
      ['', 'sent', 'answered', 'server CPU s', 'CPU us/message', 'gen. CPU s'],
      [
        lookupRow('Parley user.lookup -> user', lookups.parley),
        lookupRow('bare ws echo', lookups.echo),
      ],
    ),
    `   ratio (CPU per message, bare ws / Parley): ${lookups.echoOverParley}` +
      (lookups.parley.answered < lookups.parley.sent || lookups.echo.answered < lookups.echo.sent
        ? ' (NOT comparable: messages went unanswered within 5 s, the server fell behind)'
        : '') +
      (Object.keys(lookups.parley.otherReplies).length > 0
        ? `; Parley's other replies: ${describeCounts(lookups.parley.otherReplies)}`
        : ''),
    `\nopen-file limit: ${r.openFileLimit.server.soft} for the server ` +
      `(bench and generators ${r.openFileLimit.bench.soft})` +
      (r.clients < r.clientsAsked
        ? `: ${r.clients} of the ${r.clientsAsked} clients asked fit`
        : '') +
      `; data folder on ${r.dataFolder}`,
    `server flags: ${r.serverFlags.join(' ')}`,
    `machine load average (1, 5, 15 min): ${r.loadAverage.before.join(' ')} at the start, ` +
      `${r.loadAverage.after.join(' ')} at the end (${r.cores} cores)`,
  ].join('\n');
}

function lookupRow(name: string, run: LookupRun): (string | number)[] {
  return [
    name,
    run.sent,
    run.answered,
    run.cpuSeconds,
    run.cpuMicrosecondsPerMessage,
    run.generatorCpuSeconds,
  ];
}
