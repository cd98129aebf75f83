import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { readAsarArchive } from './asarArchive';
import {
  buildTimeRoots,
  nestedUnder,
  readProductionTree,
  type ProductionTree,
} from './dependencyTree';
import { packDir, repoRoot, type BuilderRun } from './electronBuilder';
import { makeStandinElectronDist, readFuses } from './standinElectron';

const packTimeoutMs = 90_000;

interface PackageJson {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

let workDir: string;
let run: BuilderRun;
let appDir: string;
let asarPath: string;
let entries: string[];
let unpacked: string[];
let unpackedOnDisk: string[];
let packedPackage: PackageJson;
let projectPackage: PackageJson;
let productionTree: ProductionTree;

/** Every file under `dir`, relative to it, '/' separated. */
async function filesUnder(dir: string): Promise<string[]> {
  const found = await readdir(dir, { recursive: true, withFileTypes: true });
  return found
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** True when the archive holds anything of package `name` at the top of node_modules. */
function packs(name: string): boolean {
  return entries.some((entry) => entry.startsWith(`node_modules/${name}/`));
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'parley-pack-'));
  projectPackage = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
  productionTree = await readProductionTree(repoRoot);
  const electronDist = await makeStandinElectronDist(join(workDir, 'electron'), {
    withFuseWire: true,
  });
  run = await packDir({ electronDist, outputDir: join(workDir, 'out') });
  appDir = join(workDir, 'out', 'linux-unpacked');
  asarPath = join(appDir, 'resources', 'app.asar');
  if (run.code !== 0) throw new Error(`electron-builder failed (${run.code}):\n${run.output}`);
  const archive = await readAsarArchive(asarPath, ['package.json']);
  entries = archive.entries.map((entry) => entry.path);
  unpacked = archive.entries
    .filter((entry) => entry.unpacked && !entry.directory)
    .map((entry) => entry.path);
  packedPackage = JSON.parse(archive.texts['package.json'] ?? '{}') as PackageJson;
  unpackedOnDisk = await filesUnder(join(appDir, 'resources', 'app.asar.unpacked'));
}, packTimeoutMs);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('electron-builder.yml', () => {
  it(
    'is checked against electron-builder schema: a misspelled option fails the build',
    async () => {
      const electronDist = await makeStandinElectronDist(join(workDir, 'electron-plain'), {
        withFuseWire: false,
      });
      const bad = await packDir({
        electronDist,
        outputDir: join(workDir, 'out-bad'),
        extraArgs: ['-c.asarUnpak=**/*.node'],
      });
      expect(bad.code).not.toBe(0);
      expect(bad.output).toContain("configuration has an unknown property 'asarUnpak'");
      expect(existsSync(join(workDir, 'out-bad', 'linux-unpacked'))).toBe(false);
    },
    packTimeoutMs,
  );

  it('packs the app folder with the real configuration', () => {
    expect(run.output).toContain('loaded configuration');
    expect(existsSync(join(appDir, 'parley'))).toBe(true);
    expect(existsSync(asarPath)).toBe(true);
  });
});

describe('the packed app.asar', () => {
  it('holds every bundle the app starts from, and package.json points at the main bundle', () => {
    for (const bundle of [
      'package.json',
      'dist/main/main.js',
      'dist/preload/preload.js',
      'dist/renderer/index.html',
      'dist/renderer/app.js',
      'dist/server/main.js',
    ]) {
      expect(entries).toContain(bundle);
    }
    expect(entries).toContain(packedPackage.main);
  });

  it('holds every production dependency', () => {
    const production = Object.keys(projectPackage.dependencies);
    expect(production).toEqual(
      expect.arrayContaining(['better-sqlite3', 'keytar', 'ws', 'zod', 'pino']),
    );
    for (const name of production) {
      expect(entries).toContain(`node_modules/${name}/package.json`);
    }
  });

  it('keeps the native modules as real files outside the archive, where dlopen can load them', async () => {
    const natives = entries.filter((entry) => entry.endsWith('.node'));
    expect(natives.sort()).toEqual([
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/keytar/build/Release/keytar.node',
    ]);
    for (const native of natives) {
      expect(unpacked).toContain(native);
      const onDisk = await readFile(join(appDir, 'resources', 'app.asar.unpacked', native));
      expect(onDisk.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    }
  });

  it('puts nothing but the native modules outside the archive, where the user could change them', () => {
    expect(unpacked.filter((entry) => !entry.endsWith('.node'))).toEqual([]);
    expect(unpackedOnDisk).toEqual([...unpacked].sort());
    expect(unpackedOnDisk).toEqual([
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/keytar/build/Release/keytar.node',
    ]);
  });

  it('holds every package the app loads at run time, with what keytar and better-sqlite3 load their .node through', async () => {
    expect(await nestedUnder(repoRoot, productionTree.runtime)).toEqual([]);
    expect(productionTree.runtime).toEqual(
      expect.arrayContaining(['bindings', 'file-uri-to-path', 'sonic-boom', 'thread-stream']),
    );
    const missing = productionTree.runtime.filter(
      (name) => !entries.includes(`node_modules/${name}/package.json`),
    );
    expect(missing).toEqual([]);
  });

  it('holds none of the packages only needed to build native modules (prebuilt download, C++ headers)', () => {
    expect(productionTree.buildOnly).toEqual(
      expect.arrayContaining([...buildTimeRoots, 'tar-fs', 'node-abi', 'simple-get']),
    );
    expect(productionTree.buildOnly.filter(packs)).toEqual([]);
  });

  it('holds no tests, no TypeScript sources and no source maps', () => {
    const offending = entries.filter(
      (entry) =>
        /^test(\/|$)/.test(entry) ||
        /(^|\/)(test|tests|__tests__)(\/|$)/.test(entry) ||
        /\.(test|spec)\.[cm]?[jt]sx?$/.test(entry) ||
        /\.tsx?$/.test(entry) ||
        entry.endsWith('.map'),
    );
    expect(offending).toEqual([]);
    const topLevel = new Set(entries.map((entry) => entry.split('/')[0]));
    expect([...topLevel].sort()).toEqual(['dist', 'node_modules', 'package.json']);
  });

  it('holds no devDependency (Electron, build tools, test tools, bundled UI libraries)', () => {
    const devDependencies = Object.keys(projectPackage.devDependencies);
    expect(devDependencies).toEqual(
      expect.arrayContaining([
        'electron',
        'jest',
        'esbuild',
        'typescript',
        'playwright-core',
        'preact',
        'electron-builder',
      ]),
    );
    const packedDevDependencies = devDependencies.filter((name) =>
      entries.includes(`node_modules/${name}`),
    );
    expect(packedDevDependencies).toEqual([]);
  });
});

describe('the packed Electron binary', () => {
  it('has its fuses burnt by the afterPack hook: no Node mode, asar only, asar integrity checked', async () => {
    expect(run.output).toContain('afterPack: fuses applied');
    expect(await readFuses(join(appDir, 'parley'))).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
      WasmTrapHandlers: true,
    });
  });
});
