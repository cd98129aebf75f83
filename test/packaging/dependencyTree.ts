import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Packages that only build native modules: prebuilt-binary download and C++ headers. */
export const buildTimeRoots = ['prebuild-install', 'node-addon-api'] as const;

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface LockFile {
  packages: Record<string, LockPackage>;
}

export interface ProductionTree {
  /** Every package the app loads at run time: the production dependencies and what they need. */
  runtime: string[];
  /** Packages reachable from the production dependencies only through a build-time root. */
  buildOnly: string[];
}

/**
 * Walks package-lock.json from the production dependencies of `projectDir`, once with every
 * edge and once without the edges into `buildTimeRoots`, and splits the packages accordingly.
 * The lock file's tree is flat here (no nested node_modules under a production package), which
 * `nestedUnder` reports so a test can fail if that ever changes.
 */
export async function readProductionTree(projectDir: string): Promise<ProductionTree> {
  const lock = JSON.parse(
    await readFile(join(projectDir, 'package-lock.json'), 'utf8'),
  ) as LockFile;
  const direct = Object.keys(lock.packages['']?.dependencies ?? {});
  const reach = (cut: ReadonlySet<string>): Set<string> => {
    const seen = new Set<string>();
    const pending = [...direct];
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (seen.has(name) || cut.has(name)) continue;
      const entry = lock.packages[`node_modules/${name}`];
      if (!entry) throw new Error(`package-lock.json has no node_modules/${name}`);
      seen.add(name);
      pending.push(...Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }));
    }
    return seen;
  };
  const all = reach(new Set());
  const runtime = reach(new Set(buildTimeRoots));
  return {
    runtime: [...runtime].sort(),
    buildOnly: [...all].filter((name) => !runtime.has(name)).sort(),
  };
}

/** Lock-file paths of packages installed inside another package's own node_modules. */
export async function nestedUnder(projectDir: string, names: string[]): Promise<string[]> {
  const lock = JSON.parse(
    await readFile(join(projectDir, 'package-lock.json'), 'utf8'),
  ) as LockFile;
  return Object.keys(lock.packages).filter((path) =>
    names.some((name) => path.startsWith(`node_modules/${name}/node_modules/`)),
  );
}
