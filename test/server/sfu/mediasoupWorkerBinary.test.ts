import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  BUILD_WORKER_COMMAND,
  findMediasoupWorkerBinary,
  type WorkerBinaryPlaces,
} from '../../../server/sfu/mediasoupWorkerBinary';

/**
 * Which worker binary the server hands mediasoup, from files laid out in a temporary folder the
 * way npm install and scripts/build-mediasoup-worker.mjs leave them.
 */
let dir: string;
let places: WorkerBinaryPlaces;

function file(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  return path;
}
const cachedBuild = (version: string, cacheHome = join(dir, 'home', '.cache')) =>
  join(cacheHome, 'parley', 'mediasoup-worker', version, 'mediasoup-worker');
const ownWorker = () => join(dir, 'mediasoup', 'worker', 'out', 'Release', 'mediasoup-worker');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-worker-binary-'));
  places = { env: {}, home: join(dir, 'home'), mediasoupDir: join(dir, 'mediasoup') };
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
