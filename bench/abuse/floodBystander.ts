import { register, registerMany } from './accounts';
import { BenchSocket } from './benchSocket';
import { total, type Counts } from './counts';
import { assertServerAnswers, quantile, round, sleep } from './measure';
import { largestContactsListFields } from './contactReplies';
import type { ServerUnderTest } from './serverUnderTest';
import { runInWorker } from './workerThreads';

export interface FloodConfig {
  bystanderContacts: number;
  baselineSamples: number;
  flooders: number;
  floodMs: number;
}

interface Latency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface FloodResult {
  bystanderContacts: number;
  baseline: Latency;
  duringFlood: Latency;
  p50Ratio: number;
  p99Ratio: number;
  flooders: number;
  floodSeconds: number;
  floodMessagesSent: number;
  floodReplies: Counts;
  floodErrorReplies: number;
  /** How often the server closed a flooder, by close code and reason. */
  flooderCloses: Counts;
  /** Times a closed flooder signed in again and went on flooding. */
  flooderReconnects: number;
  serverCpuSecondsDuringFlood: number;
}

/** A bystander's contacts.list must come back within this, flood or not, or the bench fails. */
const BYSTANDER_TIMEOUT_MS = 15_000;
/** Pause between the bystander's requests: 25 a second, within its rate limit. */
const SAMPLE_GAP_MS = 40;
/** The flood runs this long before the bystander's samples count. */
const FLOOD_WARMUP_MS = 1000;

/**
 * A well-behaved client's contacts.list round trip, first with nobody else on the server, then
 * while `flooders` signed-in connections each send small valid requests as fast as they can.
 */
export async function floodAndBystander(
  server: ServerUnderTest,
  config: FloodConfig,
): Promise<FloodResult> {
  const contacts = await registerMany(server.wsUrl, 'friend', config.bystanderContacts);
  const bystander = await BenchSocket.open(server.wsUrl);
  await register(bystander, 'bystander');
  for (const contact of contacts) {
    await bystander.expect('contacts.add', { username: contact.username }, 'contact');
  }
  const timeOne = async (): Promise<number> => {
    const started = performance.now();
    let reply;
    try {
      reply = await bystander.request(
        'contacts.list',
        largestContactsListFields(),
        BYSTANDER_TIMEOUT_MS,
      );
    } catch (error) {
      server.assertAlive('the flood');
      throw new Error(`the server stopped answering the bystander: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (reply.type !== 'contacts') {
      throw new Error(
        `the bystander's contacts.list was answered ${JSON.stringify(reply).slice(0, 200)}`,
      );
    }
    return performance.now() - started;
  };
  // Requests go out on a fixed schedule whatever the replies do, so a slow server gets as many
  // samples as a fast one, and each waits as long as a user's request would have.
  const sampleWhile = async (going: () => boolean, most = Infinity): Promise<number[]> => {
    const timings: Promise<number>[] = [];
    while (going() && timings.length < most) {
      timings.push(timeOne());
      await sleep(SAMPLE_GAP_MS);
    }
    return Promise.all(timings);
  };

  const baselineMs = await sampleWhile(() => true, config.baselineSamples);

  let floodStarted = () => {};
  const started = new Promise<void>((resolve) => (floodStarted = resolve));
  const flood = runInWorker(
    {
      job: 'flood',
      wsUrl: server.wsUrl,
      connections: config.flooders,
      durationMs: config.floodMs,
      lookupUsername: 'bystander',
    },
    floodStarted,
  );
  await Promise.race([started, flood]);
  const cpuBefore = server.cpuSeconds();
  await sleep(FLOOD_WARMUP_MS);
  let floodOver = false;
  void flood.finally(() => (floodOver = true)).catch(() => {});
  const underFloodMs = await sampleWhile(() => !floodOver);
  const floodCpu = server.cpuSeconds() - cpuBefore;
  const result = await flood;
  await timeOne(); // still answering after the flood
  bystander.terminate();
  await assertServerAnswers(server, 'the flood');

  const baseline = latency(baselineMs);
  const duringFlood = latency(underFloodMs);
  const { ['user']: _answered, ...errors } = result.replies;
  return {
    bystanderContacts: contacts.length,
    baseline,
    duringFlood,
    p50Ratio: round(duringFlood.p50Ms / baseline.p50Ms, 2),
    p99Ratio: round(duringFlood.p99Ms / baseline.p99Ms, 2),
    flooders: config.flooders,
    floodSeconds: config.floodMs / 1000,
    floodMessagesSent: result.sent,
    floodReplies: result.replies,
    floodErrorReplies: total(errors),
    flooderCloses: result.closes,
    flooderReconnects: result.reconnects,
    serverCpuSecondsDuringFlood: round(floodCpu),
  };
}

function latency(samplesMs: number[]): Latency {
  return {
    samples: samplesMs.length,
    p50Ms: round(quantile(samplesMs, 0.5), 2),
    p99Ms: round(quantile(samplesMs, 0.99), 2),
    maxMs: round(Math.max(...samplesMs), 2),
  };
}
