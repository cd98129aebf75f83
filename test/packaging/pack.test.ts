import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { readAsarArchive } from './asarArchive';
import {
  buildTimeRoots,
  readProductionTree,
  resolvePackage,
  type LockedPackage,
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
/** Each package folder in the archive (node_modules/..., nested ones too) and its version. */
let packedVersions: Map<string, string>;

/** Every file under `dir`, relative to it, '/' separated. */
async function filesUnder(dir: string): Promise<string[]> {
  const found = await readdir(dir, { recursive: true, withFileTypes: true });
  return found
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Folders in the archive holding this name@version, wherever electron-builder put them. */
function packedCopies(pkg: LockedPackage): string[] {
  return [...packedVersions]
    .filter(
      ([folder, version]) => folder.endsWith(`node_modules/${pkg.name}`) && version === pkg.version,
    )
    .map(([folder]) => folder);
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
  const manifests = entries.filter((entry) =>
    /(^|\/)node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/.test(entry),
  );
  const { texts } = await readAsarArchive(asarPath, manifests);
  packedVersions = new Map(
    manifests.map((manifest) => [
      manifest.slice(0, -'/package.json'.length),
      (JSON.parse(texts[manifest] ?? '{}') as { version?: string }).version ?? '',
    ]),
  );
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

  it("holds the main window's chunks (the SFU path loads from one), without their maps", async () => {
    const chunks = (await readdir(join(repoRoot, 'dist', 'renderer', 'chunks'))).map(
      (name) => `dist/renderer/chunks/${name}`,
    );
    const code = chunks.filter((file) => file.endsWith('.js'));
    expect(code.some((file) => file.startsWith('dist/renderer/chunks/SfuPath-'))).toBe(true);
    expect(code.filter((file) => !entries.includes(file))).toEqual([]);
    expect(
      entries.filter(
        (entry) => entry.startsWith('dist/renderer/chunks/') && entry.endsWith('.map'),
      ),
    ).toEqual([]);
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

  it('holds every package the app loads at run time, with what keytar and better-sqlite3 load their .node through', () => {
    expect(productionTree.runtime.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining(['bindings', 'file-uri-to-path', 'sonic-boom', 'thread-stream']),
    );
    const missing = productionTree.runtime
      .filter((pkg) => packedCopies(pkg).length === 0)
      .map((pkg) => `${pkg.name}@${pkg.version}`);
    expect(missing).toEqual([]);
  });

  it('resolves every require of a runtime package, in the archive, to the version the lock file installs', () => {
    const lockVersion = new Map(productionTree.runtime.map((pkg) => [pkg.path, pkg.version]));
    const folders = new Set(packedVersions.keys());
    const wrong: string[] = [];
    for (const pkg of productionTree.runtime) {
      for (const from of packedCopies(pkg)) {
        for (const [name, lockPath] of Object.entries(pkg.requires)) {
          // Never loaded at run time, and left out on purpose (the next test).
          if ((buildTimeRoots as readonly string[]).includes(name)) continue;
          const packed = resolvePackage(folders, from, name);
          const want = lockVersion.get(lockPath);
          const got = packed ? packedVersions.get(packed) : 'nothing';
          if (got !== want) wrong.push(`${from} requires ${name}: ${got}, not ${want}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('holds electron-updater with its own semver, js-yaml and the rest of its tree', () => {
    const updater = productionTree.runtime.find((pkg) => pkg.name === 'electron-updater');
    expect(updater).toBeDefined();
    expect(Object.keys(updater?.requires ?? {})).toEqual(
      expect.arrayContaining(['builder-util-runtime', 'fs-extra', 'js-yaml', 'semver']),
    );
    expect(packedCopies(updater as LockedPackage)).toEqual(['node_modules/electron-updater']);
    const semver = resolvePackage(
      new Set(packedVersions.keys()),
      'node_modules/electron-updater',
      'semver',
    );
    expect(semver && packedVersions.get(semver)).toBe(
      productionTree.runtime.find((pkg) => pkg.path === updater?.requires.semver)?.version,
    );
  });

  it('holds none of the packages only needed to build native modules (prebuilt download, C++ headers)', () => {
    expect(productionTree.buildOnly.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining([...buildTimeRoots, 'tar-fs', 'node-abi', 'simple-get', 'semver']),
    );
    const packed = productionTree.buildOnly
      .filter((pkg) => packedCopies(pkg).length > 0)
      .map((pkg) => `${pkg.name}@${pkg.version}`);
    expect(packed).toEqual([]);
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
