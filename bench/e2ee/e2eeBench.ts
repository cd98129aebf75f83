import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/e2e/harness/rendererBuild';
import { formatCodecTable, runCodecBench } from './codecBench';
import { type CallMode, type CpuRun, runCpuCallBench, sumProfiles } from './cpuCallBench';
import { FRAME_STAGES, type FrameProfile } from '../../renderer/e2ee/worker/messages';

/**
 * E2EE cost: (a) SFrame encrypt + decrypt per frame with the product codec, per suite and frame
 * size, against a plain copy; (b) Chromium's CPU in a 720p two-peer call with Parley's E2EE
 * worker on every sender and receiver, against the same call without it (and, when
 * PARLEY_BENCH_E2EE_BASELINE_WORKER names another build of the worker bundle, with that one), with
 * the workers' own CPU per frame and where a frame's time goes inside the worker. Prints the
 * tables and writes bench/results/e2ee.json.
 */
const resultFile = join(REPO_ROOT, 'bench', 'results', 'e2ee.json');

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function describeRun(run: CpuRun): string {
  const worker =
    run.workerDecrypted === null
      ? ''
      : `, workers decrypted ${run.workerDecrypted} frames (${run.workerDecryptFailed} failed), ` +
        `worker threads ${run.workerThreadMicrosPerFrame?.toFixed(0)} µs CPU per frame`;
  return (
    `${run.mode.padEnd(13)} ${run.cpuSeconds.toFixed(2)} CPU s in ${run.windowSeconds.toFixed(1)} s ` +
    `(${run.cpuPercent.toFixed(0)}% of a core, ${run.chromiumProcesses} processes), ` +
    `${run.cpuMsPerDecodedFrame.toFixed(2)} ms/frame, ` +
    `decoded ${run.decodedFps.offerer.toFixed(1)}/${run.decodedFps.answerer.toFixed(1)} fps at ` +
    `${run.receivedSize} ${run.codec}${worker}`
  );
}

interface ModeSummary {
  mode: CallMode;
  runs: number;
  /** Medians over the mode's runs. */
  cpuPercent: number;
  cpuMsPerDecodedFrame: number;
  workerThreadMicrosPerFrame: number | null;
}

function modesOf(runs: CpuRun[]): CallMode[] {
  return [...new Set(runs.map((run) => run.mode))];
}

function summarize(all: CpuRun[], mode: CallMode): ModeSummary {
  const runs = all.filter((run) => run.mode === mode);
  const workerMicros = runs.flatMap((run) =>
    run.workerThreadMicrosPerFrame === null ? [] : [run.workerThreadMicrosPerFrame],
  );
  return {
    mode,
    runs: runs.length,
    cpuPercent: median(runs.map((run) => run.cpuPercent)),
    cpuMsPerDecodedFrame: median(runs.map((run) => run.cpuMsPerDecodedFrame)),
    workerThreadMicrosPerFrame: workerMicros.length > 0 ? median(workerMicros) : null,
  };
}

function formatCallTable(summaries: ModeSummary[], plain: ModeSummary): string {
  const header =
    'median of runs'.padEnd(15) +
    'CPU % core'.padStart(12) +
    '× plain'.padStart(9) +
    'ms/frame'.padStart(10) +
    '× plain'.padStart(9) +
    'worker µs/frame'.padStart(17);
  const rows = summaries.map(
    (s) =>
      `${s.mode.padEnd(15)}${s.cpuPercent.toFixed(1).padStart(12)}` +
      `${(s.cpuPercent / plain.cpuPercent).toFixed(3).padStart(9)}` +
      `${s.cpuMsPerDecodedFrame.toFixed(2).padStart(10)}` +
      `${(s.cpuMsPerDecodedFrame / plain.cpuMsPerDecodedFrame).toFixed(3).padStart(9)}` +
      `${(s.workerThreadMicrosPerFrame?.toFixed(0) ?? '-').padStart(17)}`,
  );
  return [header, ...rows].join('\n');
}

interface StageRow {
  frames: number;
  meanBytes: number;
  /** Mean wall µs per frame by stage. */
  micros: Record<(typeof FRAME_STAGES)[number], number>;
  /** The stages the worker's thread runs: all but cipherWait. */
  workerThreadMicros: number;
}

function perFrameStages(profile: FrameProfile): Record<string, StageRow> {
  const rows: Record<string, StageRow> = {};
  for (const [key, totals] of Object.entries(profile)) {
    if (totals.frames === 0) continue;
    const micros = Object.fromEntries(
      FRAME_STAGES.map((stage) => [stage, (totals.ms[stage] * 1_000) / totals.frames]),
    ) as StageRow['micros'];
    rows[key] = {
      frames: totals.frames,
      meanBytes: totals.bytes / totals.frames,
      micros,
      workerThreadMicros: micros.read + micros.codec + micros.cipherCall + micros.write,
    };
  }
  return rows;
}

function formatStageTable(rows: Record<string, StageRow>): string {
  const stageHeads = FRAME_STAGES.map((stage) => stage.padStart(11)).join('');
  const header =
    ''.padEnd(14) +
    'frames'.padStart(8) +
    'bytes'.padStart(8) +
    stageHeads +
    'sync sum'.padStart(10);
  const lines = Object.entries(rows).map(
    ([key, row]) =>
      `${key.padEnd(14)}${String(row.frames).padStart(8)}${row.meanBytes.toFixed(0).padStart(8)}` +
      FRAME_STAGES.map((stage) => row.micros[stage].toFixed(1).padStart(11)).join('') +
      row.workerThreadMicros.toFixed(1).padStart(10),
  );
  return [header, ...lines].join('\n');
}

async function main(): Promise<void> {
  const runs = positiveNumber('PARLEY_BENCH_E2EE_RUNS', 3);
  const windowSeconds = positiveNumber('PARLEY_BENCH_E2EE_SECONDS', 15);
  const settleSeconds = positiveNumber('PARLEY_BENCH_E2EE_SETTLE_SECONDS', 3);
  const baselineWorker = process.env.PARLEY_BENCH_E2EE_BASELINE_WORKER || null;

  console.log('(a) SFrame encrypt + decrypt per frame, Node Web Crypto, median of batches');
  const codec = await runCodecBench();
  console.log(formatCodecTable(codec));

  console.log(
    `\n(b) 720p two-peer call in Chromium, ${runs} runs x ${windowSeconds} s per mode, alternating`,
  );
  const cpu = await runCpuCallBench({
    runs,
    windowSeconds,
    settleSeconds,
    baselineWorker,
    onRun: (run) => console.log(describeRun(run)),
  });
  const summaries = modesOf(cpu.runs).map((mode) => summarize(cpu.runs, mode));
  const plain = summaries.find((summary) => summary.mode === 'plain')!;
  console.log(formatCallTable(summaries, plain));
  const profile = sumProfiles(cpu.runs.flatMap((run) => (run.profile ? [run.profile] : [])));
  const stages = profile && perFrameStages(profile);
  if (stages) {
    console.log(
      '\nper frame inside the product worker (both peers, all E2EE runs), wall µs per stage',
    );
    console.log(formatStageTable(stages));
  }

  const result = {
    benchmark: 'e2ee',
    date: new Date().toISOString(),
    node: process.version,
    codec: { measures: 'µs per frame, encrypt + decrypt, median over batches', ...codec },
    call: {
      measures: "Chromium process tree's CPU (utime + stime) over a window of a running 720p call",
      chromium: cpu.chromium,
      windowSeconds,
      baselineWorker,
      modes: summaries.map((summary) => ({
        ...summary,
        ratioToPlain: summary.cpuPercent / plain.cpuPercent,
        ratioToPlainPerDecodedFrame: summary.cpuMsPerDecodedFrame / plain.cpuMsPerDecodedFrame,
      })),
      workerStages: {
        measures: 'wall µs per frame in each stage inside the product worker, mean over frames',
        stages,
      },
      runs: cpu.runs,
    },
  };
  mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written to ${resultFile}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
