import { BenchSocket } from './benchSocket';
import type { ServerUnderTest } from './serverUnderTest';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples the server's RSS every `everyMs` until stopped; the highest sample is the peak. */
export function rssSampler(server: ServerUnderTest, everyMs = 200) {
  let peakMiB = server.rssMiB();
  let failure: unknown = null;
  const timer = setInterval(() => {
    try {
      peakMiB = Math.max(peakMiB, server.rssMiB());
    } catch (error) {
      failure = error;
    }
  }, everyMs);
  return {
    stop(): number {
      clearInterval(timer);
      if (failure) throw failure;
      return Math.max(peakMiB, server.rssMiB());
    },
  };
}

/** The value at quantile `q` (0-1) of the samples, by nearest rank. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Fails the bench unless the server is alive and a fresh connection gets its `ping` answered. */
export async function assertServerAnswers(server: ServerUnderTest, during: string): Promise<void> {
  server.assertAlive(during);
  const socket = await BenchSocket.open(server.wsUrl).catch((error: Error) => {
    throw new Error(`after ${during}, a new connection failed: ${error.message}`);
  });
  try {
    const reply = await socket.request('ping', {}, 15_000);
    if (reply.type !== 'ok') throw new Error(`after ${during}, ping answered ${reply.type}`);
  } catch (error) {
    throw new Error(`after ${during}, the server does not answer: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    socket.terminate();
  }
}
