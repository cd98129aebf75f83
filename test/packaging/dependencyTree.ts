import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Packages only install scripts load: the native modules' prebuilt-binary download and C++
 * headers, and mediasoup's worker download (npm-scripts.mjs: node-fetch, tar, ini; its node/lib
 * loads none of them).
 */
export const buildTimeRoots = [
  'prebuild-install',
  'node-addon-api',
  'node-fetch',
  'tar',
  'ini',
  '@types/ini',
] as const;

interface LockPackage {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface LockFile {
  packages: Record<string, LockPackage>;
}

/** One installed copy of a package: where it sits and what it requires by name. */
export interface LockedPackage {
  /** Folder relative to the project, e.g. node_modules/electron-updater/node_modules/semver. */
  path: string;
  name: string;
  version: string;
  /** What it requires, each resolved (Node's rules) to the folder of the copy it loads. */
  requires: Record<string, string>;
}

export interface ProductionTree {
  /** Every package copy the app loads at run time: the production dependencies and their tree. */
  runtime: LockedPackage[];
  /**
   * Package copies reachable from the production dependencies only through a build-time root,
   * leaving out any name@version that a runtime copy also has (the archive could not tell them
   * apart).
   */
  buildOnly: LockedPackage[];
}

/** The name of the package in folder `path` (the part after its last node_modules/). */
export function packageNameOf(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/**
 * Node's resolution of `name` required from the package folder `from`: its own node_modules,
 * then each enclosing package's, then the top level. `folders` holds every installed folder.
 */
export function resolvePackage(
  folders: ReadonlySet<string>,
  from: string,
  name: string,
): string | null {
  for (let dir = from; ; ) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (folders.has(candidate)) return candidate;
    if (!dir) return null;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut === -1 ? '' : dir.slice(0, cut);
  }
}

/**
 * Walks package-lock.json from the production dependencies of `projectDir`, resolving every
 * requirement the way Node does (nested copies first), once with every edge and once without the
 * edges into `buildTimeRoots`, and splits the package copies accordingly.
 */
export async function readProductionTree(projectDir: string): Promise<ProductionTree> {
  const lock = JSON.parse(
    await readFile(join(projectDir, 'package-lock.json'), 'utf8'),
  ) as LockFile;
  const folders = new Set(Object.keys(lock.packages).filter((path) => path !== ''));
  const locked = (path: string): LockedPackage => {
    const entry = lock.packages[path] ?? {};
    const requires: Record<string, string> = {};
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const target = resolvePackage(folders, path, name);
      // An optional dependency for another platform is not installed; a missing one is an error.
      if (target) requires[name] = target;
      else if (!(name in (entry.optionalDependencies ?? {})))
        throw new Error(`package-lock.json: ${path} requires ${name}, which is not installed`);
    }
    return { path, name: packageNameOf(path), version: entry.version ?? '', requires };
  };
  const reach = (cut: ReadonlySet<string>): Map<string, LockedPackage> => {
    const seen = new Map<string, LockedPackage>();
    const pending = Object.keys(lock.packages['']?.dependencies ?? {}).map((name) => {
      const path = resolvePackage(folders, '', name);
      if (!path) throw new Error(`package-lock.json has no node_modules/${name}`);
      return path;
    });
    for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
      if (seen.has(path) || cut.has(packageNameOf(path))) continue;
      const found = locked(path);
      seen.set(path, found);
      pending.push(...Object.values(found.requires));
    }
    return seen;
  };
  const all = reach(new Set());
  const runtime = reach(new Set(buildTimeRoots));
  const runtimeIds = new Set([...runtime.values()].map((pkg) => `${pkg.name}@${pkg.version}`));
  const byPath = (a: LockedPackage, b: LockedPackage) => a.path.localeCompare(b.path);
  return {
    runtime: [...runtime.values()].sort(byPath),
    buildOnly: [...all.values()]
      .filter((pkg) => !runtime.has(pkg.path) && !runtimeIds.has(`${pkg.name}@${pkg.version}`))
      .sort(byPath),
  };
}
