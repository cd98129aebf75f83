import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { floodAndBystander, type FloodConfig } from './floodBystander';
import { fuzz, type FuzzConfig } from './fuzzRun';
import { idleConnections, type IdleConfig } from './idleConnections';
import { reportFlood, reportFuzz, reportIdle, reportSlowReaders } from './report';
import { slowReaders, type SlowReadersConfig } from './slowReaders';
import { ServerUnderTest } from './serverUnderTest';
import { runWorkerJob } from './workerThreads';

/**
 * The sign-in deadline the idle scenario means to test, and the time it then waits beyond it
 * before counting the idle connections still open.
 */
export const SIGN_IN_DEADLINE_MS = 5000;
const SIGN_IN_DEADLINE_MARGIN_MS = 5000;

/**
 * Every flag the bench passes to the server, per scenario (each scenario gets a fresh server).
 * Each scenario's server gets `all` and then its own: the defaults are what is measured, except
 * where a scenario names a flag.
 */
export const SERVER_FLAGS: Record<'all' | 'slowReaders' | 'flood' | 'idle' | 'fuzz', string[]> = {
  // The bench attacks from one address (loopback) with thousands of accounts and connections:
  // the per-address limits would stop the setup long before the attack it means to measure.
  all: [
    ...['--connections-per-address', '4000', '--sign-ins-per-address', '20000'],
    ...['--registrations-per-address', '5000', '--link-requests-per-address', '100'],
  ],
  slowReaders: [],
  flood: [],
  idle: ['--sign-in-deadline-ms', String(SIGN_IN_DEADLINE_MS)],
  fuzz: [],
};

/** `PARLEY_BENCH_QUICK=1` (or `--quick`): the same scenarios, short, for trying the bench out. */
const quick = process.env.PARLEY_BENCH_QUICK === '1' || process.argv.includes('--quick');
/** `PARLEY_BENCH_ABUSE_ONLY=fuzz,idle` runs only the named scenarios. */
const only = process.env.PARLEY_BENCH_ABUSE_ONLY?.split(',');
/** `PARLEY_BENCH_FUZZ_MESSAGES` sets the fuzz frames per pass (two passes: 1,000,000 in all). */
const fuzzMessages = Number(process.env.PARLEY_BENCH_FUZZ_MESSAGES ?? (quick ? 50_000 : 500_000));

const slowReadersConfig: SlowReadersConfig = {
  contacts: 1000,
  attackers: 4,
  attackMs: quick ? 5000 : 20_000,
  drainMs: 5000,
  settleMs: quick ? 3000 : 10_000,
};
const floodConfig: FloodConfig = {
  bystanderContacts: 20,
  baselineSamples: quick ? 100 : 300,
  flooders: 8,
  floodMs: quick ? 5000 : 15_000,
};
const idleConfig: IdleConfig = {
  connections: quick ? 300 : 1500,
  waitMs: SIGN_IN_DEADLINE_MS + SIGN_IN_DEADLINE_MARGIN_MS,
};
const fuzzConfig: FuzzConfig = {
  messagesPerPass: fuzzMessages,
  lanes: quick ? 80 : 300,
  signedInLanes: quick ? 40 : 150,
  messagesPerConnection: 400,
  workers: 1,
  settleMs: quick ? 3000 : 10_000,
  seed: 9,
};

const root = process.cwd();
const resultFile = join(root, 'bench', 'results', 'abuse.json');

async function withServer<T>(
  label: keyof typeof SERVER_FLAGS,
  run: (server: ServerUnderTest) => Promise<T>,
): Promise<T & { serverFlags: string[] }> {
  const flags = [...SERVER_FLAGS.all, ...SERVER_FLAGS[label]];
  const server = await ServerUnderTest.start(root, label, flags);
  try {
    const result = await run(server);
    server.assertAlive(label);
    return { ...result, serverFlags: flags };
  } finally {
    await server.stop();
  }
}

const scenarios = {
  slowReaders: async () => {
    const result = await withServer('slowReaders', (server) =>
      slowReaders(server, slowReadersConfig),
    );
    console.log(reportSlowReaders(result));
    return result;
  },
  flood: async () => {
    const result = await withServer('flood', (server) => floodAndBystander(server, floodConfig));
    console.log(reportFlood(result));
    return result;
  },
  idle: async () => {
    const result = await withServer('idle', (server) => idleConnections(server, idleConfig));
    console.log(reportIdle(result));
    return result;
  },
  fuzz: async () => {
    const result = await withServer('fuzz', (server) => fuzz(server, fuzzConfig));
    console.log(reportFuzz(result));
    return result;
  },
};

async function main(): Promise<void> {
  if (!Number.isInteger(fuzzMessages) || fuzzMessages < 1) {
    throw new Error(`PARLEY_BENCH_FUZZ_MESSAGES must be a positive integer`);
  }
  for (const name of only ?? []) {
    if (!(name in scenarios)) throw new Error(`PARLEY_BENCH_ABUSE_ONLY: no scenario ${name}`);
  }
  const startedAt = Date.now();
  console.log(`abuse bench (${quick ? 'quick' : 'full'} mode)`);
  const results: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(scenarios)) {
    if (!only || only.includes(name)) results[name] = await run();
  }
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  const result = {
    benchmark: 'abuse',
    mode: quick ? 'quick' : 'full',
    date: new Date().toISOString(),
    seconds,
    ...results,
  };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten to ${resultFile} (${seconds} s)`);
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  void runWorkerJob();
}
