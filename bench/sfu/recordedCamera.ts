import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { kidFor } from '../../renderer/e2ee/callKeyIds';
import { FrameCryptor } from '../../renderer/e2ee/frameCryptor';
import { CAMERA_LAYERS, FRAMES_PER_SECOND, type CameraFrames } from './syntheticMember';

/**
 * Real VP8 camera frames for the synthetic members, so that real Chromium receivers can decode
 * what the SFU forwards: recorded once in Chromium (WebCodecs' VideoEncoder, libvpx, the encoder
 * WebRTC uses) in the three simulcast sizes and bitrates, then encrypted per member with the
 * renderer's own FrameCryptor (clear VP8 prefix || SFrame) under that member's key.
 */

/** Frames in the recording: 2 s, a key frame at the start, so a replayed loop has one every 2 s. */
const RECORDED_FRAMES = 2 * FRAMES_PER_SECOND;

export interface RecordedFrame {
  key: boolean;
  /** One VP8 frame per simulcast layer, lowest first. */
  layers: Uint8Array[];
}

/** Records RECORDED_FRAMES frames of a moving test picture in the page (a secure context). */
export async function recordCamera(page: Page): Promise<RecordedFrame[]> {
  const layers = await page.evaluate(
    async ({ sizes, frames, fps }) => {
      const source = new OffscreenCanvas(1280, 720);
      const draw = source.getContext('2d')!;
      const outputs: { key: boolean; data: string }[][] = sizes.map(() => []);
      const encoders = sizes.map((size, i) => {
        const encoder = new VideoEncoder({
          output: (chunk) => {
            const bytes = new Uint8Array(chunk.byteLength);
            chunk.copyTo(bytes);
            let binary = '';
            for (let at = 0; at < bytes.length; at += 0x8000) {
              binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
            }
            outputs[i]!.push({ key: chunk.type === 'key', data: btoa(binary) });
          },
          error: (error) => console.error('VideoEncoder', error),
        });
        encoder.configure({
          codec: 'vp8',
          width: size.width,
          height: size.height,
          bitrate: size.bitrate,
          framerate: fps,
          latencyMode: 'realtime',
        });
        const canvas = new OffscreenCanvas(size.width, size.height);
        return { encoder, canvas, context: canvas.getContext('2d')! };
      });
      for (let n = 0; n < frames; n++) {
        // A moving gradient with moving blocks: detail and motion for the encoder to spend on.
        const gradient = draw.createLinearGradient(n * 20, 0, 1280 - n * 10, 720);
        gradient.addColorStop(0, `hsl(${(n * 6) % 360} 70% 50%)`);
        gradient.addColorStop(1, `hsl(${(n * 6 + 180) % 360} 70% 40%)`);
        draw.fillStyle = gradient;
        draw.fillRect(0, 0, 1280, 720);
        for (let block = 0; block < 40; block++) {
          draw.fillStyle = `hsl(${(block * 37 + n * 3) % 360} 80% ${30 + (block % 5) * 10}%)`;
          draw.fillRect((block * 97 + n * 11) % 1280, (block * 53 + n * 7) % 720, 90, 60);
        }
        draw.fillStyle = 'white';
        draw.font = '64px sans-serif';
        draw.fillText(`frame ${n}`, 40, 680);
        for (const { encoder, canvas, context } of encoders) {
          context.drawImage(source, 0, 0, canvas.width, canvas.height);
          const frame = new VideoFrame(canvas, {
            timestamp: Math.round((n * 1e6) / fps),
            duration: Math.round(1e6 / fps),
          });
          encoder.encode(frame, { keyFrame: n === 0 });
          frame.close();
        }
      }
      await Promise.all(encoders.map(({ encoder }) => encoder.flush()));
      return outputs;
    },
    { sizes: CAMERA_LAYERS.map((layer) => ({ ...layer })), frames: RECORDED_FRAMES, fps: 30 },
  );
  if (layers.some((frames) => frames.length !== RECORDED_FRAMES)) {
    throw new Error(
      `the recording has ${layers.map((frames) => frames.length).join('/')} frames per layer, ` +
        `not ${RECORDED_FRAMES}`,
    );
  }
  return Array.from({ length: RECORDED_FRAMES }, (_, n) => ({
    key: layers.every((frames) => frames[n]!.key),
    layers: layers.map((frames) => Uint8Array.from(Buffer.from(frames[n]!.data, 'base64'))),
  }));
}

/** Below this many encrypted frames (3 s), a camera encrypts more in the background... */
const LOW_WATER = 3 * FRAMES_PER_SECOND;
/** ...up to twice as many. */
const REFILL_TO = 2 * LOW_WATER;

/**
 * A synthetic member's camera: the recording looped, encrypted under the member's own key, each
 * frame once and in sending order (SFrame counters only grow: a receiver refuses a counter it has
 * seen). The frames of the expected run are encrypted before it starts, so a measured window pays
 * no encryption; should the run last longer, more are encrypted in the background.
 */
export class EncryptedCamera implements CameraFrames {
  /** The member's SFrame base key, for the receivers (base64). */
  readonly key = randomBytes(32).toString('base64');
  private readonly cryptor = new FrameCryptor();
  private readonly ahead: RecordedFrame[] = [];
  private encrypted = 0;
  private filling: Promise<void> | null = null;
  /** Frames due when none was encrypted yet (this process fell behind): not sent. */
  missed = 0;

  private constructor(
    readonly slot: number,
    private readonly recording: RecordedFrame[],
  ) {}

  /** A camera with its first `seconds` of frames encrypted. */
  static async make(
    slot: number,
    recording: RecordedFrame[],
    seconds: number,
  ): Promise<EncryptedCamera> {
    const camera = new EncryptedCamera(slot, recording);
    await camera.cryptor.setSendKey(kidFor(slot, 0), Buffer.from(camera.key, 'base64'));
    await camera.fill(Math.ceil(seconds * FRAMES_PER_SECOND));
    return camera;
  }

  next(): RecordedFrame | null {
    const frame = this.ahead.shift() ?? null;
    if (!frame) this.missed++;
    if (this.ahead.length < LOW_WATER) void this.fill(REFILL_TO);
    return frame;
  }

  private fill(count: number): Promise<void> {
    this.filling ??= (async () => {
      while (this.ahead.length < count) {
        const recorded = this.recording[this.encrypted++ % this.recording.length]!;
        const layers: Uint8Array[] = [];
        for (const frame of recorded.layers) layers.push(await this.cryptor.encrypt('vp8', frame));
        this.ahead.push({ key: recorded.key, layers });
      }
    })().finally(() => {
      this.filling = null;
    });
    return this.filling;
  }
}
