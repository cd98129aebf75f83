// Where the mediasoup worker built here is cached, shared by scripts/build-mediasoup-worker.mjs
// (which builds it) and server/sfu/mediasoupWorkerBinary.ts (which runs it), so the two always
// agree. The cache is keyed by mediasoup's exact version (the worker checks no version) and by a
// hash of the recipe that built it (the build script and the subprojects standing in for
// mediasoup's wraps): when the recipe changes, a worker built by the old one is never reused.
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { isAbsolute, join, relative } = require('node:path');

const BUILD_SCRIPT = join('scripts', 'build-mediasoup-worker.mjs');
const DEPS_DIR = join('scripts', 'mediasoup-worker-deps');

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** True when projectRoot holds the recipe (a clone of the project, not just its build output). */
function hasWorkerRecipe(projectRoot) {
  return existsSync(join(projectRoot, BUILD_SCRIPT)) && existsSync(join(projectRoot, DEPS_DIR));
}

/** The first 16 hex digits of a SHA-256 over the recipe's files, names and contents. */
function workerRecipeHash(projectRoot) {
  const files = [join(projectRoot, BUILD_SCRIPT), ...filesUnder(join(projectRoot, DEPS_DIR))]
    .map((file) => relative(projectRoot, file).split('\\').join('/'))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const content = readFileSync(join(projectRoot, file));
    hash.update(`${file}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * $XDG_CACHE_HOME/parley/mediasoup-worker/<version>-<recipe hash>/mediasoup-worker, ~/.cache
 * when XDG_CACHE_HOME is unset or relative (as the XDG spec says).
 */
function cachedWorkerBinary(env, home, version, recipeHash) {
  const xdg = env.XDG_CACHE_HOME;
  const cacheHome = xdg && isAbsolute(xdg) ? xdg : join(home, '.cache');
  return join(
    cacheHome,
    'parley',
    'mediasoup-worker',
    `${version}-${recipeHash}`,
    'mediasoup-worker',
  );
}

module.exports = { hasWorkerRecipe, workerRecipeHash, cachedWorkerBinary };
