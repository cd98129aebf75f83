import { Worker, parentPort, workerData } from 'node:worker_threads';
import { flood, type FloodJob, type FloodResult } from './flooders';
import { runFuzzLanes, type FuzzJob, type FuzzStats } from './fuzzLanes';

/**
 * Load generators run in worker threads of the bench's own bundle (the same file, started again
 * with a job), so that the main thread's timing and sampling never wait behind them.
 */
type Job = FloodJob | FuzzJob;
type Outcome<J extends Job> = J extends FloodJob ? FloodResult : FuzzStats;

type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'done'; result: unknown }
  | { kind: 'failed'; error: string };

/** Starts `job` in a new worker; `onReady` is called once its connections are set up. */
export function runInWorker<J extends Job>(
  job: J,
  onReady: () => void = () => {},
): Promise<Outcome<J>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: job });
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') onReady();
      else if (message.kind === 'done') {
        resolve(message.result as Outcome<J>);
        void worker.terminate(); // its sockets and timers die with it
      } else reject(new Error(`${job.job} worker failed: ${message.error}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${job.job} worker exited with ${code}`));
    });
  });
}

/** The worker side: runs the job it was started with and reports back. */
export async function runWorkerJob(): Promise<void> {
  const job = workerData as Job;
  const post = (message: WorkerMessage) => parentPort!.postMessage(message);
  try {
    const result =
      job.job === 'flood'
        ? await flood(job, () => post({ kind: 'ready' }))
        : await runFuzzLanes(job);
    post({ kind: 'done', result });
  } catch (error) {
    post({
      kind: 'failed',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
}
