import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../test/e2e/harness/chromium';
import { pollUntil } from '../../test/e2e/harness/pollUntil';
import { REPO_ROOT } from '../../test/e2e/harness/rendererBuild';
import {
  FRAME_STAGES,
  type FrameProfile,
  type KindCounts,
} from '../../renderer/e2ee/worker/messages';
import { descendantThreadsCpuSeconds, descendantsCpuSeconds } from './processTreeCpu';

/**
 * CPU of a 720p two-peer call with and without E2EE: a bare page (page/) holds both peers, and in
 * the E2EE runs routes every sender and receiver through Parley's own worker bundle
 * (dist/renderer/e2ee-worker.js). The CPU time of Chromium's whole process tree is read from
 * /proc over a fixed window of a running call, and that of the workers' own threads. Runs
 * alternate between the modes: plain, E2EE, and optionally E2EE with a baseline build of the
 * worker (an older commit's), so old and new are measured in the same run.
 */

interface PeerStats {
  framesDecoded: number;
  framesEncoded: number;
  width: number;
  height: number;
  codec: string;
  worker: KindCounts | null;
}
interface CallStats {
  offerer: PeerStats;
  answerer: PeerStats;
}
interface CpuCallPage {
  startCall(workerScript: string | null): Promise<void>;
  readStats(): Promise<CallStats>;
  startProfile(): void;
  readProfile(): Promise<FrameProfile[]>;
  hangUp(): void;
}

export type CallMode = 'plain' | 'e2ee' | 'e2ee-baseline';

/** The worker script each mode loads, served beside the page. */
const WORKER_SCRIPTS: Record<CallMode, string | null> = {
  plain: null,
  e2ee: 'e2ee-worker.js',
  'e2ee-baseline': 'e2ee-worker-baseline.js',
};

/** How long the product worker times its stages, after the CPU window. */
const PROFILE_SECONDS = 5;

/** Chromium names a dedicated worker's thread "DedicatedWorker thread"; comm keeps 15 chars. */
const WORKER_THREAD = /^DedicatedWorker/;

export interface CpuRun {
  mode: CallMode;
  windowSeconds: number;
  /** Chromium's CPU seconds over the window, all processes. */
  cpuSeconds: number;
  /** cpuSeconds / windowSeconds, in percent of one core. */
  cpuPercent: number;
  chromiumProcesses: number;
  /** Decoded frames per second on each side, over the window. */
  decodedFps: { offerer: number; answerer: number };
  /** CPU milliseconds per frame decoded (both sides together): fair if the frame rates differ. */
  cpuMsPerDecodedFrame: number;
  receivedSize: string;
  codec: string;
  /** E2EE only: frames the two workers decrypted and failed to decrypt over the window. */
  workerDecrypted: number | null;
  workerDecryptFailed: number | null;
  /** E2EE only: frames through the two workers (encrypted + decrypted, audio + video). */
  workerFrames: number | null;
  /** E2EE only: CPU seconds of both workers' threads (JS, copies, streams; not Web Crypto's pool). */
  workerThreadCpuSeconds: number | null;
  /** workerThreadCpuSeconds per frame through the workers, in µs. */
  workerThreadMicrosPerFrame: number | null;
  /**
   * Product worker only: wall time of each stage, summed over both workers' frames, over
   * PROFILE_SECONDS after the CPU window.
   */
  profile: FrameProfile | null;
}

// Paths from the checkout's root: this file runs bundled elsewhere in the tree.
const pageFolder = join(REPO_ROOT, 'bench', 'e2ee', 'page');
function pageFiles(baselineWorker: string | null): Record<string, { path: string; type: string }> {
  return {
    '/': { path: join(pageFolder, 'index.html'), type: 'text/html; charset=utf-8' },
    '/cpuCall.js': { path: join(pageFolder, 'cpuCall.js'), type: 'text/javascript' },
    '/e2ee-worker.js': {
      path: join(REPO_ROOT, 'dist', 'renderer', 'e2ee-worker.js'),
      type: 'text/javascript',
    },
    ...(baselineWorker && {
      '/e2ee-worker-baseline.js': { path: baselineWorker, type: 'text/javascript' },
    }),
  };
}

/** Cross-origin isolated, so performance.now() in the workers is fine-grained (5 µs, not 100). */
const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** Serves the bench page and the product's worker bundle from one loopback origin. */
async function servePage(
  baselineWorker: string | null,
): Promise<{ url: string; close(): Promise<void> }> {
  const files = pageFiles(baselineWorker);
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://127.0.0.1').pathname];
    if (!file) return void response.writeHead(404).end();
    readFile(file.path).then(
      (body) =>
        response.writeHead(200, { 'content-type': file.type, ...ISOLATION_HEADERS }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const readStats = (page: Page): Promise<CallStats> =>
  page.evaluate(() => (window as unknown as CpuCallPage).readStats());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const callPage = (page: Page) => ({
  readStats: () => readStats(page),
  startProfile: () => page.evaluate(() => (window as unknown as CpuCallPage).startProfile()),
  readProfile: () => page.evaluate(() => (window as unknown as CpuCallPage).readProfile()),
});

/** Both workers' frames of one counter, audio and video together. */
function workerTotal(stats: CallStats, field: keyof KindCounts['audio']): number {
  let total = 0;
  for (const side of [stats.offerer, stats.answerer]) {
    for (const kind of ['audio', 'video'] as const) total += side.worker?.[kind][field] ?? 0;
  }
  return total;
}

/** Profiles as one: stage totals added per operation and track kind; null for none. */
export function sumProfiles(profiles: FrameProfile[]): FrameProfile | null {
  const [first, ...rest] = profiles;
  if (!first) return null;
  const total = structuredClone(first);
  for (const profile of rest) {
    for (const key of Object.keys(total) as (keyof FrameProfile)[]) {
      total[key].frames += profile[key].frames;
      total[key].bytes += profile[key].bytes;
      for (const stage of FRAME_STAGES) total[key].ms[stage] += profile[key].ms[stage];
    }
  }
  return total;
}

async function measureCall(
  page: Page,
  mode: CallMode,
  windowSeconds: number,
  settleSeconds: number,
): Promise<CpuRun> {
  const workerScript = WORKER_SCRIPTS[mode];
  const encrypted = workerScript !== null;
  const profiled = mode === 'e2ee';
  const calls = callPage(page);
  await page.evaluate((s) => (window as unknown as CpuCallPage).startCall(s), workerScript);
  try {
    // Both sides decode 1280x720 (bandwidth estimation starts lower), and with E2EE through the worker.
    await pollUntil(
      () => calls.readStats(),
      (s) =>
        [s.offerer, s.answerer].every(
          (p) =>
            p.framesDecoded > 0 &&
            p.width === 1280 &&
            (!encrypted || (p.worker?.video.decrypted ?? 0) > 0),
        ),
      `${mode} call decoding 1280x720 on both sides`,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    await sleep(settleSeconds * 1_000);
    const statsBefore = await calls.readStats();
    const cpuBefore = descendantsCpuSeconds(process.pid);
    const workerCpuBefore = descendantThreadsCpuSeconds(process.pid, WORKER_THREAD);
    const startedAt = performance.now();
    await sleep(windowSeconds * 1_000);
    const cpuAfter = descendantsCpuSeconds(process.pid);
    const workerCpuAfter = descendantThreadsCpuSeconds(process.pid, WORKER_THREAD);
    const elapsed = (performance.now() - startedAt) / 1_000;
    // Worker counts are reported every 500 ms: wait for a report from after the window.
    await sleep(600);
    const statsAfter = await calls.readStats();
    // Stage timing costs a little: it runs after the CPU window, never inside it.
    let profile: FrameProfile | null = null;
    if (profiled) {
      await calls.startProfile();
      await sleep(Math.min(windowSeconds, PROFILE_SECONDS) * 1_000);
      profile = sumProfiles(await calls.readProfile());
    }
    const cpuSeconds = cpuAfter.seconds - cpuBefore.seconds;
    const fps = (side: 'offerer' | 'answerer') =>
      (statsAfter[side].framesDecoded - statsBefore[side].framesDecoded) / elapsed;
    const workerDelta = (field: keyof KindCounts['audio']) =>
      workerTotal(statsAfter, field) - workerTotal(statsBefore, field);
    const workerFrames = encrypted ? workerDelta('encrypted') + workerDelta('decrypted') : null;
    const workerThreadCpuSeconds = encrypted
      ? workerCpuAfter.seconds - workerCpuBefore.seconds
      : null;
    return {
      mode,
      windowSeconds: elapsed,
      cpuSeconds,
      cpuPercent: (cpuSeconds / elapsed) * 100,
      chromiumProcesses: cpuAfter.processes,
      decodedFps: { offerer: fps('offerer'), answerer: fps('answerer') },
      cpuMsPerDecodedFrame: (cpuSeconds * 1_000) / ((fps('offerer') + fps('answerer')) * elapsed),
      receivedSize: `${statsAfter.offerer.width}x${statsAfter.offerer.height}`,
      codec: statsAfter.offerer.codec,
      workerDecrypted: encrypted ? workerDelta('decrypted') : null,
      workerDecryptFailed: encrypted ? workerDelta('decryptFailed') : null,
      workerFrames,
      workerThreadCpuSeconds,
      workerThreadMicrosPerFrame:
        workerFrames && workerThreadCpuSeconds !== null
          ? (workerThreadCpuSeconds * 1e6) / workerFrames
          : null,
      profile,
    };
  } finally {
    await page.evaluate(() => (window as unknown as CpuCallPage).hangUp());
  }
}

export async function runCpuCallBench(options: {
  runs: number;
  windowSeconds: number;
  settleSeconds: number;
  /** A baseline build of the worker bundle, measured as mode 'e2ee-baseline' when given. */
  baselineWorker: string | null;
  onRun?: (run: CpuRun) => void;
}): Promise<{ chromium: string; runs: CpuRun[] }> {
  const site = await servePage(options.baselineWorker);
  const browser = await launchChromium();
  const modes: CallMode[] = options.baselineWorker
    ? ['plain', 'e2ee', 'e2ee-baseline']
    : ['plain', 'e2ee'];
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(site.url);
    const runs: CpuRun[] = [];
    for (let round = 0; round < options.runs; round++) {
      // Rotate which mode goes first, so none always follows another.
      const order = modes.map((_, i) => modes[(i + round) % modes.length]!);
      for (const mode of order) {
        const run = await measureCall(page, mode, options.windowSeconds, options.settleSeconds);
        runs.push(run);
        options.onRun?.(run);
        await sleep(1_000); // let the last call's processes wind down
      }
    }
    return { chromium: browser.version(), runs };
  } finally {
    await browser.close();
    await site.close();
  }
}
