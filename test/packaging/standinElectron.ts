import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Electron's fuse-wire sentinel; the wire follows it: version byte, length byte, one byte a fuse. */
const FUSE_SENTINEL = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
const FUSE_WIRE_VERSION = 1;

/** The fuses in wire order (Electron's fuses.json5, as @electron/fuses numbers them). */
export const fuseNames = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges',
  'WasmTrapHandlers',
] as const;
export type FuseName = (typeof fuseNames)[number];

/** What a freshly downloaded Electron ships with ('1' on, '0' off): the insecure defaults. */
const electronDefaultWire = '101100011';

/**
 * Makes a folder electron-builder accepts as `electronDist` for Linux: an executable `electron`
 * that is a shell stub, not Electron. With `withFuseWire`, the stub also carries a fuse wire in
 * Electron's binary format and default states, so the afterPack hook can flip real fuse bytes.
 */
export async function makeStandinElectronDist(
  dir: string,
  options: { withFuseWire: boolean },
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const script = Buffer.from(
    '#!/bin/sh\necho "stand-in for Electron: cannot run the app" >&2\nexit 1\n',
  );
  const parts = [script];
  if (options.withFuseWire) {
    parts.push(
      Buffer.from('# '),
      FUSE_SENTINEL,
      Buffer.from([FUSE_WIRE_VERSION, electronDefaultWire.length]),
      Buffer.from(electronDefaultWire),
      Buffer.from('\n'),
    );
  }
  const binary = join(dir, 'electron');
  await writeFile(binary, Buffer.concat(parts));
  await chmod(binary, 0o755);
  return dir;
}

/** Reads a binary's fuse wire independently of @electron/fuses: fuse name -> on/off. */
export async function readFuses(binaryPath: string): Promise<Record<FuseName, boolean>> {
  const bytes = await readFile(binaryPath);
  const at = bytes.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error(`${binaryPath} has no fuse wire`);
  const version = bytes[at + FUSE_SENTINEL.length];
  const length = bytes[at + FUSE_SENTINEL.length + 1] ?? 0;
  if (version !== FUSE_WIRE_VERSION) throw new Error(`unknown fuse wire version ${version}`);
  const wire = bytes.subarray(
    at + FUSE_SENTINEL.length + 2,
    at + FUSE_SENTINEL.length + 2 + length,
  );
  return Object.fromEntries(
    fuseNames.map((name, index) => [name, String.fromCharCode(wire[index] ?? 0) === '1']),
  ) as Record<FuseName, boolean>;
}
