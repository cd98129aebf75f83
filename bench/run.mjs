// Runs every benchmark (npm run bench, after the build). Each is TypeScript, bundled on the fly
// with esbuild next to this checkout's node_modules, then run in its own Node process.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTargetSummary } from './targetSummary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchmarks = {
  'call-setup': 'bench/call-setup/callSetupBench.ts',
  e2ee: 'bench/e2ee/e2eeBench.ts',
  connectivity: 'bench/connectivity/connectivityBench.ts',
  abuse: 'bench/abuse/abuseBench.ts',
  durability: 'bench/durability/durabilityBench.ts',
  'group-commit': 'bench/durability/groupCommitBench.ts',
  bundles: 'bench/bundles/bundlesBench.ts',
  signaling: 'bench/signaling/signalingBench.ts',
  sfu: 'bench/sfu/sfuBench.ts',
};

/** True inside a network namespace whose only interface is loopback. */
function onlyLoopback() {
  const names = Object.keys(networkInterfaces());
  return names.length === 1 && names[0] === 'lo';
}

// Calls must not leave the machine: as root, re-run inside a fresh network namespace with only
// loopback up. Otherwise Chromium's loopback flags keep the traffic on 127.0.0.1.
if (process.getuid?.() === 0 && !onlyLoopback() && !process.env.PARLEY_BENCH_NETNS) {
  const script = 'ip link set lo up && exec "$0" "$@"';
  const { status, error } = spawnSync(
    'unshare',
    ['-n', 'sh', '-c', script, process.execPath, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, PARLEY_BENCH_NETNS: '1' } },
  );
  if (error) throw error;
  process.exit(status ?? 1);
}

if (onlyLoopback()) console.log('running in a network namespace with only loopback');

// `node bench/run.mjs e2ee` runs only the named benchmarks.
const chosen = process.argv.slice(2);
for (const name of chosen) {
  if (!benchmarks[name]) throw new Error(`unknown benchmark: ${name}`);
}

const startedAt = Date.now();
let failed = false;
for (const [name, entry] of Object.entries(benchmarks)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue;
  // Bundled inside the checkout so that the bundle's external packages resolve from node_modules.
  const outfile = join(root, 'bench', 'results', '.build', `${name}.cjs`);
  await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  console.log(`== ${name}`);
  const { status } = spawnSync(process.execPath, ['--enable-source-maps', outfile], {
    cwd: root,
    stdio: 'inherit',
  });
  if (status !== 0) {
    console.error(`${name} failed (exit ${status})`);
    failed = true;
  }
}
printTargetSummary(root, startedAt);
process.exit(failed ? 1 : 0);
