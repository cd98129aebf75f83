import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../test/e2e/harness/chromium';
import { pollUntil } from '../../test/e2e/harness/pollUntil';
import { REPO_ROOT } from '../../test/e2e/harness/rendererBuild';
import { descendantsCpuSeconds } from './processTreeCpu';

/**
 * CPU of a 720p two-peer call with and without E2EE: a bare page (page/) holds both peers, and in
 * the E2EE runs routes every sender and receiver through Parley's own worker bundle
 * (dist/renderer/e2ee-worker.js). The CPU time of Chromium's whole process tree is read from
 * /proc over a fixed window of a running call. Runs alternate between the two modes.
 */

interface PeerStats {
  framesDecoded: number;
  framesEncoded: number;
  width: number;
  height: number;
  codec: string;
  worker: {
    encrypted: number;
    encryptFailed: number;
    decrypted: number;
    decryptFailed: number;
  } | null;
}
interface CallStats {
  offerer: PeerStats;
  answerer: PeerStats;
}
interface CpuCallPage {
  startCall(encrypted: boolean): Promise<void>;
  readStats(): Promise<CallStats>;
  hangUp(): void;
}

export interface CpuRun {
  mode: 'plain' | 'e2ee';
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
}

// Paths from the checkout's root: this file runs bundled elsewhere in the tree.
const pageFolder = join(REPO_ROOT, 'bench', 'e2ee', 'page');
const pageFiles: Record<string, { path: string; type: string }> = {
  '/': { path: join(pageFolder, 'index.html'), type: 'text/html; charset=utf-8' },
  '/cpuCall.js': { path: join(pageFolder, 'cpuCall.js'), type: 'text/javascript' },
  '/e2ee-worker.js': {
    path: join(REPO_ROOT, 'dist', 'renderer', 'e2ee-worker.js'),
    type: 'text/javascript',
  },
};

/** Serves the bench page and the product's worker bundle from one loopback origin. */
async function servePage(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const file = pageFiles[new URL(request.url ?? '/', 'http://127.0.0.1').pathname];
    if (!file) return void response.writeHead(404).end();
    readFile(file.path).then(
      (body) => response.writeHead(200, { 'content-type': file.type }).end(body),
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

const readStats = (page: Page) =>
  page.evaluate(() => (window as unknown as CpuCallPage).readStats());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measureCall(
  page: Page,
  mode: CpuRun['mode'],
  windowSeconds: number,
  settleSeconds: number,
): Promise<CpuRun> {
  const encrypted = mode === 'e2ee';
  await page.evaluate((e) => (window as unknown as CpuCallPage).startCall(e), encrypted);
  try {
    // Both sides decode 1280x720 (bandwidth estimation starts lower), and with E2EE through the worker.
    await pollUntil(
      () => readStats(page),
      (s) =>
        [s.offerer, s.answerer].every(
          (p) =>
            p.framesDecoded > 0 &&
            p.width === 1280 &&
            (!encrypted || (p.worker?.decrypted ?? 0) > 0),
        ),
      `${mode} call decoding 1280x720 on both sides`,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    await sleep(settleSeconds * 1_000);
    const statsBefore = await readStats(page);
    const cpuBefore = descendantsCpuSeconds(process.pid);
    const startedAt = performance.now();
    await sleep(windowSeconds * 1_000);
    const cpuAfter = descendantsCpuSeconds(process.pid);
    const elapsed = (performance.now() - startedAt) / 1_000;
    // Worker counts are reported every 500 ms: wait for a report from after the window.
    await sleep(600);
    const statsAfter = await readStats(page);
    const cpuSeconds = cpuAfter.seconds - cpuBefore.seconds;
    const fps = (side: 'offerer' | 'answerer') =>
      (statsAfter[side].framesDecoded - statsBefore[side].framesDecoded) / elapsed;
    const workerDelta = (field: 'decrypted' | 'decryptFailed') =>
      encrypted
        ? (['offerer', 'answerer'] as const).reduce(
            (sum, side) =>
              sum +
              (statsAfter[side].worker?.[field] ?? 0) -
              (statsBefore[side].worker?.[field] ?? 0),
            0,
          )
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
      workerDecrypted: workerDelta('decrypted'),
      workerDecryptFailed: workerDelta('decryptFailed'),
    };
  } finally {
    await page.evaluate(() => (window as unknown as CpuCallPage).hangUp());
  }
}

export async function runCpuCallBench(options: {
  runs: number;
  windowSeconds: number;
  settleSeconds: number;
  onRun?: (run: CpuRun) => void;
}): Promise<{ chromium: string; runs: CpuRun[] }> {
  const site = await servePage();
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(site.url);
    const runs: CpuRun[] = [];
    for (let round = 0; round < options.runs; round++) {
      // Alternate which mode goes first, so neither always follows the other.
      const order: CpuRun['mode'][] = round % 2 === 0 ? ['plain', 'e2ee'] : ['e2ee', 'plain'];
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
