// Bundles each process with esbuild into dist/<process>/. `--only <name>` builds one target;
// `--dev` leaves the code unminified for reading in DevTools; `--outdir <dir>` writes elsewhere
// than dist/ (the bundle-size benchmark builds both ways side by side).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function option(name) {
  return process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : null;
}
const only = option('--only');
const dev = process.argv.includes('--dev');
const out = option('--outdir') ?? join(root, 'dist');
// Production dependencies stay in node_modules (native modules, and what electron-builder packs).
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nodeExternals = [...Object.keys(pkg.dependencies), 'electron'];

// Main and the server load once from local disk and stay readable: their stack traces reach logs
// and the security scan reviews the main bundle line by line. What each window parses on every
// open (pages, worker, preloads) is minified unless `--dev`.
const common = {
  bundle: true,
  // Node processes name their .map (for --enable-source-maps and Electron's DevTools).
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  define: { 'process.env.NODE_ENV': '"production"' },
};
// Pages the server sends to browsers do not name their .map in production: maps embed the
// TypeScript sources, stay beside the bundle for debugging, and are never served or packaged.
const browser = {
  ...common,
  minify: !dev,
  sourcemap: dev ? 'linked' : 'external',
  platform: 'browser',
  target: 'chrome120',
  // Private class members (mediasoup-client has them) are lowered to WeakMaps: the security scan
  // of the shipped bundles (Electronegativity, test/security) cannot parse `#field`.
  supported: {
    'class-private-field': false,
    'class-private-method': false,
    'class-private-accessor': false,
    'class-private-static-field': false,
    'class-private-static-method': false,
    'class-private-static-accessor': false,
    'class-private-brand-check': false,
  },
};

const targets = {
  server: () =>
    esbuild.build({
      ...common,
      entryPoints: ['server/main.ts'],
      outfile: join(out, 'server/main.js'),
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: nodeExternals,
    }),
  renderer: async () => {
    // Chunk names carry a content hash: the last build's would pile up beside the new ones.
    rmSync(join(out, 'renderer/chunks'), { recursive: true, force: true });
    await esbuild.build({
      ...browser,
      entryPoints: { app: 'renderer/app.tsx' },
      outdir: join(out, 'renderer'),
      format: 'esm',
      // What only some calls need (the SFU path and mediasoup-client) loads on first use, from
      // chunks beside app.js: same origin, so script-src 'self' and the app:// scheme serve them.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      jsx: 'automatic',
      jsxImportSource: 'preact',
    });
    mkdirSync(join(out, 'renderer'), { recursive: true });
    cpSync(join(root, 'renderer/index.html'), join(out, 'renderer/index.html'));
    cpSync(join(root, 'renderer/styles.css'), join(out, 'renderer/styles.css'));
    cpSync(join(root, 'assets'), join(out, 'renderer/assets'), { recursive: true });
  },
  // The encoded-transform worker, loaded same-origin (script-src 'self') beside app.js.
  'e2ee-worker': () =>
    esbuild.build({
      ...browser,
      entryPoints: ['renderer/e2ee/worker/e2eeWorker.ts'],
      outfile: join(out, 'renderer/e2ee-worker.js'),
      format: 'iife',
    }),
  main: () =>
    esbuild.build({
      ...common,
      entryPoints: ['main/main.ts'],
      outfile: join(out, 'main/main.js'),
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: nodeExternals,
    }),
  preload: () =>
    esbuild.build({
      ...common,
      entryPoints: ['preload/preload.ts'],
      outfile: join(out, 'preload/preload.js'),
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron'],
      minify: !dev,
    }),
  // The incoming-call window: its own small page and its own three-method preload.
  incoming: async () => {
    await esbuild.build({
      ...browser,
      entryPoints: { incoming: 'renderer/incoming/incoming.ts' },
      outdir: join(out, 'renderer'),
      format: 'esm',
    });
    for (const file of ['incoming.html', 'incoming.css']) {
      cpSync(join(root, 'renderer/incoming', file), join(out, 'renderer', file));
    }
  },
  'incoming-preload': () =>
    esbuild.build({
      ...common,
      entryPoints: ['preload/incomingPreload.ts'],
      outfile: join(out, 'preload/incomingPreload.js'),
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron'],
      minify: !dev,
    }),
  // The screen picker window: its own small page and its own two-method preload.
  picker: async () => {
    await esbuild.build({
      ...browser,
      entryPoints: { picker: 'renderer/picker/picker.ts' },
      outdir: join(out, 'renderer'),
      format: 'esm',
    });
    for (const file of ['picker.html', 'picker.css']) {
      cpSync(join(root, 'renderer/picker', file), join(out, 'renderer', file));
    }
  },
  'picker-preload': () =>
    esbuild.build({
      ...common,
      entryPoints: ['preload/pickerPreload.ts'],
      outfile: join(out, 'preload/pickerPreload.js'),
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron'],
      minify: !dev,
    }),
};

const names = only ? [only] : Object.keys(targets);
for (const name of names) {
  if (!targets[name]) throw new Error(`unknown build target: ${name}`);
  await targets[name]();
}
