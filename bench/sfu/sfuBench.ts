import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { Browser } from 'playwright-core';
import { processCpuSeconds } from '../abuse/serverUnderTest';
import { MediasoupMediaRouter } from '../../server/sfu/MediasoupMediaRouter';
import { resolveSfuOptions } from '../../server/sfu/SfuOptions';
import { launchChromium } from '../../test/e2e/harness/chromium';
import { pollUntil } from '../../test/e2e/harness/pollUntil';
import { serveLabPage } from '../../test/e2e/sfu/sfuLab';
import { ChromiumReceivers } from './chromiumReceivers';
import { CALL_SIZE, meshCallCost, sfuCallCost, type CallCost } from './meshComparison';
import { EncryptedCamera, recordCamera, type RecordedFrame } from './recordedCamera';
import {
  AUDIO_PACKETS_PER_SECOND,
  AUDIO_PAYLOAD_TYPE,
  FRAMES_PER_SECOND,
  SyntheticMember,
  VIDEO_PAYLOAD_TYPE,
} from './syntheticMember';

/**
 * How many members one call on one SFU worker (one core) carries before frames drop: the server's
 * own SFU (MediasoupMediaRouter over the built worker), a call of N synthetic members, each
 * sending a 720p camera in three simulcast layers and audio and receiving every other member's
 * camera and audio, for N growing until the forwarded frames fall short. Per size: the share of
 * frames and audio packets delivered, the worker's CPU per forwarded stream and per packet, and
 * the CPU of this process (the members' sockets) so that it is seen not to be the limit.
 * See bench/sfu/README.md.
 */
const root = process.cwd();
const resultFile = join(root, 'bench', 'results', 'sfu.json');
const sizes = (process.env.PARLEY_BENCH_SFU_SIZES ?? '2,4,8,12,16,18,20,22,24,28,32')
  .split(',')
  .map(Number);
const seconds = Number(process.env.PARLEY_BENCH_SFU_SECONDS ?? 10);
const WARM_UP_MS = 3000;
const compareRuns = Number(process.env.PARLEY_BENCH_SFU_COMPARE_RUNS ?? 2);
const compareSeconds = Number(process.env.PARLEY_BENCH_SFU_COMPARE_SECONDS ?? 15);
/** Synthetic members in the row with real Chromium receivers (0: no such row)... */
const chromiumSenders = Number(process.env.PARLEY_BENCH_SFU_CHROMIUM_SENDERS ?? 8);
/** ...the Chromium receivers, each taking every synthetic camera... */
const chromiumReceivers = Number(process.env.PARLEY_BENCH_SFU_CHROMIUM_RECEIVERS ?? 2);
/** ...at this simulcast layer (0: 320x180, what a tile of a full grid asks for). */
const chromiumLayer = Number(process.env.PARLEY_BENCH_SFU_CHROMIUM_LAYER ?? 0);
/** How long the Chromium receivers may take to decode every camera before the window. */
const CHROMIUM_SETTLE_MS = 30_000;
/** A size delivers when the median consumer got this share of what was sent... */
const DELIVERED = 0.99;
/** ...and the worst one at least this. */
const WORST_DELIVERED = 0.95;

interface SizeResult {
  members: number;
  videoStreams: number;
  audioStreams: number;
  /** Frames received / frames sent, per video consumer. */
  videoDelivered: { median: number; worst: number };
  audioDelivered: { median: number; worst: number };
  /** Mean bitrate of a forwarded camera stream: the top layer is about 1.5 Mbit/s. */
  forwardedVideoKbps: number;
  workerCores: number;
  workerMicrosecondsPerStreamSecond: number;
  workerMicrosecondsPerPacket: number;
  benchCores: number;
  /** Every process of the machine, with the kernel's packet work: near 2 is a full machine. */
  machineBusyCores: number;
  delivers: boolean;
  /** The row with real Chromium receivers: what they decoded of the synthetic cameras. */
  chromium?: ChromiumResult;
}

interface ChromiumResult {
  receivers: number;
  spatialLayer: number;
  /** Per received camera: frames decoded in the window / frames its sender sent. */
  decoded: { median: number; worst: number };
  /** Likewise for frames received (assembled from packets, before decryption and decoding). */
  received: { median: number; worst: number };
  /** Frames received but dropped before decoding, summed over every received camera. */
  framesDropped: number;
  /** Frames the receivers' E2EE workers could not decrypt (since they started). */
  decryptFailed: number;
  /** The decoded width, median over cameras (320 at layer 0). */
  frameWidth: number;
  /** Frames due in the window that no camera had encrypted yet (not sent, not counted as sent). */
  framesNotEncryptedInTime: number;
  /** At the window's end: cameras the SFU forwarded no layer of, to any receiver. */
  consumersWithoutLayer: number;
  /** At the window's end: the SFU's bandwidth estimate of each receiver, kbit/s. */
  estimateKbps: number[];
}

/** The row with real receivers: a browser and the recording the synthetic cameras replay. */
interface ChromiumRow {
  browser: Browser;
  recording: RecordedFrame[];
}

/** Busy and total jiffies of the whole machine (/proc/stat), for its busy cores over a window. */
function machineTimes(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const values = fields.map(Number);
  const idle = values[3]! + values[4]!;
  const total = values.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

interface Seat {
  member: SyntheticMember;
  video: types.Producer;
  audio: types.Producer;
  receive: types.PlainTransport;
}

async function seat(router: types.Router, member: SyntheticMember): Promise<Seat> {
  const listenInfo = { protocol: 'udp' as const, ip: '127.0.0.1' };
  const send = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
  const feedback = [
    { type: 'nack' },
    { type: 'nack', parameter: 'pli' },
    { type: 'ccm', parameter: 'fir' },
  ];
  const video = await send.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [
        {
          mimeType: 'video/VP8',
          payloadType: VIDEO_PAYLOAD_TYPE,
          clockRate: 90_000,
          rtcpFeedback: feedback,
        },
      ],
      encodings: member.videoStreams.map((stream) => ({ ssrc: stream.ssrc })),
    },
  });
  const audio = await send.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [
        { mimeType: 'audio/opus', payloadType: AUDIO_PAYLOAD_TYPE, clockRate: 48_000, channels: 2 },
      ],
      encodings: [{ ssrc: member.audioStream.ssrc }],
    },
  });
  const receive = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: false });
  await receive.connect({ ip: '127.0.0.1', port: await member.listen() });
  await member.sendTo('127.0.0.1', send.tuple.localPort);
  return { member, video, audio, receive };
}

/**
 * The router's capabilities without transport-cc and REMB: a receiver that sends no feedback
 * would otherwise hold mediasoup's bandwidth estimate at its 600 kbit/s start, and the SFU would
 * forward only the lowest layer. Without them each consumer forwards its preferred layer.
 */
function withoutBandwidthEstimation(capabilities: types.RtpCapabilities): types.RtpCapabilities {
  return {
    codecs: capabilities.codecs?.map((codec) => ({
      ...codec,
      rtcpFeedback: codec.rtcpFeedback?.filter(
        (feedback) => feedback.type !== 'transport-cc' && feedback.type !== 'goog-remb',
      ),
    })),
    headerExtensions: capabilities.headerExtensions?.filter(
      (extension) => !/transport-wide-cc|abs-send-time/.test(extension.uri),
    ),
  };
}

async function measureSize(
  sfu: MediasoupMediaRouter,
  size: number,
  chromium: ChromiumRow | null = null,
): Promise<SizeResult> {
  const callId = `bench-${size}`;
  const media = await sfu.openCall(callId, {
    consumer: () => {},
    consumerClosed: () => {},
    speaker: () => {},
    lost: () => {
      throw new Error('the SFU worker died during the benchmark');
    },
  });
  const router = sfu.routerOf(callId);
  if (!router) throw new Error('no router for the call');
  // With real receivers, the members send real frames, encrypted a few seconds ahead.
  const cameras = chromium
    ? await Promise.all(
        Array.from({ length: size }, (_, i) =>
          EncryptedCamera.make(
            i,
            chromium.recording,
            // Warm-up, a few seconds for the receivers to start decoding, the window, a margin.
            WARM_UP_MS / 1000 + 5 + seconds + 2,
          ),
        ),
      )
    : [];
  const members = Array.from({ length: size }, (_, i) => new SyntheticMember(i, cameras[i]));
  const seats = await Promise.all(members.map((member) => seat(router, member)));
  /** For each forwarded stream: its SSRC at the receiver and how many the sender sent. */
  const consumers: { receiver: Seat; ssrc: number; kind: 'audio' | 'video'; from: Seat }[] = [];
  for (const receiver of seats) {
    for (const from of seats) {
      if (from === receiver) continue;
      for (const producer of [from.video, from.audio]) {
        const consumer = await receiver.receive.consume({
          producerId: producer.id,
          rtpCapabilities: withoutBandwidthEstimation(router.rtpCapabilities),
        });
        // Everyone's camera large: the top layer, the most the SFU can be asked to forward.
        if (producer.kind === 'video') await consumer.setPreferredLayers({ spatialLayer: 2 });
        const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
        if (ssrc === undefined) throw new Error('a consumer without an SSRC');
        consumers.push({ receiver, ssrc, kind: producer.kind, from });
      }
    }
  }

  const receivers = chromium
    ? await ChromiumReceivers.start(chromium.browser, router, chromiumReceivers)
    : null;
  if (receivers) {
    await receivers.receive(
      seats.map((s, slot) => ({ slot, producerId: s.video.id, key: cameras[slot]!.key })),
      chromiumLayer,
    );
  }

  const sent = new Map<Seat, { frames: number; audio: number }>();
  const start = performance.now();
  let videoDue = start;
  let audioDue = start;
  const tick = setInterval(() => {
    const now = performance.now();
    for (; videoDue <= now; videoDue += 1000 / FRAMES_PER_SECOND) {
      for (const s of seats) {
        const counts = sent.get(s);
        if (s.member.sendVideoFrame(now) && counts) counts.frames++;
      }
    }
    for (; audioDue <= now; audioDue += 1000 / AUDIO_PACKETS_PER_SECOND) {
      for (const s of seats) {
        s.member.sendAudioPacket();
        const counts = sent.get(s);
        if (counts) counts.audio++;
      }
    }
  }, 5);

  try {
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
    if (receivers) {
      await pollUntil(
        () => receivers.stats(),
        (pages) => pages.every((cameras) => cameras.every((camera) => camera.framesDecoded > 0)),
        'every Chromium receiver decoding every synthetic camera',
        { timeoutMs: CHROMIUM_SETTLE_MS },
      );
    }
    const receivedBefore = receivers ? (await receivers.stats()).flat() : [];
    const missedBefore = cameras.reduce((sum, camera) => sum + camera.missed, 0);
    const workerPid = sfu.workerLoads[0]!.pid;
    for (const s of seats) {
      s.member.resetCounts();
      sent.set(s, { frames: 0, audio: 0 });
    }
    const workerBefore = processCpuSeconds(workerPid);
    const benchBefore = process.cpuUsage();
    const machineBefore = machineTimes();
    const windowStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const workerCpu = processCpuSeconds(workerPid) - workerBefore;
    const benchUsage = process.cpuUsage(benchBefore);
    const machineAfter = machineTimes();
    const receivedAfter = receivers ? (await receivers.stats()).flat() : [];
    const forwarding = receivers ? await receivers.forwarding() : null;
    const missed = cameras.reduce((sum, camera) => sum + camera.missed, 0) - missedBefore;
    // What is still in flight at the window's end arrives a moment later and is counted.
    clearInterval(tick);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const video: number[] = [];
    const audio: number[] = [];
    let videoBytes = 0;
    let packets = 0;
    for (const { receiver, ssrc, kind, from } of consumers) {
      const got = receiver.member.received.get(ssrc) ?? { packets: 0, frames: 0, bytes: 0 };
      const counts = sent.get(from)!;
      packets += got.packets;
      if (kind === 'video') {
        video.push(got.frames / counts.frames);
        videoBytes += got.bytes;
      } else {
        audio.push(got.packets / counts.audio);
      }
    }
    let chromiumResult: ChromiumResult | undefined;
    if (receivers) {
      const before = new Map(receivedBefore.map((camera) => [camera.consumerId, camera]));
      const ratioOf = (count: (camera: (typeof receivedAfter)[number]) => number) =>
        receivedAfter.map((camera) => {
          const start = before.get(camera.consumerId);
          return (
            (count(camera) - (start ? count(start) : 0)) / sent.get(seats[camera.slot]!)!.frames
          );
        });
      const received = ratioOf((camera) => camera.framesReceived);
      const decoded = ratioOf((camera) => camera.framesDecoded);
      chromiumResult = {
        receivers: chromiumReceivers,
        spatialLayer: chromiumLayer,
        decoded: { median: median(decoded), worst: Math.min(...decoded) },
        received: { median: median(received), worst: Math.min(...received) },
        framesDropped: receivedAfter.reduce(
          (sum, camera) =>
            sum + camera.framesDropped - (before.get(camera.consumerId)?.framesDropped ?? 0),
          0,
        ),
        decryptFailed: await receivers.decryptFailures(),
        frameWidth: median(receivedAfter.map((camera) => camera.frameWidth)),
        framesNotEncryptedInTime: missed,
        consumersWithoutLayer: forwarding!.withoutLayer,
        estimateKbps: forwarding!.estimates.map((bitrate) => Math.round(bitrate / 1000)),
      };
    }
    // The Chromium receivers' cameras are forwarded streams too (their packets are not counted).
    const streams = consumers.length + (receivers ? size * chromiumReceivers : 0);
    const videoDelivered = { median: median(video), worst: Math.min(...video) };
    const audioDelivered = { median: median(audio), worst: Math.min(...audio) };
    return {
      members: size,
      videoStreams: video.length,
      audioStreams: audio.length,
      videoDelivered,
      audioDelivered,
      forwardedVideoKbps: (videoBytes * 8) / 1000 / windowSeconds / video.length,
      workerCores: workerCpu / windowSeconds,
      workerMicrosecondsPerStreamSecond: (workerCpu * 1e6) / windowSeconds / streams,
      workerMicrosecondsPerPacket: packets > 0 ? (workerCpu * 1e6) / packets : NaN,
      benchCores: (benchUsage.user + benchUsage.system) / 1e6 / windowSeconds,
      machineBusyCores:
        ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
        availableParallelism(),
      delivers:
        videoDelivered.median >= DELIVERED &&
        videoDelivered.worst >= WORST_DELIVERED &&
        audioDelivered.median >= DELIVERED,
      ...(chromiumResult ? { chromium: chromiumResult } : {}),
    };
  } finally {
    clearInterval(tick);
    await receivers?.close();
    for (const member of members) member.close();
    media.close();
  }
}

function formatTable(results: SizeResult[]): string {
  const header = [
    'members',
    'streams',
    'frames delivered (median/worst)',
    'audio delivered',
    'video kbit/s',
    'worker cores',
    'µs per stream-second',
    'µs per packet',
    'bench cores',
    'machine busy cores',
  ];
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const rows = results.map((r) => [
    String(r.members),
    String(r.videoStreams + r.audioStreams),
    `${percent(r.videoDelivered.median)} / ${percent(r.videoDelivered.worst)}`,
    percent(r.audioDelivered.median),
    r.forwardedVideoKbps.toFixed(0),
    r.workerCores.toFixed(2),
    r.workerMicrosecondsPerStreamSecond.toFixed(0),
    r.workerMicrosecondsPerPacket.toFixed(2),
    r.benchCores.toFixed(2),
    r.machineBusyCores.toFixed(2),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * The check against real receivers: `chromiumSenders` synthetic members (each receiving all, as
 * above) replaying a camera recorded in Chromium, encrypted, and real Chromium receivers taking
 * every one of their cameras and decoding it.
 */
async function measureWithChromium(sfu: MediasoupMediaRouter): Promise<SizeResult> {
  const browser = await launchChromium();
  try {
    const { http, origin } = await serveLabPage();
    const page = await browser.newPage();
    let recording: RecordedFrame[];
    try {
      // A page of our own origin: WebCodecs is there only in a secure context (loopback is).
      await page.goto(origin);
      recording = await recordCamera(page);
    } finally {
      await page.close();
      await new Promise((resolve) => http.close(resolve));
    }
    return await measureSize(sfu, chromiumSenders, { browser, recording });
  } finally {
    await browser.close();
  }
}

function formatChromiumRow(row: SizeResult): string {
  const c = row.chromium!;
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  return [
    `with real receivers: ${row.members} synthetic members (each receiving all) and ` +
      `${c.receivers} Chromium receivers taking all ${row.members} cameras at layer ` +
      `${c.spatialLayer} (${c.frameWidth} px wide)`,
    `  Chromium: frames received per camera ${percent(c.received.median)} median, ` +
      `${percent(c.received.worst)} worst; decoded ${percent(c.decoded.median)} median, ` +
      `${percent(c.decoded.worst)} worst; ${c.framesDropped} dropped before decoding, ` +
      `${c.decryptFailed} not decrypted, ${c.framesNotEncryptedInTime} not encrypted in time; the SFU forwarded no layer of ${c.consumersWithoutLayer} ` +
      `cameras, its estimate of each receiver ${c.estimateKbps.join(', ')} kbit/s`,
    `  synthetic: frames delivered ${percent(row.videoDelivered.median)} median, ` +
      `${percent(row.videoDelivered.worst)} worst; worker ${row.workerCores.toFixed(2)} cores, ` +
      `machine ${row.machineBusyCores.toFixed(2)} busy cores`,
  ].join('\n');
}

/** SFU and mesh calls alternately, `compareRuns` of each; medians and SFU / mesh ratios. */
async function compareWithMesh() {
  const browser = await launchChromium();
  const runs: CallCost[] = [];
  try {
    for (let run = 0; run < compareRuns; run++) {
      for (const cost of [sfuCallCost, meshCallCost]) {
        const result = await cost(browser, compareSeconds);
        runs.push(result);
        console.log(
          `${result.layout}: ${result.cores.toFixed(2)} cores, uplink ` +
            `${result.uplinkKbpsPerMember.toFixed(0)} kbit/s per member, ` +
            `${result.decodedFps.toFixed(1)} frames/s decoded per remote video`,
        );
      }
    }
  } finally {
    await browser.close();
  }
  const medianOf = (layout: 'sfu' | 'mesh', pick: (run: CallCost) => number) =>
    median(runs.filter((run) => run.layout === layout).map(pick));
  const summary = (layout: 'sfu' | 'mesh') => ({
    cores: medianOf(layout, (run) => run.cores),
    uplinkKbpsPerMember: medianOf(layout, (run) => run.uplinkKbpsPerMember),
    decodedFps: medianOf(layout, (run) => run.decodedFps),
  });
  const sfu = summary('sfu');
  const mesh = summary('mesh');
  return {
    members: CALL_SIZE,
    runs,
    sfu,
    mesh,
    cpuRatio: sfu.cores / mesh.cores,
    uplinkRatio: sfu.uplinkKbpsPerMember / mesh.uplinkKbpsPerMember,
  };
}

async function main(): Promise<void> {
  if (sizes.some((size) => !Number.isInteger(size) || size < 2)) {
    throw new Error(`PARLEY_BENCH_SFU_SIZES must be whole numbers of 2 or more`);
  }
  const sfu = await MediasoupMediaRouter.start(
    resolveSfuOptions({ listenIp: '127.0.0.1', workers: 1, rtcMinPort: 42000, rtcMaxPort: 42999 }),
  );
  const results: SizeResult[] = [];
  let chromiumRow: SizeResult | null = null;
  try {
    for (const size of sizes) {
      const result = await measureSize(sfu, size);
      results.push(result);
      console.log(
        `${size} members: ${(result.videoDelivered.median * 100).toFixed(1)}% of frames delivered, ` +
          `worker ${result.workerCores.toFixed(2)} cores`,
      );
      if (!result.delivers) break;
    }
    if (chromiumSenders >= 2 && chromiumReceivers > 0) {
      const rowStart = performance.now();
      chromiumRow = await measureWithChromium(sfu);
      const c = chromiumRow.chromium!;
      console.log(
        `${chromiumSenders} members + ${c.receivers} Chromium receivers: ` +
          `${(c.decoded.median * 100).toFixed(1)}% of frames decoded, ${c.framesDropped} dropped ` +
          `(the row took ${((performance.now() - rowStart) / 1000).toFixed(0)} s)`,
      );
    }
  } finally {
    sfu.close();
  }
  const comparison = compareRuns > 0 ? await compareWithMesh() : null;
  const carried = results.filter((r) => r.delivers).at(-1)?.members ?? 0;
  const result = {
    benchmark: 'sfu',
    measures:
      'members one call on one SFU worker carries, each sending 720p simulcast and audio and receiving all',
    date: new Date().toISOString(),
    secondsPerSize: seconds,
    deliveredThreshold: { median: DELIVERED, worst: WORST_DELIVERED },
    carried,
    lastTried: results.at(-1)?.members ?? 0,
    results,
    withChromiumReceivers: chromiumRow,
    comparison,
  };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${formatTable(results)}`);
  if (chromiumRow?.chromium) console.log(formatChromiumRow(chromiumRow));
  console.log(
    `one worker (one core) carried ${carried} members` +
      (results.at(-1)?.delivers
        ? ` (every size tried; ${carried} is the largest asked)`
        : `; at ${result.lastTried} frames fell short`),
  );
  if (comparison) {
    console.log(
      `\n${CALL_SIZE}-person call, medians of ${compareRuns} runs each (${compareSeconds} s): ` +
        `SFU ${comparison.sfu.cores.toFixed(2)} cores and ` +
        `${comparison.sfu.uplinkKbpsPerMember.toFixed(0)} kbit/s up per member, mesh ` +
        `${comparison.mesh.cores.toFixed(2)} cores and ` +
        `${comparison.mesh.uplinkKbpsPerMember.toFixed(0)} kbit/s; ` +
        `SFU / mesh: CPU ${comparison.cpuRatio.toFixed(2)}x, uplink ${comparison.uplinkRatio.toFixed(2)}x`,
    );
  }
  const last = results.at(-1);
  if (last && !last.delivers && last.benchCores > 0.8) {
    console.log(
      `the members' own process used ${last.benchCores.toFixed(2)} of a core at ${last.members}: ` +
        'it, not the SFU, may be what fell short',
    );
  }
  console.log(`written to ${resultFile}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
