import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '../..');
const builderCli = join(repoRoot, 'node_modules', '.bin', 'electron-builder');

export interface BuilderRun {
  code: number | null;
  output: string;
}

/**
 * Packs the repository's app folder for Linux as a directory (`--dir`, no installer) with the
 * project's electron-builder.yml, into `outputDir`, taking Electron from `electronDist`.
 * npmRebuild is off here only: it recompiles keytar and better-sqlite3 in node_modules, in place,
 * against Electron's headers, which needs the network and would swap the Node builds the other
 * tests load. `npm run dist` keeps it on.
 */
export function packDir(options: {
  electronDist: string;
  outputDir: string;
  extraArgs?: string[];
  env?: Record<string, string>;
}): Promise<BuilderRun> {
  const args = [
    '--linux',
    '--dir',
    '--config',
    'electron-builder.yml',
    `-c.electronDist=${options.electronDist}`,
    `-c.directories.output=${options.outputDir}`,
    '-c.npmRebuild=false',
    ...(options.extraArgs ?? []),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env?.PARLEY_PACK_STANDIN) delete env.PARLEY_PACK_STANDIN;
  return new Promise((resolve, reject) => {
    const child = spawn(builderCli, args, {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}
