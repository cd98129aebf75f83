import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import type { BoundedJsonObject, MediaSource } from '../../../protocol';
import type { CallMedia, ConsumerOffer } from '../../../server/sfu/MediaRouter';
import { MediasoupMediaRouter } from '../../../server/sfu/MediasoupMediaRouter';
import { resolveSfuOptions } from '../../../server/sfu/SfuOptions';
import { RENDERER_DIST, REPO_ROOT } from '../harness/rendererBuild';
import type { SfuPortRange } from '../harness/sfuPorts';
import type { ConsumerStats } from './sfuLabPage';

/** Where a key sits in a sender's KID (callKeyIds.ts): a fresh random key, or a ratchet step. */
export interface KeyPlace {
  generation: number;
  epoch: number;
}

/** Where members' pages come from: a browser, or one of its contexts (with its init scripts). */
export interface PageSource {
  newPage(): Promise<Page>;
}

/**
 * Serves the lab page (sfuLabPage.ts, bundled now) and the E2EE worker on a loopback port: pages
 * that run the renderer's SfuPath, for this lab and for the SFU benchmark's receivers.
 */
export async function serveLabPage(): Promise<{ http: Server; origin: string }> {
  const bundle = await esbuild.build({
    entryPoints: [join(REPO_ROOT, 'test', 'e2e', 'sfu', 'sfuLabPage.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    absWorkingDir: REPO_ROOT,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const files: Record<string, [string, Buffer | string]> = {
    '/': ['text/html', '<!doctype html><meta charset="utf-8"><script src="lab.js"></script>'],
    '/lab.js': ['text/javascript', bundle.outputFiles[0]!.text],
    '/e2ee-worker.js': ['text/javascript', readFileSync(join(RENDERER_DIST, 'e2ee-worker.js'))],
  };
  const http = createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (!file) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { http, origin: `http://127.0.0.1:${port}` };
}

/**
 * The media path through the real SFU, without the call logic around it: a real mediasoup router
 * in this process stands in for the server's SFU requests, and each member is a Chromium page
 * running SfuPath (and its E2EE worker) from the renderer's code. The test hands out the keys.
 */
export class SfuLab {
  readonly members = new Map<number, { page: Page; key: string }>();
  private readonly producers = new Map<number, { id: string; kind: 'audio' | 'video' }[]>();
  private pending: Promise<unknown>[] = [];
  /** The transports whose ICE the SFU restarted (room.restart_ice), in order. */
  readonly iceRestarts: string[] = [];

  private constructor(
    private readonly browser: PageSource,
    private readonly router: MediasoupMediaRouter,
    readonly call: CallMedia,
    private readonly http: Server,
    private readonly origin: string,
  ) {}

  static async start(browser: PageSource, ports: SfuPortRange) {
    const { http, origin } = await serveLabPage();
    const router = await MediasoupMediaRouter.start(
      resolveSfuOptions({ listenIp: '127.0.0.1', workers: 1, ...ports }),
    );
    // The SFU's events name members, whose pages the lab made after the call opened.
    const made: { lab?: SfuLab } = {};
    const call = await router.openCall('lab', {
      consumer: (forSlot, offer) => made.lab?.deliver(forSlot, offer),
      consumerClosed: (forSlot, consumerId) =>
        made.lab?.track(
          made.lab
            .page(forSlot)
            .evaluate((id: string) => window.sfuLab.closeConsumer(id), consumerId),
        ),
      speaker: () => {},
      lost: () => {},
    });
    made.lab = new SfuLab(browser, router, call, http, origin);
    return made.lab;
  }

  /** The router the call runs on, for taps that watch what the SFU forwards. */
  get mediasoupRouter() {
    return this.router.routerOf('lab');
  }

  /** The producers of a member, as the SFU made them. */
  producersOf(slot: number): { id: string; kind: 'audio' | 'video' }[] {
    return this.producers.get(slot) ?? [];
  }

  page(slot: number): Page {
    const member = this.members.get(slot);
    if (!member) throw new Error(`no member in slot ${slot}`);
    return member.page;
  }

  /** A member in `slot` that sends its microphone and camera, encrypted under its own key. */
  async join(slot: number, camera: { width: number; height: number }): Promise<void> {
    const page = await this.browser.newPage();
    page.on('pageerror', (error) => console.warn(`slot ${slot} page error`, error));
    const key = randomBytes(32).toString('base64');
    this.members.set(slot, { page, key });
    await page.exposeFunction('sfuRequest', (method: string, args: unknown[]) =>
      this.request(slot, method, args),
    );
    await page.goto(this.origin);
    await page.evaluate(
      async ({ slot, key, width, height }) => {
        await window.sfuLab.start(width, height);
        window.sfuLab.setSendKey(slot, 0, key);
      },
      { slot, key, ...camera },
    );
  }

  /**
   * Gives `to` a sender key of `from` (by default the one it started with, generation 0 epoch 0)
   * and lets it play `from`'s media.
   */
  async shareKey(
    from: number,
    to: number,
    key = this.members.get(from)!.key,
    { generation, epoch }: KeyPlace = { generation: 0, epoch: 0 },
  ): Promise<void> {
    await this.settled();
    await this.page(to).evaluate(
      async ({ from, key, generation, epoch }) => {
        window.sfuLab.setReceiveKey(from, generation, key, epoch);
        await window.sfuLab.resumeSlot(from);
      },
      { from, key, generation, epoch },
    );
  }

  /** The member in `slot` encrypts what it sends under this key from now on. */
  async sendWith(slot: number, key: string, { generation, epoch }: KeyPlace): Promise<void> {
    await this.page(slot).evaluate(
      (args) => window.sfuLab.setSendKey(args.slot, args.generation, args.key, args.epoch),
      { slot, key, generation, epoch },
    );
  }

  stats(slot: number): Promise<ConsumerStats[]> {
    return this.page(slot).evaluate(() => window.sfuLab.stats());
  }

  /** Waits for the consumers the SFU has offered to be taken by their pages. */
  async settled(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await Promise.all(batch);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.members.values()].map(({ page }) => page.close()));
    this.call.close();
    this.router.close();
    await new Promise((resolve) => this.http.close(resolve));
  }

  private deliver(forSlot: number, offer: ConsumerOffer): void {
    this.track(this.page(forSlot).evaluate((o) => window.sfuLab.consume(o), offer));
  }

  track(work: Promise<unknown>): void {
    this.pending.push(work);
  }

  private request(slot: number, method: string, args: unknown[]): Promise<unknown> {
    const [a, b, c] = args;
    switch (method) {
      case 'router':
        return Promise.resolve(this.call.rtpCapabilities);
      case 'transports':
        return this.call.setTransports(slot, a as BoundedJsonObject);
      case 'connect':
        return this.call.connect(slot, a as string, b as BoundedJsonObject);
      case 'produce': {
        const kind = a as 'audio' | 'video';
        const produced = this.call.produce(slot, {
          kind,
          source: b as MediaSource,
          rtpParameters: c as BoundedJsonObject,
        });
        return produced.then((id) => {
          this.producers.set(slot, [...(this.producers.get(slot) ?? []), { id, kind }]);
          return id;
        });
      }
      case 'closeProducer':
        return Promise.resolve(this.call.closeProducer(slot, a as string));
      case 'resume':
        return this.call.resumeConsumer(slot, a as string);
      case 'pause':
        return this.call.pauseConsumer(slot, a as string);
      case 'layers':
        return this.call.setLayers(slot, a as string, b as number, c as number | undefined);
      case 'keyFrame':
        return this.call.requestKeyFrame(slot, a as string);
      case 'restartIce':
        this.iceRestarts.push(a as string);
        return this.call.restartIce(slot, a as string);
      default:
        return Promise.reject(new Error(`no SFU request ${method}`));
    }
  }
}
