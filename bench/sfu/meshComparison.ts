import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pollUntil } from '../../test/e2e/harness/pollUntil';
import { RENDERER_DIST, REPO_ROOT } from '../../test/e2e/harness/rendererBuild';
import { SfuLab } from '../../test/e2e/sfu/sfuLab';
import { descendantsCpuSeconds } from '../e2ee/processTreeCpu';

/**
 * The same 4-person video call (720p camera asked at 15 frames a second, microphone, Parley's
 * E2EE worker on every sender and receiver) made twice in one Chromium: through the server's SFU
 * (SfuLab: the renderer's SfuPath, three simulcast layers, the real mediasoup worker) and as a full
 * mesh of RTCPeerConnections (meshPage/). Over the same window it reads the CPU of every process
 * the benchmark started (Chromium's and the SFU worker's) and every page's bytes sent.
 */
export const CALL_SIZE = 4;
const CAMERA = { width: 1280, height: 720 };
const SETTLE_TIMEOUT_MS = 60_000;

/** Every RTCPeerConnection a page makes is kept, so that its stats can be summed. */
const RECORD_CONNECTIONS = `(() => {
  const Original = window.RTCPeerConnection;
  const made = [];
  window.__parleyConnections = made;
  window.RTCPeerConnection = class extends Original {
    constructor(...args) { super(...args); made.push(this); }
  };
})();`;

interface PageTotals {
  bytesSent: number;
  framesDecoded: number;
  /** Remote video streams that have decoded a frame. */
  decodingVideos: number;
}

/** Sums outbound bytes and decoded video frames over every connection of the page. */
function pageTotals(page: Page): Promise<PageTotals> {
  return page.evaluate(async () => {
    const totals = { bytesSent: 0, framesDecoded: 0, decodingVideos: 0 };
    const connections = (window as unknown as { __parleyConnections: RTCPeerConnection[] })
      .__parleyConnections;
    for (const pc of connections) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((report: Record<string, unknown>) => {
        if (report.type === 'outbound-rtp') totals.bytesSent += Number(report.bytesSent ?? 0);
        if (report.type === 'inbound-rtp' && report.kind === 'video') {
          const decoded = Number(report.framesDecoded ?? 0);
          totals.framesDecoded += decoded;
          if (decoded > 0) totals.decodingVideos++;
        }
      });
    }
    return totals;
  });
}

export interface CallCost {
  layout: 'sfu' | 'mesh';
  /** Cores used by Chromium (and, for the SFU, its worker) over the window. */
  cores: number;
  /** Mean uplink of one member, kbit/s. */
  uplinkKbpsPerMember: number;
  /** Mean decoded video frames per second per remote stream. */
  decodedFps: number;
}

/** Waits until every page decodes every other member's video, then measures `seconds`. */
async function measure(layout: 'sfu' | 'mesh', pages: Page[], seconds: number): Promise<CallCost> {
  await pollUntil(
    () => Promise.all(pages.map(pageTotals)),
    (all) => all.every((totals) => totals.decodingVideos >= CALL_SIZE - 1),
    `every ${layout} member decoding the others`,
    { timeoutMs: SETTLE_TIMEOUT_MS },
  );
  // Let the encoders ramp up to their steady bitrate before the window.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const before = await Promise.all(pages.map(pageTotals));
  const cpuBefore = descendantsCpuSeconds(process.pid).seconds;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = descendantsCpuSeconds(process.pid).seconds - cpuBefore;
  const after = await Promise.all(pages.map(pageTotals));
  const sent = after.reduce((sum, t, i) => sum + t.bytesSent - before[i]!.bytesSent, 0);
  const decoded = after.reduce((sum, t, i) => sum + t.framesDecoded - before[i]!.framesDecoded, 0);
  return {
    layout,
    cores: cpu / elapsed,
    uplinkKbpsPerMember: (sent * 8) / 1000 / elapsed / CALL_SIZE,
    decodedFps: decoded / elapsed / (CALL_SIZE * (CALL_SIZE - 1)),
  };
}

export async function sfuCallCost(browser: Browser, seconds: number): Promise<CallCost> {
  const context = await browser.newContext();
  await context.addInitScript(RECORD_CONNECTIONS);
  const lab = await SfuLab.start(context, {
    rtcMinPort: 43000,
    rtcMaxPort: 43099,
  });
  try {
    for (let slot = 0; slot < CALL_SIZE; slot++) await lab.join(slot, CAMERA);
    for (let from = 0; from < CALL_SIZE; from++) {
      for (let to = 0; to < CALL_SIZE; to++) if (from !== to) await lab.shareKey(from, to);
    }
    const pages = Array.from({ length: CALL_SIZE }, (_, slot) => lab.page(slot));
    return await measure('sfu', pages, seconds);
  } finally {
    await lab.close();
    await context.close();
  }
}

async function serveMeshPage(): Promise<{ origin: string; close(): Promise<void> }> {
  const folder = join(REPO_ROOT, 'bench', 'sfu', 'meshPage');
  const files: Record<string, [string, Buffer]> = {
    '/': ['text/html', readFileSync(join(folder, 'index.html'))],
    '/mesh.js': ['text/javascript', readFileSync(join(folder, 'mesh.js'))],
    '/e2ee-worker.js': ['text/javascript', readFileSync(join(RENDERER_DIST, 'e2ee-worker.js'))],
  };
  const server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (!file) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type MeshMember = {
  start(slot: number, width: number, height: number, key: string): Promise<void>;
  receiveFrom(slot: number, key: string): void;
  offer(peer: number): Promise<string>;
  answer(peer: number, sdp: string): Promise<string>;
  accept(peer: number, sdp: string): Promise<void>;
  close(): void;
};
declare const window: Window & { mesh: MeshMember };

export async function meshCallCost(browser: Browser, seconds: number): Promise<CallCost> {
  const context = await browser.newContext();
  await context.addInitScript(RECORD_CONNECTIONS);
  const site = await serveMeshPage();
  try {
    const keys = Array.from({ length: CALL_SIZE }, () => randomBytes(32).toString('base64'));
    const pages: Page[] = [];
    for (let slot = 0; slot < CALL_SIZE; slot++) {
      const page = await context.newPage();
      page.on('pageerror', (error) => console.warn(`mesh member ${slot}: ${error.message}`));
      await page.goto(site.origin);
      await page.evaluate(
        ({ slot, width, height, key }) => window.mesh.start(slot, width, height, key),
        { slot, ...CAMERA, key: keys[slot]! },
      );
      pages.push(page);
    }
    for (let slot = 0; slot < CALL_SIZE; slot++) {
      for (let from = 0; from < CALL_SIZE; from++) {
        if (from === slot) continue;
        await pages[slot]!.evaluate(({ from, key }) => window.mesh.receiveFrom(from, key), {
          from,
          key: keys[from]!,
        });
      }
    }
    for (let a = 0; a < CALL_SIZE; a++) {
      for (let b = a + 1; b < CALL_SIZE; b++) {
        const offer = await pages[a]!.evaluate((peer) => window.mesh.offer(peer), b);
        const answer = await pages[b]!.evaluate(({ peer, sdp }) => window.mesh.answer(peer, sdp), {
          peer: a,
          sdp: offer,
        });
        await pages[a]!.evaluate(({ peer, sdp }) => window.mesh.accept(peer, sdp), {
          peer: b,
          sdp: answer,
        });
      }
    }
    try {
      return await measure('mesh', pages, seconds);
    } finally {
      await Promise.all(pages.map((page) => page.evaluate(() => window.mesh.close())));
    }
  } finally {
    await context.close();
    await site.close();
  }
}
