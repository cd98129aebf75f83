import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout's root: the nearest folder up from here holding scripts/build.mjs (this file may run bundled elsewhere in the tree). */
function findRepoRoot(from: string): string {
  if (existsSync(join(from, 'scripts', 'build.mjs'))) return from;
  const parent = dirname(from);
  if (parent === from) throw new Error(`no scripts/build.mjs above ${__dirname}`);
  return findRepoRoot(parent);
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const RENDERER_DIST = join(REPO_ROOT, 'dist', 'renderer');

/**
 * The web client must already be built: jest's globalSetup (test/buildOnce.js) and `npm run bench`
 * build it once per run, so parallel users never race on dist/.
 */
export function ensureRendererBuilt(): void {
  for (const file of ['app.js', 'index.html']) {
    if (!existsSync(join(RENDERER_DIST, file))) {
      throw new Error(`dist/renderer/${file} is missing: run \`node scripts/build.mjs\` first`);
    }
  }
}
