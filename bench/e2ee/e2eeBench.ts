import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/e2e/harness/rendererBuild';
import { formatCodecTable, runCodecBench } from './codecBench';
import { runCpuCallBench, type CpuRun } from './cpuCallBench';

/**
 * E2EE cost: (a) SFrame encrypt + decrypt per frame with the product codec, per suite and frame
 * size, against a plain copy; (b) Chromium's CPU in a 720p two-peer call with Parley's E2EE
 * worker on every sender and receiver, against the same call without it. Prints both tables and
 * writes bench/results/e2ee.json.
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
      : `, worker decrypted ${run.workerDecrypted} frames (${run.workerDecryptFailed} failed)`;
  return (
    `${run.mode.padEnd(5)} ${run.cpuSeconds.toFixed(2)} CPU s in ${run.windowSeconds.toFixed(1)} s ` +
    `(${run.cpuPercent.toFixed(0)}% of a core, ${run.chromiumProcesses} processes), ` +
    `${run.cpuMsPerDecodedFrame.toFixed(2)} ms/frame, ` +
    `decoded ${run.decodedFps.offerer.toFixed(1)}/${run.decodedFps.answerer.toFixed(1)} fps at ` +
    `${run.receivedSize} ${run.codec}${worker}`
  );
}

async function main(): Promise<void> {
  const runs = positiveNumber('PARLEY_BENCH_E2EE_RUNS', 3);
  const windowSeconds = positiveNumber('PARLEY_BENCH_E2EE_SECONDS', 15);
  const settleSeconds = positiveNumber('PARLEY_BENCH_E2EE_SETTLE_SECONDS', 3);

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
    onRun: (run) => console.log(describeRun(run)),
  });
  const medianOf = (mode: CpuRun['mode'], measure: (run: CpuRun) => number) =>
    median(cpu.runs.filter((run) => run.mode === mode).map(measure));
  const plain = medianOf('plain', (run) => run.cpuPercent);
  const e2ee = medianOf('e2ee', (run) => run.cpuPercent);
  const ratio = e2ee / plain;
  const plainPerFrame = medianOf('plain', (run) => run.cpuMsPerDecodedFrame);
  const e2eePerFrame = medianOf('e2ee', (run) => run.cpuMsPerDecodedFrame);
  const ratioPerFrame = e2eePerFrame / plainPerFrame;
  console.log(
    [
      `median CPU, plain: ${plain.toFixed(1)}% of a core, ${plainPerFrame.toFixed(2)} ms per decoded frame`,
      `median CPU, E2EE:  ${e2ee.toFixed(1)}% of a core, ${e2eePerFrame.toFixed(2)} ms per decoded frame`,
      `ratio E2EE/plain (medians): ${ratio.toFixed(2)} of CPU time, ${ratioPerFrame.toFixed(2)} per decoded frame`,
    ].join('\n'),
  );

  const result = {
    benchmark: 'e2ee',
    date: new Date().toISOString(),
    node: process.version,
    codec: { measures: 'µs per frame, encrypt + decrypt, median over batches', ...codec },
    call: {
      measures: "Chromium process tree's CPU (utime + stime) over a window of a running 720p call",
      chromium: cpu.chromium,
      windowSeconds,
      medianCpuPercent: { plain, e2ee },
      ratioOfMedians: ratio,
      medianCpuMsPerDecodedFrame: { plain: plainPerFrame, e2ee: e2eePerFrame },
      ratioOfMediansPerDecodedFrame: ratioPerFrame,
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
