// Makes sure a mediasoup worker binary (the SFU of group calls) exists for the installed mediasoup,
// and prints where it is. Run by `npm install`/`npm ci` (postinstall).
//
// mediasoup's own install script is denied in package.json (`allowScripts`): offline, as on the
// build machine, it fails after trying to download a prebuilt worker and then pip's meson. This
// script takes its place, trying in order:
//   1. MEDIASOUP_WORKER_BIN, when it is an absolute path (the operator chose a binary);
//   2. the cache outside the clone, keyed by mediasoup's exact version (the worker checks no
//      version) and a hash of this build's recipe (this script and mediasoup-worker-deps/), so a
//      worker built by an older recipe is never reused (scripts/mediasoupWorkerCache.cjs):
//      $XDG_CACHE_HOME/parley/mediasoup-worker/<version>-<recipe hash>/mediasoup-worker
//      (~/.cache/... by default), where step 5 puts it;
//   3. mediasoup's own worker in node_modules/mediasoup/worker/out/Release;
//   4. mediasoup's own install script, when its prebuilt worker can be downloaded (a normal
//      machine: nothing is built);
//   5. on Debian, a build from source over Debian's libraries (about 5 minutes on 2 cores, once);
//   6. elsewhere, mediasoup's own install script, which builds the worker itself.
// server/sfu/mediasoupWorkerBinary.ts looks in the same places, in the same order, at run time.
// With --cache-path, it only prints where step 2 looks (and step 5 puts the worker it builds).
// A binary counts only if it runs: a good worker run without its environment exits 41.
/* global fetch, AbortSignal */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, arch, platform, release, tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import workerCache from './mediasoupWorkerCache.cjs';

const { cachedWorkerBinary, workerRecipeHash } = workerCache;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mediasoupDir = join(root, 'node_modules', 'mediasoup');
// Subprojects over Debian's libraries, each replacing mediasoup's wrap of the same name.
const depsDir = join(root, 'scripts', 'mediasoup-worker-deps');
const PREBUILT_CHECK_TIMEOUT_MS = 15_000;
const WORKER_EXIT_WITHOUT_ENV = 41;

function log(line) {
  console.log(`mediasoup-worker: ${line}`);
}

function fail(line) {
  console.error(`mediasoup-worker: ${line}`);
  process.exit(1);
}

function workerRuns(file) {
  if (!existsSync(file)) return false;
  return spawnSync(file, [], { stdio: 'ignore', env: {} }).status === WORKER_EXIT_WITHOUT_ENV;
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  return result.status === 0;
}

// The address mediasoup's install script downloads its prebuilt worker from (npm-scripts.mjs,
// downloadPrebuiltWorker and getWorkerPrebuildTarName), mirror setting included.
function prebuiltUrl(pkg) {
  const base =
    process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ||
    `${pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;
  const kernel = platform() === 'linux' ? `-kernel${Number(release().split('.')[0])}` : '';
  return `${base}/${pkg.version}/mediasoup-worker-${pkg.version}-${platform()}-${arch()}${kernel}.tgz`;
}

async function prebuiltAvailable(pkg) {
  if (process.env.MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD) return false;
  try {
    const res = await fetch(prebuiltUrl(pkg), {
      method: 'HEAD',
      signal: AbortSignal.timeout(PREBUILT_CHECK_TIMEOUT_MS),
    });
    return res.ok;
  } catch {
    return false;
  }
}

function runMediasoupInstallScript() {
  log("running mediasoup's own install script");
  const env = { ...process.env };
  delete env.MEDIASOUP_WORKER_BIN;
  if (!run(process.execPath, ['npm-scripts.mjs', 'postinstall'], { cwd: mediasoupDir, env })) {
    fail("mediasoup's install script failed (see above)");
  }
}

function mesonVersionAtLeast(installed, wanted) {
  const a = installed.split('.').map(Number);
  const b = wanted.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** Replaces `from` by `to` in a file of the worker's copy, failing the build if it is not there once. */
function editSource(source, file, from, to) {
  const path = join(source, file);
  const text = readFileSync(path, 'utf8');
  if (text.split(from).length !== 2) {
    fail(`${file} no longer contains \`${from}\` exactly once: review the edit for this mediasoup`);
  }
  writeFileSync(path, text.replace(from, to));
}

/** A copy of mediasoup's worker/ whose dependencies are Debian's libraries. */
function prepareSource(workDir) {
  const source = join(workDir, 'worker');
  cpSync(join(mediasoupDir, 'worker'), source, { recursive: true });
  const subprojects = join(source, 'subprojects');
  for (const name of readdirSync(depsDir)) {
    rmSync(join(subprojects, `${name}.wrap`), { force: true });
    cpSync(join(depsDir, name), join(subprojects, name), { recursive: true });
  }
  // The callback on the BIO that carries DTLS to the network hands back its own 1, instead of
  // the BIO's answer, after every control call (it checks `== BIO_CB_RETURN`, but OpenSSL
  // passes BIO_CB_RETURN | BIO_CB_CTRL). Debian's OpenSSL is built with kernel TLS, so libssl
  // asks the BIO BIO_get_ktls_send() before it allocates its record write buffer: told 1 (yes),
  // it allocates none, and the worker dies writing the ServerHello (SIGSEGV in SSL_read, on the
  // first ClientHello). mediasoup's own OpenSSL has no kernel TLS, so its builds never ask.
  editSource(
    source,
    join('src', 'RTC', 'DtlsTransport.cpp'),
    '(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1',
    '(operationType & BIO_CB_RETURN) != 0 ? static_cast<long>(ret) : 1',
  );
  // Debian 12's meson is 1.0.1; mediasoup asks for 1.1.0 but builds with 1.0.1.
  const mesonFile = join(source, 'meson.build');
  const mesonBuild = readFileSync(mesonFile, 'utf8');
  const requirement = /meson_version: '>= ([0-9.]+)'/.exec(mesonBuild);
  const mesonVersion = spawnSync('meson', ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (requirement && !mesonVersionAtLeast(mesonVersion, requirement[1])) {
    log(`lowering the meson requirement from ${requirement[1]} to ${mesonVersion}`);
    writeFileSync(
      mesonFile,
      mesonBuild.replace(requirement[0], `meson_version: '>= ${mesonVersion}'`),
    );
  }
  return source;
}

function buildFromSource(target) {
  log('building the worker from source over Debian libraries (about 5 minutes on 2 cores)');
  if (!run(process.execPath, [join(root, 'scripts', 'system-deps.mjs'), 'mediasoup'])) {
    fail('the build packages are missing (see above)');
  }
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'parley-mediasoup-worker-'));
  const source = prepareSource(workDir);
  const build = join(workDir, 'build');
  const steps = [
    [
      'meson',
      [
        'setup',
        '--buildtype=release',
        '-Db_ndebug=true',
        '--wrap-mode=nodownload',
        '-Dms_disable_liburing=true',
        build,
        source,
      ],
    ],
    // The generated FlatBuffers headers must exist before any worker source compiles.
    ['meson', ['compile', '-C', build, 'flatbuffers-generator']],
    ['meson', ['compile', '-C', build, 'mediasoup-worker']],
  ];
  for (const [cmd, args] of steps) {
    if (!run(cmd, args)) {
      fail(`${cmd} ${args.join(' ')} failed; the build is left in ${workDir}`);
    }
  }
  const built = join(build, 'mediasoup-worker');
  if (!workerRuns(built)) fail(`the built worker does not run; the build is left in ${workDir}`);
  // Into place with a rename, so nobody ever finds a half-copied binary.
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  copyFileSync(built, partial);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  rmSync(workDir, { recursive: true, force: true });
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

function found(file, how) {
  log(`${how}: ${file}`);
  process.exit(0);
}

async function main() {
  if (!existsSync(join(mediasoupDir, 'package.json'))) {
    fail('mediasoup is not installed (run npm install first)');
  }
  const pkg = JSON.parse(readFileSync(join(mediasoupDir, 'package.json'), 'utf8'));
  const fromEnv = process.env.MEDIASOUP_WORKER_BIN;
  const cached = cachedWorkerBinary(process.env, homedir(), pkg.version, workerRecipeHash(root));
  const own = join(mediasoupDir, 'worker', 'out', 'Release', 'mediasoup-worker');
  if (process.argv.includes('--cache-path')) {
    console.log(cached);
    process.exit(0);
  }

  if (fromEnv && isAbsolute(fromEnv)) {
    if (!workerRuns(fromEnv)) fail(`MEDIASOUP_WORKER_BIN=${fromEnv} is not a working worker`);
    found(fromEnv, 'using MEDIASOUP_WORKER_BIN');
  }
  if (fromEnv) log(`ignoring MEDIASOUP_WORKER_BIN=${fromEnv}: not an absolute path`);
  if (workerRuns(cached)) found(cached, `using the cached worker for mediasoup ${pkg.version}`);
  if (workerRuns(own)) found(own, "using mediasoup's own worker");

  if (await prebuiltAvailable(pkg)) {
    runMediasoupInstallScript();
  } else if (spawnSync('dpkg-query', ['--version']).status === 0) {
    buildFromSource(cached);
    found(cached, `built the worker for mediasoup ${pkg.version}`);
  } else {
    log('no prebuilt worker can be downloaded and this is not Debian');
    runMediasoupInstallScript();
  }
  if (!workerRuns(own)) fail("mediasoup's install script left no working worker");
  found(own, "using mediasoup's own worker");
}

await main();
