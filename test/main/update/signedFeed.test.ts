import {
  configureRequestOptions,
  configureRequestUrl,
  HttpExecutor,
  type DownloadOptions,
} from 'builder-util-runtime';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppImageUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { parseFeedConfig } from '../../../main/update/feedConfig';
import { configureUpdater, updaterPort } from '../../../main/update/updaterPort';
import type { UpdaterPort } from '../../../main/update/UpdateController';

const run = promisify(execFile);
const repoRoot = join(__dirname, '../../..');
const signScript = join(repoRoot, 'scripts', 'sign-update-feed.mjs');
const feedPath = '/desktop';
const currentVersion = '0.1.0';

// Starting node to make keys and sign feeds is CPU work, which a busy machine slows.
jest.setTimeout(30_000);

/**
 * electron-updater's HTTP through Node's http module: the one part of it that needs Electron
 * (its executor uses electron's `net`). Requests, redirects and the sha512 check of a download
 * are builder-util-runtime's own code, as in the app.
 */
class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: object, callback: (response: unknown) => void): ClientRequest {
    return request(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error ? reject(error) : resolve(destination)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

/** The feed host: files by URL path, and every path asked for. */
let server: Server;
let base: string;
const served = new Map<string, Buffer>();
let requested: string[] = [];

let temp: string;
let signingKey: string;
let publicKey: string;
let otherKey: string;

async function signFeed(file: string, keyPath: string): Promise<void> {
  await run(process.execPath, [signScript, '--key', keyPath, file]);
}

/** An "AppImage" for the test: a script that records it ran, in place of the real app. */
function appImage(version: string): Buffer {
  return Buffer.from(`#!/bin/sh\necho "${version}" > "$PARLEY_TEST_INSTALLED"\n`);
}

const sha512 = (bytes: Buffer) => createHash('sha512').update(bytes).digest('base64');

/** latest-linux.yml as electron-builder writes it, for an AppImage of `version`. */
function feedFile(version: string, installer: Buffer, digest = sha512(installer)): string {
  const name = `Parley-${version}.AppImage`;
  return [
    `version: ${version}`,
    'files:',
    `  - url: ${name}`,
    `    sha512: ${digest}`,
    `    size: ${installer.length}`,
    `path: ${name}`,
    `sha512: ${digest}`,
    "releaseDate: '2026-12-01T10:00:00.000Z'",
    '',
  ].join('\n');
}

/**
 * Publishes `version` the way docs/deploy.md tells an operator to: the installer, latest-linux.yml
 * and its signature from scripts/sign-update-feed.mjs. Returns the installer's bytes.
 */
async function publish(
  version: string,
  options: { digest?: string; keyPath?: string | null; tamper?: (yml: string) => string } = {},
): Promise<Buffer> {
  served.clear();
  const installer = appImage(version);
  const dir = await mkdtemp(join(temp, 'release-'));
  const yml = join(dir, 'latest-linux.yml');
  await writeFile(yml, feedFile(version, installer, options.digest));
  const keyPath = options.keyPath === undefined ? signingKey : options.keyPath;
  if (keyPath) {
    await signFeed(yml, keyPath);
    served.set(`${feedPath}/latest-linux.yml.sig`, await readFile(`${yml}.sig`));
  }
  const text = await readFile(yml, 'utf8');
  served.set(
    `${feedPath}/latest-linux.yml`,
    Buffer.from(options.tamper ? options.tamper(text) : text),
  );
  served.set(`${feedPath}/Parley-${version}.AppImage`, installer);
  return installer;
}

interface InstalledApp {
  port: UpdaterPort;
  updater: AppImageUpdater;
  cacheDir: string;
  appImagePath: string;
  installedMarker: string;
  logged: string[];
  quit(): void;
}

/**
 * The installed app as electron-updater sees it: version 0.1.0, packaged, with the
 * resources/app-update.yml electron-builder writes from electron-builder.yml's `publish` entry
 * (here pointing at the test's feed), running from an AppImage.
 */
async function installedApp(): Promise<InstalledApp> {
  const dir = await mkdtemp(join(temp, 'app-'));
  const resources = join(dir, 'resources');
  await mkdir(resources);
  const appUpdateYml = join(resources, 'app-update.yml');
  await writeFile(
    appUpdateYml,
    `provider: generic\nurl: ${base}${feedPath}\nupdaterCacheDirName: parley-updater\n`,
  );
  const appImagePath = join(dir, 'Parley.AppImage');
  await writeFile(appImagePath, appImage(currentVersion));
  await chmod(appImagePath, 0o755);
  const quitHandlers: ((exitCode: number) => void)[] = [];
  const adapter: AppAdapter = {
    version: currentVersion,
    name: 'Parley',
    isPackaged: true,
    appUpdateConfigPath: appUpdateYml,
    userDataPath: join(dir, 'userData'),
    baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: (handler) => quitHandlers.push(handler),
  };
  process.env.APPIMAGE = appImagePath;
  process.env.PARLEY_TEST_INSTALLED = join(dir, 'installed.txt');
  const updater = new AppImageUpdater(null, adapter);
  (updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new NodeHttpExecutor();
  // The test's installer has no block map: the whole file, as on a first install.
  updater.disableDifferentialDownload = true;
  const feed = parseFeedConfig(await readFile(appUpdateYml, 'utf8'));
  if (!feed.ok) throw new Error(feed.reason);
  const logged: string[] = [];
  configureUpdater(updater, { url: feed.feed.url, publicKey }, (message) => logged.push(message));
  return {
    port: updaterPort(updater),
    updater,
    cacheDir: join(dir, 'cache', 'parley-updater'),
    appImagePath,
    installedMarker: process.env.PARLEY_TEST_INSTALLED,
    logged,
    quit: () => quitHandlers.forEach((handler) => handler(0)),
  };
}

/** Every file electron-updater left in its cache folder (downloads, pending updates). */
async function cachedFiles(cacheDir: string): Promise<string[]> {
  if (!existsSync(cacheDir)) return [];
  const entries = await readdir(cacheDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

const downloads = () => requested.filter((path) => path.endsWith('.AppImage'));

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'parley-update-'));
  signingKey = join(temp, 'feed-signing.pem');
  otherKey = join(temp, 'other-signing.pem');
  publicKey = (await run(process.execPath, [signScript, '--generate-key', signingKey])).stdout;
  await run(process.execPath, [signScript, '--generate-key', otherKey]);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://feed').pathname;
    requested.push(path);
    const body = served.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(temp, { recursive: true, force: true });
  delete process.env.APPIMAGE;
  delete process.env.PARLEY_TEST_INSTALLED;
});

beforeEach(() => {
  requested = [];
});

describe('the update check against a signed feed (electron-updater, local feed)', () => {
  it('finds a newer version, downloads it against the signed sha512, and installs it on quit', async () => {
    const installer = await publish('0.2.0');
    const app = await installedApp();
    expect(await app.port.check()).toEqual({ version: '0.2.0' });
    expect(requested).toEqual([`${feedPath}/latest-linux.yml`, `${feedPath}/latest-linux.yml.sig`]);
    await app.port.download();
    expect(downloads()).toEqual([`${feedPath}/Parley-0.2.0.AppImage`]);
    // "Later": quitting the app replaces the AppImage with the verified download and runs it.
    app.port.installOnQuit(true);
    app.quit();
    expect(await readFile(app.appImagePath)).toEqual(installer);
    expect((await readFile(app.installedMarker, 'utf8')).trim()).toBe('0.2.0');
  });

  it('offers nothing when the feed has the running version, or an older one', async () => {
    for (const version of [currentVersion, '0.0.9']) {
      await publish(version);
      const app = await installedApp();
      expect(await app.port.check()).toBeNull();
    }
    expect(downloads()).toEqual([]);
  });

  it('does not install on quit unless the user chose to', async () => {
    const old = appImage(currentVersion);
    await publish('0.2.0');
    const app = await installedApp();
    await app.port.check();
    await app.port.download();
    app.quit();
    expect(await readFile(app.appImagePath)).toEqual(old);
    expect(existsSync(app.installedMarker)).toBe(false);
  });

  it.each([
    {
      what: 'a feed file changed after signing',
      signer: 'pinned',
      tamper: (yml: string) => yml.replace(/^version: .*$/m, 'version: 9.9.9'),
      error:
        'update feed refused: latest-linux.yml.sig does not verify under the pinned update key',
    },
    {
      what: 'a feed signed with another key',
      signer: 'other',
      error:
        'update feed refused: latest-linux.yml.sig does not verify under the pinned update key',
    },
    {
      what: 'a feed without its signature',
      signer: 'none',
      error: 'update feed refused: latest-linux.yml.sig could not be fetched',
    },
  ] as const)('refuses $what, and downloads nothing', async (feed) => {
    const keyPath = { pinned: signingKey, other: otherKey, none: null }[feed.signer];
    await publish('0.2.0', { keyPath, tamper: 'tamper' in feed ? feed.tamper : undefined });
    const app = await installedApp();
    await expect(app.port.check()).rejects.toThrow(feed.error);
    await expect(app.port.download()).rejects.toThrow();
    expect(downloads()).toEqual([]);
    expect(await cachedFiles(app.cacheDir)).toEqual([]);
  });

  it('refuses a download whose bytes do not match the signed sha512, and keeps nothing of it', async () => {
    await publish('0.2.0', { digest: sha512(Buffer.from('some other installer')) });
    const app = await installedApp();
    expect(await app.port.check()).toEqual({ version: '0.2.0' });
    await expect(app.port.download()).rejects.toThrow(/sha512 checksum mismatch/);
    expect(downloads()).toEqual([`${feedPath}/Parley-0.2.0.AppImage`]);
    expect(await cachedFiles(app.cacheDir)).toEqual([]);
    app.port.installOnQuit(true);
    app.quit();
    expect(await readFile(app.appImagePath)).toEqual(appImage(currentVersion));
  });

  it('reports a feed that is not there (404) as a failed check', async () => {
    served.clear();
    const app = await installedApp();
    await expect(app.port.check()).rejects.toThrow(/Cannot find channel "latest-linux.yml"/);
    expect(requested).toEqual([`${feedPath}/latest-linux.yml`]);
  });
});
