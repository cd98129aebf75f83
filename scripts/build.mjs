// Bundles each process with esbuild into dist/<process>/. `--only <name>` builds one target.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]
  : null;
// Production dependencies stay in node_modules (native modules, and what electron-builder packs).
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nodeExternals = [...Object.keys(pkg.dependencies), 'electron'];

const common = {
  bundle: true,
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
  define: { 'process.env.NODE_ENV': '"production"' },
};

const targets = {
  server: () =>
    esbuild.build({
      ...common,
      entryPoints: ['server/main.ts'],
      outfile: 'dist/server/main.js',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: nodeExternals,
    }),
  renderer: async () => {
    await esbuild.build({
      ...common,
      entryPoints: { app: 'renderer/app.tsx' },
      outdir: 'dist/renderer',
      platform: 'browser',
      target: 'chrome120',
      format: 'esm',
      jsx: 'automatic',
      jsxImportSource: 'preact',
    });
    mkdirSync(join(root, 'dist/renderer'), { recursive: true });
    cpSync(join(root, 'renderer/index.html'), join(root, 'dist/renderer/index.html'));
    cpSync(join(root, 'renderer/styles.css'), join(root, 'dist/renderer/styles.css'));
    cpSync(join(root, 'assets'), join(root, 'dist/renderer/assets'), { recursive: true });
  },
  // The encoded-transform worker, loaded same-origin (script-src 'self') beside app.js.
  'e2ee-worker': () =>
    esbuild.build({
      ...common,
      entryPoints: ['renderer/e2ee/worker/e2eeWorker.ts'],
      outfile: 'dist/renderer/e2ee-worker.js',
      platform: 'browser',
      target: 'chrome120',
      format: 'iife',
    }),
  main: () =>
    esbuild.build({
      ...common,
      entryPoints: ['main/main.ts'],
      outfile: 'dist/main/main.js',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: nodeExternals,
    }),
  preload: () =>
    esbuild.build({
      ...common,
      entryPoints: ['preload/preload.ts'],
      outfile: 'dist/preload/preload.js',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron'],
    }),
  // The incoming-call window: its own small page and its own three-method preload.
  incoming: async () => {
    await esbuild.build({
      ...common,
      entryPoints: { incoming: 'renderer/incoming/incoming.ts' },
      outdir: 'dist/renderer',
      platform: 'browser',
      target: 'chrome120',
      format: 'esm',
    });
    for (const file of ['incoming.html', 'incoming.css']) {
      cpSync(join(root, 'renderer/incoming', file), join(root, 'dist/renderer', file));
    }
  },
  'incoming-preload': () =>
    esbuild.build({
      ...common,
      entryPoints: ['preload/incomingPreload.ts'],
      outfile: 'dist/preload/incomingPreload.js',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron'],
    }),
  // The screen picker window: its own small page and its own two-method preload.
  picker: async () => {
    await esbuild.build({
      ...common,
      entryPoints: { picker: 'renderer/picker/picker.ts' },
      outdir: 'dist/renderer',
      platform: 'browser',
      target: 'chrome120',
      format: 'esm',
    });
    for (const file of ['picker.html', 'picker.css']) {
      cpSync(join(root, 'renderer/picker', file), join(root, 'dist/renderer', file));
    }
  },
  'picker-preload': () =>
    esbuild.build({
      ...common,
      entryPoints: ['preload/pickerPreload.ts'],
      outfile: 'dist/preload/pickerPreload.js',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron'],
    }),
};

const names = only ? [only] : Object.keys(targets);
for (const name of names) {
  if (!targets[name]) throw new Error(`unknown build target: ${name}`);
  await targets[name]();
}
