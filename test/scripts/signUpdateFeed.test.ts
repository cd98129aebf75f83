import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '../../scripts/sign-update-feed.mjs');

// Each test starts node once or twice: process start-up is CPU work, which a busy machine slows.
jest.setTimeout(30_000);

function sign(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!env.PARLEY_UPDATE_SIGNING_KEY) delete environment.PARLEY_UPDATE_SIGNING_KEY;
    execFile(process.execPath, [script, ...args], { env: environment }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'parley-sign-feed-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('scripts/sign-update-feed.mjs', () => {
  it('makes a key, prints its public half, and signs with the key from the environment', async () => {
    const key = join(temp, 'key.pem');
    const made = await sign(['--generate-key', key]);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const feed = join(temp, 'latest-linux.yml');
    await writeFile(feed, 'version: 0.2.0\n');
    const signed = await sign([feed], { PARLEY_UPDATE_SIGNING_KEY: key });
    expect(signed.code).toBe(0);
    expect((await readFile(`${feed}.sig`, 'utf8')).trim()).toMatch(/^[A-Za-z0-9+/]{86}==$/);
  });

  it('never overwrites an existing key', async () => {
    const key = join(temp, 'kept.pem');
    await writeFile(key, 'precious');
    const again = await sign(['--generate-key', key]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists; not overwriting a key');
    expect(await readFile(key, 'utf8')).toBe('precious');
  });

  it('refuses to sign without a key, and writes no signature', async () => {
    const feed = join(temp, 'latest.yml');
    await writeFile(feed, 'version: 0.2.0\n');
    const result = await sign([feed]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no signing key: pass --key or set PARLEY_UPDATE_SIGNING_KEY');
    expect(existsSync(`${feed}.sig`)).toBe(false);
  });
});
