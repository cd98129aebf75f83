import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeCounts, type Counts } from '../abuse/counts';
import { assertServerAnswers, quantile, round, sleep } from '../abuse/measure';
import { processCpuSeconds, ServerUnderTest } from '../abuse/serverUnderTest';
import { runEchoServerProcess } from './echoServer';
import { runGeneratorProcess } from './generator';
import { forkRole, GeneratorPool, ROLE_VARIABLE } from './generatorPool';
import { ANSWER_SDP_BYTES, OFFER_SDP_BYTES } from './callPayloads';
import { openFileLimit, raiseOpenFileLimit } from './openFiles';
import { PingProbe } from './pingProbe';
import { reportSignaling, type SignalingResult } from './signalingReport';

/** `PARLEY_BENCH_QUICK=1` (or `--quick`): 500 clients and short phases, for the smoke test. */
const quick = process.env.PARLEY_BENCH_QUICK === '1' || process.argv.includes('--quick');

function positiveInteger(variable: string, fallback: number): number {
  const text = process.env[variable];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${variable} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

function rates(): number[] {
  const text = process.env.PARLEY_BENCH_RATES;
  if (text === undefined) return quick ? [50, 100] : [100, 250, 500];
  return text.split(',').map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`PARLEY_BENCH_RATES: comma-separated setups per second, got ${text}`);
    }
    return value;
  });
}

const config = {
  /** `PARLEY_BENCH_CLIENTS=20000` for the large run. */
  clients: positiveInteger('PARLEY_BENCH_CLIENTS', quick ? 500 : 5000),
  generators: positiveInteger('PARLEY_BENCH_GENERATORS', 3),
  setupsPerSecond: rates(),
  /** 30 s holds one of the server's 30 s heartbeat sweeps in every phase. */
  phaseSeconds: positiveInteger('PARLEY_BENCH_PHASE_SECONDS', quick ? 4 : 30),
  drainMs: 20_000,
  idleProbeSeconds: quick ? 2 : 10,
  lookupConnections: quick ? 100 : 400,
  lookupsPerSecond: quick ? 1000 : 4000,
  lookupSeconds: quick ? 3 : 10,
  /** On disk (`PARLEY_BENCH_DISK=1`) the server's fsyncs dominate; tmpfs measures its CPU. */
  onDisk: process.env.PARLEY_BENCH_DISK === '1',
};

/**
 * The server limits that would refuse the bench's load, raised, and why: every client connects
 * from 127.0.0.1, and each pair calls again every few seconds. Everything else is the default.
 */
function serverFlags(clients: number): string[] {
  return [
    // One address holds every client (plus the registering connections and the probe).
    ...['--connections-per-address', String(clients + 1000)],
    // Every client signs in within the first minute.
    ...['--sign-ins-per-address', String(clients * 2)],
    // Every client's account is registered from that address within the hour.
    ...['--registrations-per-address', String(clients + 100)],
    // A pair calls again every clients/2/rate seconds (5 s at 5,000 clients and 500/s).
    ...['--invite-burst', '10000', '--invite-every-ms', '1'],
    ...['--redial-burst', '10000', '--redial-every-ms', '1'],
  ];
}

/**
 * Descriptors the server needs besides its clients' sockets (its listening socket, the database
 * and its journal, the log, the registering connections, the probe), with room to spare.
 */
const SERVER_OWN_DESCRIPTORS = 100;

const root = process.cwd();
const resultFile =
  process.env.PARLEY_BENCH_SIGNALING_JSON ?? join(root, 'bench', 'results', 'signaling.json');

/** Server, echo server and generator CPU over one phase. */
class CpuWindow {
  private readonly startedAt = performance.now();
  private readonly server: number;
  private readonly generators: number[];
  private readonly bench = process.cpuUsage();

  constructor(
    private readonly serverPid: number,
    private readonly pool: GeneratorPool,
  ) {
    this.server = processCpuSeconds(serverPid);
    this.generators = pool.cpuSeconds();
  }

  end() {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const generators = this.pool.cpuSeconds().map((cpu, n) => cpu - this.generators[n]!);
    const bench = process.cpuUsage(this.bench);
    const generatorCpuSeconds =
      generators.reduce((sum, cpu) => sum + cpu, 0) + (bench.user + bench.system) / 1e6;
    return {
      seconds,
      serverCpuSeconds: processCpuSeconds(this.serverPid) - this.server,
      generatorCpuSeconds,
      /** The busiest generator process's share of one core: near 1 would make it the bottleneck. */
      busiestGeneratorCore: Math.max(...generators) / seconds,
    };
  }
}

function latency(samples: number[]) {
  if (samples.length === 0) return { samples: 0, p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
  return {
    samples: samples.length,
    p50Ms: round(quantile(samples, 0.5), 2),
    p99Ms: round(quantile(samples, 0.99), 2),
    maxMs: round(Math.max(...samples), 2),
  };
}

async function startEcho(): Promise<{ child: ChildProcess; url: string }> {
  const child = forkRole('echo');
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`echo server exited (${code})`)));
  });
  return { child, url: `ws://127.0.0.1:${port}` };
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  // Other work on the machine changes every number here: the load average is reported with them.
  const loadBefore = loadavg();
  const { generators } = config;
  if (config.clients % 2 !== 0 || config.clients < 2 * generators) {
    throw new Error(`PARLEY_BENCH_CLIENTS must be even and at least 2 per generator`);
  }
  const limitBefore = openFileLimit('self');
  const limit = raiseOpenFileLimit();
  // The server holds one descriptor per client: as many clients as its limit allows, stated.
  const fitting = Math.floor((limit.soft - SERVER_OWN_DESCRIPTORS) / 2) * 2;
  const clients = Math.min(config.clients, fitting);
  console.log(
    `signaling bench (${quick ? 'quick' : 'full'} mode): ${clients} clients` +
      (clients < config.clients ? ` (of ${config.clients} asked: the open-file limit)` : '') +
      `, ${generators} generator processes, open-file limit ${limit.soft} ` +
      `(was ${limitBefore.soft}, hard ${limit.hard})`,
  );
  const dataParent = !config.onDisk && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const flags = serverFlags(clients);
  const server = await ServerUnderTest.start(root, 'signaling', flags, dataParent);
  const pool = GeneratorPool.start(generators);
  const echo = await startEcho();
  let probe: PingProbe | null = null;
  try {
    // Whole pairs per generator: both ends of a call live in one process.
    const pairs = clients / 2;
    await pool.each((n) => ({
      kind: 'register',
      url: server.wsUrl,
      prefix: `g${n}u`,
      clients: 2 * (Math.floor(pairs / generators) + (n < pairs % generators ? 1 : 0)),
    }));
    await sleep(1000);
    const rssBeforeMiB = server.rssMiB();
    await pool.each(() => ({ kind: 'signIn' }));
    await sleep(1000);
    const rssSignedInMiB = server.rssMiB();
    console.log(`   ${clients} clients signed in`);

    probe = await PingProbe.open(server.wsUrl);
    probe.start();
    const idleSince = performance.now();
    await sleep(config.idleProbeSeconds * 1000);
    const idlePing = latency(probe.samplesSince(idleSince));

    const phases: SignalingResult['phases'] = [];
    for (const rate of config.setupsPerSecond) {
      const since = performance.now();
      const cpu = new CpuWindow(server.pid, pool);
      const replies = await pool.each<'calls'>(() => ({
        kind: 'calls',
        setupsPerSecond: rate / generators,
        durationMs: config.phaseSeconds * 1000,
        drainMs: config.drainMs,
      }));
      const window = cpu.end();
      server.assertAlive(`${rate} setups/s`);
      const results = replies.map((reply) => reply.result);
      const sum = (pick: (r: (typeof results)[0]) => number) =>
        results.reduce((total, r) => total + pick(r), 0);
      const completed = sum((r) => r.completed);
      const phase = {
        setupsPerSecond: rate,
        offered: sum((r) => r.offered),
        started: sum((r) => r.started),
        completed,
        completedPerSecond: round(completed / config.phaseSeconds),
        skippedNoIdlePair: sum((r) => r.skippedNoIdlePair),
        unfinished: sum((r) => r.unfinished),
        retiredPairs: sum((r) => r.retiredPairs),
        failures: results.reduce<Counts>((all, r) => mergeCounts(all, r.failures), {}),
        ring: latency(results.flatMap((r) => r.ringMs)),
        setup: latency(results.flatMap((r) => r.setupMs)),
        ping: latency(probe.samplesSince(since)),
        /** Probe pings of the phase (and its drain) still unanswered at its end. */
        pingsUnanswered: probe.unansweredSince(since),
        serverCpuSeconds: round(window.serverCpuSeconds, 2),
        serverCpuMsPerSetup: round((window.serverCpuSeconds * 1000) / Math.max(1, completed), 3),
        serverCoreShare: round(window.serverCpuSeconds / window.seconds, 2),
        generatorCpuSeconds: round(window.generatorCpuSeconds, 2),
        busiestGeneratorCore: round(window.busiestGeneratorCore, 2),
        seconds: round(window.seconds, 1),
      };
      phases.push(phase);
      console.log(
        `   ${rate}/s: ${completed} of ${phase.offered} setups, ring p99 ${phase.ring.p99Ms} ms`,
      );
    }
    await probe.close();
    probe = null;

    const lookups = async (target: 'parley' | 'echo', pid: number) => {
      const cpu = new CpuWindow(pid, pool);
      const replies = await pool.each<'lookups'>(() => ({
        kind: 'lookups',
        target,
        echoUrl: echo.url,
        connections: Math.ceil(config.lookupConnections / generators),
        messagesPerSecond: config.lookupsPerSecond / generators,
        durationMs: config.lookupSeconds * 1000,
      }));
      const window = cpu.end();
      const sent = replies.reduce((total, reply) => total + reply.result.sent, 0);
      const answered = replies.reduce((total, reply) => total + reply.result.answered, 0);
      return {
        sent,
        answered,
        otherReplies: replies.reduce<Counts>(
          (all, reply) => mergeCounts(all, reply.result.otherReplies),
          {},
        ),
        cpuSeconds: round(window.serverCpuSeconds, 3),
        cpuMicrosecondsPerMessage: round((window.serverCpuSeconds * 1e6) / Math.max(1, answered)),
        generatorCpuSeconds: round(window.generatorCpuSeconds, 2),
      };
    };
    const parleyLookups = await lookups('parley', server.pid);
    const echoLookups = await lookups('echo', echo.child.pid!);
    await assertServerAnswers(server, 'the bench');

    const result: SignalingResult = {
      benchmark: 'signaling',
      mode: quick ? 'quick' : 'full',
      date: new Date().toISOString(),
      seconds: Math.round((Date.now() - startedAt) / 1000),
      cores: availableParallelism(),
      loadAverage: {
        before: loadBefore.map((load) => round(load, 2)),
        after: loadavg().map((load) => round(load, 2)),
      },
      clients,
      clientsAsked: config.clients,
      generators,
      openFileLimit: { bench: limit, server: openFileLimit(server.pid) },
      dataFolder: dataParent === '/dev/shm' ? 'tmpfs (/dev/shm)' : `disk (${dataParent})`,
      serverFlags: flags,
      offerSdpBytes: OFFER_SDP_BYTES,
      answerSdpBytes: ANSWER_SDP_BYTES,
      phaseSeconds: config.phaseSeconds,
      memory: {
        rssBeforeMiB: round(rssBeforeMiB),
        rssSignedInMiB: round(rssSignedInMiB),
        rssPerClientKiB: round(((rssSignedInMiB - rssBeforeMiB) * 1024) / clients, 2),
        rssEndMiB: round(server.rssMiB()),
        vmHwmMiB: round(server.peakRssMiB()),
      },
      idlePing,
      phases,
      lookups: {
        connections: Math.ceil(config.lookupConnections / generators) * generators,
        messagesPerSecond: config.lookupsPerSecond,
        seconds: config.lookupSeconds,
        parley: parleyLookups,
        echo: echoLookups,
        echoOverParley: round(
          echoLookups.cpuMicrosecondsPerMessage / parleyLookups.cpuMicrosecondsPerMessage,
          2,
        ),
      },
    };
    console.log(reportSignaling(result));
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwritten to ${resultFile} (${result.seconds} s)`);
  } finally {
    await probe?.close();
    pool.stop();
    echo.child.kill('SIGKILL');
    await server.stop();
  }
}

const role = process.env[ROLE_VARIABLE];
if (role === 'generator') runGeneratorProcess();
else if (role === 'echo') runEchoServerProcess();
else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
