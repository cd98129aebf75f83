import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './electronBuilder';
import { makeStandinElectronDist, readFuses } from './standinElectron';

interface HookRun {
  code: number;
  output: string;
}

/** Calls scripts/afterPack.cjs in plain Node (it imports the ES module @electron/fuses). */
function runAfterPackHook(
  context: { appOutDir: string; electronPlatformName: string; arch: number },
  env: Record<string, string>,
): Promise<HookRun> {
  const script = `
    const { afterPack } = require('./scripts/afterPack.cjs');
    const context = JSON.parse(process.argv[1]);
    context.packager = { executableName: 'parley', appInfo: { productFilename: 'Parley' } };
    afterPack(context).catch((error) => { console.error(error.message); process.exitCode = 1; });
  `;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.PARLEY_PACK_STANDIN) delete childEnv.PARLEY_PACK_STANDIN;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', script, JSON.stringify(context)],
      { cwd: repoRoot, env: childEnv },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
}

let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'parley-afterpack-'));
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** An app folder as electron-builder leaves it before afterPack: Electron renamed to the app. */
async function packedApp(binaryName: string, withFuseWire: boolean): Promise<string> {
  const dist = await makeStandinElectronDist(join(workDir, 'electron'), { withFuseWire });
  const appOutDir = join(workDir, 'app');
  await mkdir(appOutDir, { recursive: true });
  await copyFile(join(dist, 'electron'), join(appOutDir, binaryName));
  return appOutDir;
}

const linuxX64 = { electronPlatformName: 'linux', arch: 1 };

// Each test starts node on the hook: process start-up is CPU work, which a busy machine slows.
jest.setTimeout(30_000);

describe('the afterPack fuse hook', () => {
  it('fails the build when the packed binary has no fuse wire', async () => {
    const appOutDir = await packedApp('parley', false);
    const run = await runAfterPackHook({ appOutDir, ...linuxX64 }, {});
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('has no Electron fuse wire, so fuses cannot be applied');
  });

  it('lets a declared stand-in through, saying loudly that no fuses were applied', async () => {
    const appOutDir = await packedApp('parley', false);
    const run = await runAfterPackHook({ appOutDir, ...linuxX64 }, { PARLEY_PACK_STANDIN: '1' });
    expect(run.code).toBe(0);
    expect(run.output).toContain('FUSES NOT APPLIED');
  });

  it('burns the fuses into the Windows executable name too', async () => {
    const appOutDir = await packedApp('Parley.exe', true);
    const run = await runAfterPackHook(
      { appOutDir, electronPlatformName: 'win32', arch: 1 },
      { PARLEY_PACK_STANDIN: '1' },
    );
    expect(run.code).toBe(0);
    expect(run.output).toContain('fuses applied');
    const fuses = await readFuses(join(appOutDir, 'Parley.exe'));
    expect(fuses).toMatchObject({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
    });
  });
});
