import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');
/** The quick run takes under a minute alone; the deadline leaves room for a busy machine. */
const RUN_DEADLINE_MS = 240_000;

/**
 * The signaling benchmark's quick mode end to end: real server, generator processes and echo
 * server. Asserts what the bench promises to report, never the numbers themselves.
 */
describe('the signaling benchmark (quick mode)', () => {
  let temp: string;
  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'parley-sigbench-'));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  it(
    'completes every paced call setup, answers every small message, and reports it all',
    async () => {
      const resultFile = join(temp, 'signaling.json');
      const child = spawn(process.execPath, ['bench/run.mjs', 'signaling'], {
        cwd: root,
        env: { ...process.env, PARLEY_BENCH_QUICK: '1', PARLEY_BENCH_SIGNALING_JSON: resultFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });

      const result = JSON.parse(await readFile(resultFile, 'utf8'));
      expect(result).toMatchObject({ benchmark: 'signaling', mode: 'quick', clients: 500 });
      expect(
        result.phases.map((phase: { setupsPerSecond: number }) => phase.setupsPerSecond),
      ).toEqual([50, 100]);
      for (const phase of result.phases) {
        // Every setup started went the whole way and rang once. On a busy machine the schedule
        // may find every pair still in a call: such setups are counted as skipped, not lost.
        expect(phase).toMatchObject({ completed: phase.started, unfinished: 0, failures: {} });
        expect(phase.started + phase.skippedNoIdlePair).toBe(phase.offered);
        expect(phase.started).toBeGreaterThan(0);
        expect(phase.ring.samples).toBe(phase.completed);
        expect(phase.ring.p50Ms).toBeLessThanOrEqual(phase.ring.p99Ms);
        expect(phase.ring.p99Ms).toBeLessThanOrEqual(phase.ring.maxMs);
        expect(phase.serverCpuMsPerSetup).toBeGreaterThan(0);
      }
      for (const run of [result.lookups.parley, result.lookups.echo]) {
        expect(run.answered).toBe(run.sent);
        expect(run.otherReplies).toEqual({});
      }
      expect(result.lookups.echoOverParley).toBeGreaterThan(0);
      expect(result.memory.rssPerClientKiB).toBeGreaterThan(0);
      expect(result.openFileLimit.server.soft).toBeGreaterThan(0);

      // The printed table carries the same report.
      expect(output).toContain('ring p99');
      expect(output).toContain('bare ws echo');
      expect(output).toMatch(/open-file limit: \d+ for the server/);
    },
    RUN_DEADLINE_MS,
  );
});
