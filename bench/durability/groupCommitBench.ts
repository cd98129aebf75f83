import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestClient } from '../../test/server/support/TestClient';
import { processCpuSeconds } from '../abuse/serverUnderTest';
import { startServerProcess } from './serverProcess';
import { ed25519VerifyMs, fsyncMs } from './signInCosts';

/**
 * Group commit against one commit per write, in the same run: the real server process
 * (`dist/server/main.js`) with `--commit-delay-ms 0` (the default) and with `--commit-delay-ms
 * off`, each on a fresh data folder on the machine's disk, takes PARLEY_BENCH_GROUP_COMMIT_OPS
 * (default 500) registrations, then as many sign-ins, then as many full call setups (invite,
 * accept, hang-up), CONCURRENCY at a time. Per phase it prints the throughput, the server's CPU
 * per operation and, when `strace` runs here, the fsync and fdatasync calls the server made
 * (strace -f counts every thread; --seccomp-bpf stops the server only at those calls, so the
 * tracing costs it next to no CPU).
 *
 * Registrations and sign-ins should be limited by what they cannot avoid: one Ed25519
 * verification each and their share of a commit's fsync, both measured in the same run. Their
 * share of the server's time per operation (CPU, plus the fsync wait, which blocks its event loop)
 * is what `limits` reports.
 */
const root = process.cwd();
const mainJs = join(root, 'dist', 'server', 'main.js');
const resultFile = join(root, 'bench', 'results', 'group-commit.json');
const operations = Number(process.env.PARLEY_BENCH_GROUP_COMMIT_OPS ?? 500);
/** Requests in flight at once (pairs of clients for call setups: half as many pairs). */
const CONCURRENCY = 50;

/** Limits lifted so that only the database (and the clients' Ed25519) paces the run. */
const UNLIMITED = [
  '--connections-per-address',
  '1000000',
  '--sign-ins-per-address',
  '1000000',
  '--registrations-per-address',
  '1000000',
  '--invite-burst',
  '10000',
  '--invite-every-ms',
  '1',
  '--redial-burst',
  '10000',
  '--redial-every-ms',
  '1',
];

const configurations = [
  { name: 'group commit (--commit-delay-ms 0)', args: ['--commit-delay-ms', '0'] },
  { name: 'one commit per write (off)', args: ['--commit-delay-ms', 'off'] },
];

interface PhaseResult {
  phase: string;
  operations: number;
  seconds: number;
  perSecond: number;
  /** The server's CPU (user + system) per operation. */
  serverCpuMsPerOp: number;
  /** fsync + fdatasync calls of the server in the phase; null without strace. */
  syncs: number | null;
}

/** What limits registrations and sign-ins: Ed25519 and fsync against the rest (see the top). */
interface PhaseLimit {
  phase: string;
  serverCpuMsPerOp: number;
  ed25519MsPerOp: number;
  /** The phase's syncs per operation times the measured fsync latency; 0 without strace. */
  fsyncMsPerOp: number;
  /** (Ed25519 + fsync) / (server CPU + fsync), per operation. */
  share: number;
}

const hasStrace = spawnSync('strace', ['-V']).status === 0;

/** Counts the sync calls strace has written so far (it writes each line as it happens). */
function syncsSoFar(traceFile: string | null): number | null {
  if (!traceFile || !existsSync(traceFile)) return traceFile ? 0 : null;
  return readFileSync(traceFile, 'utf8')
    .split('\n')
    .filter((line) => /\b(fsync|fdatasync)\(/.test(line) && !line.includes('resumed>')).length;
}

/** Runs `task(i)` for i < count, `limit` at a time. */
async function pooled(count: number, limit: number, task: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

async function expectType(reply: Promise<{ type: string }>, type: string, step: string) {
  const message = await reply;
  if (message.type !== type) throw new Error(`${step}: ${JSON.stringify(message)}`);
}

/** A full call setup: invite, ring, accept, hang-up, each side told. */
async function callSetup(alice: TestClient, bob: TestClient): Promise<void> {
  const callId = randomUUID();
  await expectType(alice.invite(callId, bob.username), 'ok', 'invite');
  await bob.nextOf('call.invite', callId);
  bob.accept(callId);
  await alice.nextOf('call.accept', callId);
  alice.send({ v: 1, type: 'call.hangup', callId });
  await bob.nextOf('call.hangup', callId);
}

async function runConfiguration(args: string[]): Promise<PhaseResult[]> {
  // On the machine's disk (not a tmpfs /tmp), so that an fsync costs what it costs in production.
  const scratch = join(root, 'bench', 'results', '.build');
  mkdirSync(scratch, { recursive: true });
  const dataDir = mkdtempSync(join(scratch, 'group-commit-'));
  const traceFile = hasStrace ? join(dataDir, 'strace.txt') : null;
  const wrapper = traceFile
    ? [
        'strace',
        '-f',
        '--seccomp-bpf',
        '-qq',
        '-e',
        'trace=fsync,fdatasync',
        '-e',
        'signal=none',
        '-o',
        traceFile,
      ]
    : [];
  const server = await startServerProcess(
    mainJs,
    join(dataDir, 'data'),
    [...UNLIMITED, ...args],
    wrapper,
  );
  const clients: TestClient[] = [];
  const results: PhaseResult[] = [];
  const phase = async (name: string, count: number, run: () => Promise<void>) => {
    const syncsBefore = syncsSoFar(traceFile);
    const cpuBefore = processCpuSeconds(server.pid);
    const started = performance.now();
    await run();
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = processCpuSeconds(server.pid) - cpuBefore;
    const syncsAfter = syncsSoFar(traceFile);
    results.push({
      phase: name,
      operations: count,
      seconds,
      perSecond: count / seconds,
      serverCpuMsPerOp: (cpuSeconds * 1000) / count,
      syncs: syncsBefore === null || syncsAfter === null ? null : syncsAfter - syncsBefore,
    });
  };
  try {
    const users: TestClient[] = [];
    await phase('registrations', operations, () =>
      pooled(operations, CONCURRENCY, async (i) => {
        const client = await TestClient.connect(server.wsUrl);
        clients.push(client);
        await expectType(client.register(`gc${i}`), 'session', `register gc${i}`);
        users[i] = client;
      }),
    );
    const signedIn: TestClient[] = [];
    await phase('sign-ins', operations, () =>
      pooled(operations, CONCURRENCY, async (i) => {
        const device = users[i]!;
        const client = await TestClient.connect(server.wsUrl);
        clients.push(client);
        const reply = client.login(device.username, device.deviceId, device.keys);
        await expectType(reply, 'session', `login ${device.username}`);
        signedIn[i] = client;
      }),
    );
    // Each pair calls again and again, one call at a time; the pairs call at once.
    const pairs = Math.min(CONCURRENCY / 2, Math.floor(operations / 2));
    const setups = Math.floor(operations / pairs) * pairs;
    await phase('call setups', setups, () =>
      Promise.all(
        Array.from({ length: pairs }, async (_, pair) => {
          const alice = signedIn[2 * pair]!;
          const bob = signedIn[2 * pair + 1]!;
          for (let call = 0; call < setups / pairs; call++) await callSetup(alice, bob);
        }),
      ).then(() => {}),
    );
  } finally {
    for (const client of clients) client.socket.terminate();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

function formatTable(runs: { name: string; phases: PhaseResult[] }[]): string {
  const header = [
    'configuration',
    'phase',
    'ops',
    'seconds',
    'ops/s',
    'server cpu ms/op',
    'syncs',
    'syncs/op',
  ];
  const rows = runs.flatMap((run) =>
    run.phases.map((p) => [
      run.name,
      p.phase,
      String(p.operations),
      p.seconds.toFixed(2),
      p.perSecond.toFixed(0),
      p.serverCpuMsPerOp.toFixed(3),
      p.syncs === null ? '-' : String(p.syncs),
      p.syncs === null ? '-' : (p.syncs / p.operations).toFixed(2),
    ]),
  );
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  if (!Number.isInteger(operations) || operations < 2) {
    throw new Error(
      `PARLEY_BENCH_GROUP_COMMIT_OPS must be an integer of 2 or more, got ${operations}`,
    );
  }
  const runs: { name: string; phases: PhaseResult[] }[] = [];
  for (const configuration of configurations) {
    runs.push({ name: configuration.name, phases: await runConfiguration(configuration.args) });
  }
  const [grouped, separate] = runs;
  const scratch = join(root, 'bench', 'results', '.build');
  const unavoidable = { ed25519VerifyMs: ed25519VerifyMs(), fsyncMs: fsyncMs(scratch) };
  const limits: PhaseLimit[] = grouped!.phases
    .filter((phase) => phase.phase !== 'call setups')
    .map((phase) => {
      // One Ed25519 verification per registration and per sign-in (server/handlers).
      const fsyncMsPerOp =
        phase.syncs === null ? 0 : (phase.syncs / phase.operations) * unavoidable.fsyncMs;
      return {
        phase: phase.phase,
        serverCpuMsPerOp: phase.serverCpuMsPerOp,
        ed25519MsPerOp: unavoidable.ed25519VerifyMs,
        fsyncMsPerOp,
        share:
          (unavoidable.ed25519VerifyMs + fsyncMsPerOp) / (phase.serverCpuMsPerOp + fsyncMsPerOp),
      };
    });
  const ratios = grouped!.phases.map((phase, i) => {
    const baseline = separate!.phases[i]!;
    return {
      phase: phase.phase,
      throughput: phase.perSecond / baseline.perSecond,
      syncs: phase.syncs === null || !baseline.syncs ? null : phase.syncs / baseline.syncs,
    };
  });
  const result = {
    benchmark: 'group-commit',
    measures:
      'throughput and server fsync/fdatasync calls, group commit against one commit per write',
    date: new Date().toISOString(),
    concurrency: CONCURRENCY,
    strace: hasStrace,
    runs,
    ratios,
    unavoidable,
    limits,
  };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${operations} operations per phase, ${CONCURRENCY} in flight`);
  if (!hasStrace) console.log('strace is not available here: syncs are not counted');
  console.log(formatTable(runs));
  for (const ratio of ratios) {
    console.log(
      `${ratio.phase}: group commit ${ratio.throughput.toFixed(2)}x the throughput` +
        (ratio.syncs === null ? '' : `, ${ratio.syncs.toFixed(2)}x the syncs`),
    );
  }
  console.log(
    `Ed25519 verification ${unavoidable.ed25519VerifyMs.toFixed(3)} ms of CPU; ` +
      `fsync of 4 KiB ${unavoidable.fsyncMs.toFixed(2)} ms (median) on this disk`,
  );
  for (const limit of limits) {
    console.log(
      `${limit.phase} (group commit): Ed25519 ${limit.ed25519MsPerOp.toFixed(3)} + fsync ` +
        `${limit.fsyncMsPerOp.toFixed(3)} ms of the server's ${limit.serverCpuMsPerOp.toFixed(3)} ` +
        `ms CPU + fsync per operation: ${(limit.share * 100).toFixed(0)}%`,
    );
  }
  console.log(`written to ${resultFile}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
