// Which mediasoup worker binary the server runs, and loading mediasoup with it. mediasoup reads
// MEDIASOUP_WORKER_BIN once, when it is first loaded, so the server loads it only through
// loadMediasoup(), which sets the variable first. The places are those
// scripts/build-mediasoup-worker.mjs fills (npm install runs it), looked at in the same order; the
// cache's key (mediasoup's version and the build recipe's hash) comes from the same module.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import {
  cachedWorkerBinary,
  hasWorkerRecipe,
  workerRecipeHash,
} from '../../scripts/mediasoupWorkerCache.cjs';

type Mediasoup = typeof import('mediasoup');

export const BUILD_WORKER_COMMAND = 'node scripts/build-mediasoup-worker.mjs';

export interface WorkerBinaryPlaces {
  /** MEDIASOUP_WORKER_BIN and XDG_CACHE_HOME are read from here. */
  env: NodeJS.ProcessEnv;
  home: string;
  /** The installed mediasoup package's folder. */
  mediasoupDir: string;
  /**
   * The project's folder, whose worker build recipe keys the cache; null when the server runs
   * without it (its build output alone), and so cannot know which cached worker is current.
   */
  projectRoot: string | null;
}

/**
 * MEDIASOUP_WORKER_BIN when set, else the cached build for the installed mediasoup version and the
 * project's build recipe, else
 * mediasoup's own (downloaded) worker. Throws, saying what to run, when there is none.
 */
export function findMediasoupWorkerBinary(places: WorkerBinaryPlaces): string {
  const fromEnv = places.env.MEDIASOUP_WORKER_BIN;
  if (fromEnv) {
    if (!isAbsolute(fromEnv)) {
      throw new Error(
        `MEDIASOUP_WORKER_BIN is "${fromEnv}", not the absolute path of a mediasoup worker: ` +
          'point it at one, or unset it to use the worker npm install built',
      );
    }
    if (!existsSync(fromEnv)) {
      throw new Error(`MEDIASOUP_WORKER_BIN is ${fromEnv}, which does not exist`);
    }
    return fromEnv;
  }
  const { version } = JSON.parse(
    readFileSync(join(places.mediasoupDir, 'package.json'), 'utf8'),
  ) as { version: string };
  const looked: string[] = [];
  if (places.projectRoot) {
    const cached = cachedWorkerBinary(
      places.env,
      places.home,
      version,
      workerRecipeHash(places.projectRoot),
    );
    if (existsSync(cached)) return cached;
    looked.push(cached);
  }
  const own = join(places.mediasoupDir, 'worker', 'out', 'Release', 'mediasoup-worker');
  if (existsSync(own)) return own;
  looked.push(own);
  throw new Error(
    `No mediasoup worker for mediasoup ${version} (looked in ${looked.join(' and ')}): ` +
      `run \`${BUILD_WORKER_COMMAND}\` in the project folder to build it`,
  );
}

/** The nearest folder above this module (source or bundle) that holds the worker build recipe. */
function projectRootOfThisServer(): string | null {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (hasWorkerRecipe(dir)) return dir;
    if (dirname(dir) === dir) return null;
  }
}

function installedMediasoupDir(): string {
  // mediasoup's package exports only its entry point (node/lib/index.js), not package.json.
  return join(dirname(require.resolve('mediasoup')), '..', '..');
}

let loading: Promise<Mediasoup> | null = null;

/** mediasoup, loaded with the worker binary findMediasoupWorkerBinary picks. */
export function loadMediasoup(): Promise<Mediasoup> {
  loading ??= (async () => {
    const binary = findMediasoupWorkerBinary({
      env: process.env,
      home: homedir(),
      mediasoupDir: installedMediasoupDir(),
      projectRoot: projectRootOfThisServer(),
    });
    process.env.MEDIASOUP_WORKER_BIN = binary;
    const mediasoup = await import('mediasoup');
    if (mediasoup.workerBin !== binary) {
      throw new Error(
        `mediasoup was loaded before its worker was chosen and runs ${mediasoup.workerBin}; ` +
          'load it only through loadMediasoup()',
      );
    }
    return mediasoup;
  })().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
