import type { Server } from 'node:http';
import type { types } from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import type { BoundedJsonObject } from '../../protocol';
import { serveLabPage } from '../../test/e2e/sfu/sfuLab';
import type { ConsumerStats } from '../../test/e2e/sfu/sfuLabPage';

/**
 * Real Chromium receivers in a call of synthetic members: each is a page running the renderer's
 * SfuPath and its E2EE worker (the SFU lab page, test/e2e/sfu/sfuLabPage.ts) that only receives,
 * over two WebRTC transports on the call's router, made here as the server makes them.
 * It takes a consumer of each synthetic camera, paused, installs that member's key, asks for a
 * layer and resumes, as a member's client does.
 */

/** One sender the receivers take: its slot, its camera producer and its SFrame key (base64). */
export interface ReceivedSender {
  slot: number;
  producerId: string;
  key: string;
}

interface Receiver {
  page: Page;
  transports: Map<string, types.WebRtcTransport>;
  consumers: Map<string, types.Consumer>;
  rtpCapabilities: types.RtpCapabilities | null;
}

export class ChromiumReceivers {
  private constructor(
    private readonly router: types.Router,
    private readonly receivers: Receiver[],
    private readonly http: Server,
  ) {}

  static async start(browser: Browser, router: types.Router, count: number) {
    const { http, origin } = await serveLabPage();
    const receivers: Receiver[] = [];
    const made = new ChromiumReceivers(router, receivers, http);
    try {
      for (let i = 0; i < count; i++) {
        const page = await browser.newPage();
        page.on('pageerror', (error) => console.warn(`receiver ${i} page error`, error));
        const receiver: Receiver = {
          page,
          transports: new Map(),
          consumers: new Map(),
          rtpCapabilities: null,
        };
        receivers.push(receiver);
        await page.exposeFunction('sfuRequest', (method: string, args: unknown[]) =>
          made.request(receiver, method, args),
        );
        await page.goto(origin);
        await page.evaluate(() => window.sfuLab.startReceiving());
      }
    } catch (error) {
      await made.close();
      throw error;
    }
    return made;
  }

  /** Every receiver takes each sender's camera at `spatialLayer`, and plays it. */
  async receive(senders: ReceivedSender[], spatialLayer: number): Promise<void> {
    for (const receiver of this.receivers) {
      const transport = [...receiver.transports.values()].at(-1);
      if (!transport || !receiver.rtpCapabilities) throw new Error('a receiver has no transport');
      for (const sender of senders) {
        const consumer = await transport.consume({
          producerId: sender.producerId,
          rtpCapabilities: receiver.rtpCapabilities,
          paused: true,
        });
        receiver.consumers.set(consumer.id, consumer);
        await consumer.setPreferredLayers({ spatialLayer });
        const offer = {
          transportId: transport.id,
          consumerId: consumer.id,
          producerId: sender.producerId,
          slot: sender.slot,
          kind: 'video' as const,
          source: 'camera' as const,
          rtpParameters: consumer.rtpParameters as unknown as BoundedJsonObject,
        };
        await receiver.page.evaluate(
          async ({ offer, key }) => {
            await window.sfuLab.consume(offer);
            window.sfuLab.setReceiveKey(offer.slot, 0, key);
            await window.sfuLab.resumeSlot(offer.slot);
          },
          { offer, key: sender.key },
        );
      }
    }
  }

  /** What each receiver decoded so far, per consumer. */
  stats(): Promise<ConsumerStats[][]> {
    return Promise.all(
      this.receivers.map(({ page }) => page.evaluate(() => window.sfuLab.stats())),
    );
  }

  /**
   * What the SFU forwards to the receivers now: how many of their consumers it forwards no layer
   * of (its bandwidth estimate of that receiver leaves them out), and that estimate per receiver
   * (mediasoup's available outgoing bitrate of the receive transport, bit/s).
   */
  async forwarding(): Promise<{ withoutLayer: number; estimates: number[] }> {
    let withoutLayer = 0;
    const estimates: number[] = [];
    for (const receiver of this.receivers) {
      for (const consumer of receiver.consumers.values()) {
        if (!consumer.currentLayers) withoutLayer++;
      }
      const transport = [...receiver.transports.values()].at(-1);
      const [stats] = transport ? await transport.getStats() : [];
      estimates.push(stats?.availableOutgoingBitrate ?? 0);
    }
    return { withoutLayer, estimates };
  }

  /** Frames each receiver's E2EE worker could not decrypt, summed over senders. */
  async decryptFailures(): Promise<number> {
    const reports = await Promise.all(
      this.receivers.map(({ page }) => page.evaluate(() => window.sfuLab.decrypted())),
    );
    return reports.flat().reduce((sum, sender) => sum + sender.video.decryptFailed, 0);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.receivers.map(({ page }) => page.close()));
    for (const receiver of this.receivers) {
      for (const transport of receiver.transports.values()) transport.close();
    }
    await new Promise((resolve) => this.http.close(resolve));
  }

  /** The SFU requests a receive-only SfuPath makes, answered by mediasoup directly. */
  private async request(receiver: Receiver, method: string, args: unknown[]): Promise<unknown> {
    const [a, b, c] = args;
    const consumer = () => {
      const found = receiver.consumers.get(a as string);
      if (!found) throw new Error(`no consumer ${String(a)}`);
      return found;
    };
    switch (method) {
      case 'router':
        return this.router.rtpCapabilities;
      case 'transports': {
        receiver.rtpCapabilities = a as types.RtpCapabilities;
        const [send, recv] = await Promise.all([this.transport(), this.transport()]);
        for (const transport of [send, recv]) receiver.transports.set(transport.id, transport);
        return { send: describe(send), recv: describe(recv) };
      }
      case 'connect':
        return receiver.transports
          .get(a as string)
          ?.connect({ dtlsParameters: b as types.DtlsParameters });
      case 'resume':
        return consumer().resume();
      case 'pause':
        return consumer().pause();
      case 'layers':
        return consumer().setPreferredLayers({
          spatialLayer: b as number,
          temporalLayer: c as number | undefined,
        });
      case 'keyFrame':
        return consumer().requestKeyFrame();
      default:
        throw new Error(`a receive-only page asked for ${method}`);
    }
  }

  /** A WebRTC transport on loopback, as the server makes one (UDP and TCP, UDP preferred). */
  private transport(): Promise<types.WebRtcTransport> {
    return this.router.createWebRtcTransport({
      listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ip: '127.0.0.1' })),
      preferUdp: true,
    });
  }
}

function describe(transport: types.WebRtcTransport) {
  return {
    id: transport.id,
    iceParameters: transport.iceParameters,
    iceCandidates: transport.iceCandidates,
    dtlsParameters: transport.dtlsParameters,
  };
}
