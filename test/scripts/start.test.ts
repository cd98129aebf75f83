import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const fallbackLine =
  /^Parley: no Electron binary is installed on this machine, so the desktop window cannot open; open the web client at (http:\/\/127\.0\.0\.1:\d+\/) in a browser \(Ctrl\+C stops the server\)\.$/;

/** The environment of a machine without Electron: no override path, and a private config home. */
function startEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  delete env.PARLEY_SERVER_URL;
  delete env.PARLEY_TURN_URLS;
  return env;
}

function runStart(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': only then has everything the process wrote been read (a line written
  // just before it exited would otherwise be missing from `output`).
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exit, output: () => ({ stdout, stderr }) };
}

async function waitFor<T>(probe: () => T | null, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Each test starts node (and maybe the server under it): CPU work, which a busy machine slows.
jest.setTimeout(30_000);

let temp: string;
let started: ChildProcess | null = null;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'parley-start-'));
});
afterEach(async () => {
  if (started && started.exitCode === null && started.signalCode === null) {
    started.kill('SIGKILL');
    await new Promise((resolve) => started?.once('exit', resolve));
  }
  started = null;
  await rm(temp, { recursive: true, force: true });
});

describe('npm start on a machine without an Electron binary', () => {
  it('says so in one line, and the web client URL it prints answers /healthz', async () => {
    if (!existsSync(join(root, 'dist/server/main.js'))) {
      throw new Error(
        'dist/server/main.js is missing: run `node scripts/build.mjs --only server` first (npm test does)',
      );
    }
    const run = runStart(startEnv({ PARLEY_PORT: '0', XDG_CONFIG_HOME: temp }));
    started = run.child;
    const url = await waitFor(() => {
      const lines = run.output().stdout.split('\n');
      const match = lines.map((l) => fallbackLine.exec(l)).find(Boolean);
      return match?.[1] ?? null;
    }, 'the fallback line');

    const health = await fetch(new URL('/healthz', url));
    expect(health.status).toBe(200);
    // One line more says that local mode needs no TURN server.
    const lines = run.output().stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Parley: local mode, no TURN server: calls connect directly/);
    expect(existsSync(join(temp, 'Parley', 'server'))).toBe(true);

    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    await expect(fetch(new URL('/healthz', url))).rejects.toThrow();
  }, 30_000);

  it('says so when the server dies of something else than its own Ctrl+C, and exits 1', async () => {
    const run = runStart(startEnv({ PARLEY_PORT: '0', XDG_CONFIG_HOME: temp }));
    started = run.child;
    await waitFor(
      () =>
        run
          .output()
          .stdout.split('\n')
          .some((line) => fallbackLine.test(line)) || null,
      'the fallback line',
    );
    // As the OOM killer or a `kill -9` from another terminal would.
    const serverPid = Number(execFileSync('pgrep', ['-P', String(run.child.pid)]).toString());
    process.kill(serverPid, 'SIGKILL');
    expect(await run.exit).toBe(1);
    expect(run.output().stderr).toMatch(/^Parley: the server was killed by SIGKILL/m);
  }, 30_000);
});

describe('npm start where an Electron binary is installed', () => {
  it('launches that binary on the project and passes its exit code through', async () => {
    const distDir = join(temp, 'electron-dist');
    const record = join(temp, 'launched.txt');
    await mkdir(distDir);
    // Stands in for the Electron executable: records how it was launched, exits with 7.
    const binary = join(distDir, 'electron');
    await writeFile(binary, `#!/bin/sh\necho "$PWD $*" > '${record}'\nexit 7\n`);
    await chmod(binary, 0o755);

    const run = runStart({
      ...startEnv({ XDG_CONFIG_HOME: temp }),
      ELECTRON_OVERRIDE_DIST_PATH: distDir,
    });
    started = run.child;
    expect(await run.exit).toBe(7);
    expect((await readFile(record, 'utf8')).trim()).toBe(`${root} .`);
    expect(run.output().stdout).not.toContain('no Electron binary');
  });
});
