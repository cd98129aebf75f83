import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../../test/e2e/harness/rendererBuild';

/**
 * Bundle sizes: this checkout built twice in the same run, as the development build
 * (`scripts/build.mjs --dev`, unminified) and as the production build that ships, each into its
 * own temporary folder. Prints raw and gzip bytes per bundle and the production/development ratio,
 * and writes bench/results/bundles.json.
 *
 * The main window's code is split (scripts/build.mjs): app.js and the chunks it imports load at
 * once ("app first load"); the SFU path and mediasoup-client load only when a call goes through
 * the SFU ("sfu path chunk"). Chunk file names carry a content hash, so they are found by prefix.
 */
const resultFile = join(REPO_ROOT, 'bench', 'results', 'bundles.json');

/** A bundle: one file, or what a function finds in the build folder. */
type Files = string | ((outdir: string) => string[]);

const bundles: Record<string, Files> = {
  app: 'renderer/app.js',
  'app first load': (outdir) => firstLoad(outdir, 'renderer/app.js'),
  'sfu path chunk': (outdir) => chunksNamed(outdir, 'SfuPath-'),
  incoming: 'renderer/incoming.js',
  picker: 'renderer/picker.js',
  'e2ee worker': 'renderer/e2ee-worker.js',
  preload: 'preload/preload.js',
  'incoming preload': 'preload/incomingPreload.js',
  'picker preload': 'preload/pickerPreload.js',
  server: 'server/main.js',
  main: 'main/main.js',
};

interface Size {
  raw: number;
  gzip: number;
}

function build(outdir: string, dev: boolean): void {
  const args = [join(REPO_ROOT, 'scripts', 'build.mjs'), '--outdir', outdir];
  execFileSync(process.execPath, dev ? [...args, '--dev'] : args, {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
}

/** The renderer's chunks whose names start with `prefix`. */
function chunksNamed(outdir: string, prefix: string): string[] {
  const found = readdirSync(join(outdir, 'renderer', 'chunks'))
    .filter((name) => name.startsWith(prefix) && name.endsWith('.js'))
    .map((name) => `renderer/chunks/${name}`);
  if (found.length === 0) throw new Error(`no renderer chunk named ${prefix}* in ${outdir}`);
  return found;
}

/** A module and every chunk it imports statically (not `import()`), which the page loads with it. */
function firstLoad(outdir: string, file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const code = readFileSync(join(outdir, file), 'utf8');
  const folder = file.slice(0, file.lastIndexOf('/'));
  for (const [, target] of code.matchAll(/(?:from|import)\s*"(\.\/[^"]+\.js)"/g)) {
    firstLoad(outdir, join(folder, target!), seen);
  }
  return [...seen];
}

function measure(outdir: string): Record<string, Size> {
  return Object.fromEntries(
    Object.entries(bundles).map(([name, files]) => {
      const parts = (typeof files === 'string' ? [files] : files(outdir)).map((file) =>
        readFileSync(join(outdir, file)),
      );
      // Gzipped one by one, as a server sends them.
      const size = parts.reduce(
        (sum, bytes) => ({ raw: sum.raw + bytes.length, gzip: sum.gzip + gzipSync(bytes).length }),
        { raw: 0, gzip: 0 },
      );
      return [name, size];
    }),
  );
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (after: number, before: number) => `${(after / before).toFixed(2)}x`;

function table(dev: Record<string, Size>, prod: Record<string, Size>): string {
  const header = ['bundle', 'dev raw', 'prod raw', 'ratio', 'dev gzip', 'prod gzip', 'ratio'];
  const rows = Object.keys(bundles).map((name) => {
    const before = dev[name]!;
    const after = prod[name]!;
    return [
      name,
      kb(before.raw),
      kb(after.raw),
      ratio(after.raw, before.raw),
      kb(before.gzip),
      kb(after.gzip),
      ratio(after.gzip, before.gzip),
    ];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  '),
    )
    .join('\n');
}

const scratch = mkdtempSync(join(tmpdir(), 'parley-bundles-'));
try {
  build(join(scratch, 'dev'), true);
  build(join(scratch, 'prod'), false);
  const dev = measure(join(scratch, 'dev'));
  const prod = measure(join(scratch, 'prod'));
  console.log(table(dev, prod));
  mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    resultFile,
    `${JSON.stringify({ baseline: 'development build (--dev, unminified)', dev, prod }, null, 2)}\n`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
