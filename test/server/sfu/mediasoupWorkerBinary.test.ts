import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cachedWorkerBinary, workerRecipeHash } from '../../../scripts/mediasoupWorkerCache.cjs';
import {
  BUILD_WORKER_COMMAND,
  findMediasoupWorkerBinary,
  type WorkerBinaryPlaces,
} from '../../../server/sfu/mediasoupWorkerBinary';

/**
 * Which worker binary the server hands mediasoup, from files laid out in a temporary folder the
 * way npm install and scripts/build-mediasoup-worker.mjs leave them.
 */
const REPO_ROOT = join(__dirname, '..', '..', '..');
let dir: string;
let places: WorkerBinaryPlaces;

function file(path: string, content = ''): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}
/** A project folder holding a worker build recipe: the build script and one stand-in subproject. */
function recipe(root: string): string {
  file(join(root, 'scripts', 'build-mediasoup-worker.mjs'), '// builds the worker\n');
  file(
    join(root, 'scripts', 'mediasoup-worker-deps', 'libuv', 'meson.build'),
    "project('libuv')\n",
  );
  return root;
}
const cachedBuild = (version: string, cacheHome = join(dir, 'home', '.cache')) =>
  cachedWorkerBinary(
    { XDG_CACHE_HOME: cacheHome },
    places.home,
    version,
    workerRecipeHash(places.projectRoot as string),
  );
const ownWorker = () => join(dir, 'mediasoup', 'worker', 'out', 'Release', 'mediasoup-worker');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-worker-binary-'));
  places = {
    env: {},
    home: join(dir, 'home'),
    mediasoupDir: join(dir, 'mediasoup'),
    projectRoot: recipe(join(dir, 'project')),
  };
  mkdirSync(places.mediasoupDir);
  writeFileSync(join(places.mediasoupDir, 'package.json'), JSON.stringify({ version: '3.19.3' }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the worker built for the installed mediasoup version is used', () => {
  const built = file(cachedBuild('3.19.3'));
  file(ownWorker());
  expect(findMediasoupWorkerBinary(places)).toBe(built);
});

test('XDG_CACHE_HOME moves the cache; a relative one is ignored, as the XDG spec says', () => {
  const cacheHome = join(dir, 'xdg-cache');
  const built = file(cachedBuild('3.19.3', cacheHome));
  expect(findMediasoupWorkerBinary({ ...places, env: { XDG_CACHE_HOME: cacheHome } })).toBe(built);

  const inHome = file(cachedBuild('3.19.3'));
  expect(findMediasoupWorkerBinary({ ...places, env: { XDG_CACHE_HOME: 'cache' } })).toBe(inHome);
});

test("a worker built for another mediasoup version is not used: mediasoup's own is", () => {
  file(cachedBuild('3.19.2'));
  const own = file(ownWorker());
  expect(findMediasoupWorkerBinary(places)).toBe(own);
});

test('a worker built by an earlier recipe (build script or subprojects since changed) is not used', () => {
  const project = places.projectRoot as string;
  const built = file(cachedBuild('3.19.3'));
  const own = file(ownWorker());
  expect(findMediasoupWorkerBinary(places)).toBe(built);

  file(
    join(project, 'scripts', 'mediasoup-worker-deps', 'libuv', 'meson.build'),
    "project('uv')\n",
  );
  expect(findMediasoupWorkerBinary(places)).toBe(own);

  file(cachedBuild('3.19.3'));
  file(join(project, 'scripts', 'build-mediasoup-worker.mjs'), '// builds it differently\n');
  expect(findMediasoupWorkerBinary(places)).toBe(own);

  const rebuilt = file(cachedBuild('3.19.3'));
  expect(findMediasoupWorkerBinary(places)).toBe(rebuilt);
});

test("a server without its project's recipe cannot tell a current build: mediasoup's own is used", () => {
  file(cachedBuild('3.19.3'));
  const own = file(ownWorker());
  expect(findMediasoupWorkerBinary({ ...places, projectRoot: null })).toBe(own);
});

test('the build script puts the worker where the server looks for it', () => {
  const cacheHome = join(dir, 'xdg-cache');
  const mediasoupDir = join(REPO_ROOT, 'node_modules', 'mediasoup');
  const script = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'scripts', 'build-mediasoup-worker.mjs'), '--cache-path'],
    {
      env: { PATH: process.env.PATH, HOME: places.home, XDG_CACHE_HOME: cacheHome },
      encoding: 'utf8',
    },
  );
  expect(script.status).toBe(0);
  const worker = file(script.stdout.trim());
  expect(worker.startsWith(cacheHome)).toBe(true);

  const server = {
    ...places,
    env: { XDG_CACHE_HOME: cacheHome },
    mediasoupDir,
    projectRoot: REPO_ROOT,
  };
  expect(findMediasoupWorkerBinary(server)).toBe(worker);
});

test('MEDIASOUP_WORKER_BIN wins over the cache', () => {
  file(cachedBuild('3.19.3'));
  const chosen = file(join(dir, 'elsewhere', 'mediasoup-worker'));
  expect(findMediasoupWorkerBinary({ ...places, env: { MEDIASOUP_WORKER_BIN: chosen } })).toBe(
    chosen,
  );
});

test('a MEDIASOUP_WORKER_BIN left over from an install ("skip") is refused with what to do', () => {
  file(cachedBuild('3.19.3'));
  expect(() =>
    findMediasoupWorkerBinary({ ...places, env: { MEDIASOUP_WORKER_BIN: 'skip' } }),
  ).toThrow('MEDIASOUP_WORKER_BIN is "skip", not the absolute path of a mediasoup worker');
});

test('a MEDIASOUP_WORKER_BIN that does not exist is refused', () => {
  const missing = join(dir, 'nowhere', 'mediasoup-worker');
  expect(() =>
    findMediasoupWorkerBinary({ ...places, env: { MEDIASOUP_WORKER_BIN: missing } }),
  ).toThrow(`MEDIASOUP_WORKER_BIN is ${missing}, which does not exist`);
});

test('with no worker anywhere, the error names the version and the command that builds it', () => {
  expect(() => findMediasoupWorkerBinary(places)).toThrow(
    new RegExp(`No mediasoup worker for mediasoup 3\\.19\\.3 .*run \`${BUILD_WORKER_COMMAND}\``),
  );
});
