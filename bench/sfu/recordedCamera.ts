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

/** A synthetic member's camera: the recording looped, encrypted under the member's own key. */
export class EncryptedCamera implements CameraFrames {
  /** The member's SFrame base key, for the receivers (base64). */
  readonly key = randomBytes(32).toString('base64');
  private readonly frames: RecordedFrame[] = [];
  private sent = 0;

  private constructor(readonly slot: number) {}

  /**
   * Encrypts `count` frames ahead, before anything is measured: each frame once, in sending
   * order, so SFrame counters only grow (a receiver refuses a counter it has seen).
   */
  static async make(slot: number, recording: RecordedFrame[], count: number) {
    const camera = new EncryptedCamera(slot);
    const cryptor = new FrameCryptor();
    await cryptor.setSendKey(kidFor(slot, 0), Buffer.from(camera.key, 'base64'));
    for (let n = 0; n < count; n++) {
      const recorded = recording[n % recording.length]!;
      const layers: Uint8Array[] = [];
      for (const frame of recorded.layers) layers.push(await cryptor.encrypt('vp8', frame));
      camera.frames.push({ key: recorded.key, layers });
    }
    return camera;
  }

  next(): RecordedFrame | null {
    return this.frames[this.sent++] ?? null;
  }

  /** Whether every frame made was sent (the measured window outlasted them). */
  get ranOut(): boolean {
    return this.sent > this.frames.length;
  }
}
