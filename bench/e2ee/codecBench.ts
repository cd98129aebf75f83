import { performance } from 'node:perf_hooks';
import { CIPHER_SUITES, SFrameContext, SFrameSender } from '../../renderer/e2ee/sframe';

/**
 * SFrame encrypt + decrypt per frame with the product codec, in Node over Web Crypto, against a
 * plain copy of the same frames (Uint8Array.slice, then set into a buffer) in the same run.
 *
 * Frames are timed in batches (one performance.now() pair per batch, divided by its frames), as a
 * single 100-byte copy is far below the clock's resolution. Batches of every contender alternate,
 * so that any drift of the machine hits all alike. The per-frame path mirrors the media worker's:
 * the first bytes (a VP8 delta frame's 3-byte clear prefix) go as metadata, the rest is encrypted,
 * then a receiver context with the same key authenticates and decrypts it.
 */
export const FRAME_SIZES = [100, 1_000, 10_000, 100_000] as const;

const CLEAR_PREFIX_BYTES = 3;
const KID = 0n;

export interface CodecSample {
  suite: string;
  frameBytes: number;
  /** Median over batches of the mean µs per frame within the batch. */
  medianMicros: number;
  /** That median divided by the plain copy's median at the same size. */
  ratioToCopy: number;
}

export interface CodecResult {
  batches: number;
  framesPerCryptoBatch: number;
  framesPerCopyBatch: number;
  copy: { frameBytes: number; medianMicros: number }[];
  suites: CodecSample[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function randomFrame(bytes: number): Uint8Array {
  const frame = new Uint8Array(bytes);
  // getRandomValues fills at most 65536 bytes per call.
  for (let offset = 0; offset < bytes; offset += 65_536) {
    crypto.getRandomValues(frame.subarray(offset, Math.min(bytes, offset + 65_536)));
  }
  return frame;
}

/** One sender and one receiver of a suite, keyed alike: a key encrypts or decrypts, never both. */
async function suitePair(
  suite: number,
): Promise<{ sender: SFrameSender; receiver: SFrameContext }> {
  const baseKey = randomFrame(32);
  const sender = new SFrameSender(suite);
  const receiver = new SFrameContext(suite);
  await sender.setKey(KID, baseKey);
  await receiver.setKey(KID, baseKey);
  return { sender, receiver };
}

async function cryptoBatch(
  pair: { sender: SFrameSender; receiver: SFrameContext },
  frame: Uint8Array,
  frames: number,
): Promise<number> {
  const metadata = frame.subarray(0, CLEAR_PREFIX_BYTES);
  const payload = frame.subarray(CLEAR_PREFIX_BYTES);
  const started = performance.now();
  for (let i = 0; i < frames; i++) {
    const sframe = await pair.sender.encrypt(metadata, payload);
    const clear = await pair.receiver.decrypt(metadata, sframe);
    if (clear.length !== payload.length) throw new Error('decrypted frame has the wrong length');
  }
  return ((performance.now() - started) * 1_000) / frames;
}

function copyBatch(frame: Uint8Array, into: Uint8Array, frames: number): number {
  const started = performance.now();
  for (let i = 0; i < frames; i++) {
    const copy = frame.slice();
    into.set(copy);
  }
  const micros = ((performance.now() - started) * 1_000) / frames;
  if (into[frame.length - 1] !== frame[frame.length - 1]) throw new Error('copy went wrong');
  return micros;
}

export async function runCodecBench(
  options: { batches?: number; framesPerCryptoBatch?: number; framesPerCopyBatch?: number } = {},
): Promise<CodecResult> {
  const batches = options.batches ?? 30;
  const framesPerCryptoBatch = options.framesPerCryptoBatch ?? 20;
  const framesPerCopyBatch = options.framesPerCopyBatch ?? 1_000;
  const suites = [...CIPHER_SUITES.values()];
  const copy: CodecResult['copy'] = [];
  const samples: CodecSample[] = [];

  for (const frameBytes of FRAME_SIZES) {
    const frame = randomFrame(frameBytes);
    const into = new Uint8Array(frameBytes);
    const pairs = await Promise.all(suites.map((suite) => suitePair(suite.id)));
    // Warm up every path (JIT, key import caches) before any batch counts.
    copyBatch(frame, into, framesPerCopyBatch);
    for (const pair of pairs) await cryptoBatch(pair, frame, framesPerCryptoBatch);

    const copyMicros: number[] = [];
    const suiteMicros = suites.map((): number[] => []);
    for (let batch = 0; batch < batches; batch++) {
      copyMicros.push(copyBatch(frame, into, framesPerCopyBatch));
      for (const [index, pair] of pairs.entries()) {
        suiteMicros[index]!.push(await cryptoBatch(pair, frame, framesPerCryptoBatch));
      }
    }
    const copyMedian = median(copyMicros);
    copy.push({ frameBytes, medianMicros: copyMedian });
    for (const [index, suite] of suites.entries()) {
      const medianMicros = median(suiteMicros[index]!);
      samples.push({
        suite: suite.name,
        frameBytes,
        medianMicros,
        ratioToCopy: medianMicros / copyMedian,
      });
    }
  }
  return { batches, framesPerCryptoBatch, framesPerCopyBatch, copy, suites: samples };
}

function formatBytes(bytes: number): string {
  return bytes >= 1_000 ? `${bytes / 1_000} KB` : `${bytes} B`;
}

function formatMicros(micros: number): string {
  return micros >= 10 ? micros.toFixed(0) : micros.toFixed(2);
}

/** One row per suite, one column per frame size: "µs per frame (× copy)". */
export function formatCodecTable(result: CodecResult): string {
  const header = ['µs per frame (× plain copy)', ...FRAME_SIZES.map(formatBytes)];
  const copyRow = [
    'plain copy (slice + set)',
    ...result.copy.map((entry) => formatMicros(entry.medianMicros)),
  ];
  const suiteNames = [...new Set(result.suites.map((sample) => sample.suite))];
  const suiteRows = suiteNames.map((name) => [
    `${name} enc+dec`,
    ...FRAME_SIZES.map((frameBytes) => {
      const sample = result.suites.find((s) => s.suite === name && s.frameBytes === frameBytes)!;
      return `${formatMicros(sample.medianMicros)} (×${sample.ratioToCopy.toFixed(0)})`;
    }),
  ]);
  const rows = [header, copyRow, ...suiteRows];
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  '),
    )
    .join('\n');
}
