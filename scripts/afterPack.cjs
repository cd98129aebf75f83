// electron-builder afterPack hook: burns Electron's fuses into the packed binary, before signing.
// A binary without the fuse wire fails the build: shipping an app whose fuses were silently not
// applied is the failure this hook exists to prevent. Only the packing test, which packs with a
// stand-in "Electron", may skip it, and it must say so with PARLEY_PACK_STANDIN=1.
const { open } = require('node:fs/promises');
const { join } = require('node:path');

const STANDIN_ENV = 'PARLEY_PACK_STANDIN';
// Electron's fuse-wire sentinel (the same constant @electron/fuses looks for; it does not export it).
const FUSE_SENTINEL = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
// electron-builder's Arch enum values for the macOS builds whose ad-hoc signature must be redone.
const ARCH_ARM64 = 3;
const ARCH_UNIVERSAL = 4;

/** The file electron-builder left as the app's Electron executable (or .app bundle on macOS). */
function packedElectronPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    case 'linux':
      return join(appOutDir, packager.executableName);
    default:
      throw new Error(`afterPack: unknown platform ${electronPlatformName}`);
  }
}

/** Streams the file looking for the sentinel, keeping an overlap so a split match is still found. */
async function containsFuseSentinel(path) {
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(4 * 1024 * 1024);
    const overlap = FUSE_SENTINEL.length - 1;
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return false;
      const window = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (window.includes(FUSE_SENTINEL)) return true;
      carry = Buffer.from(window.subarray(Math.max(0, window.length - overlap)));
    }
  } finally {
    await handle.close();
  }
}

/** Parley's fuses. Every fuse is named, so a new Electron fuse fails the build until decided. */
function parleyFuses(fuses, context) {
  const { FuseV1Options: Fuse, FuseVersion } = fuses;
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping bytes breaks the ad-hoc signature Apple silicon requires; redo it there.
    resetAdHocDarwinSignature:
      isMac && (context.arch === ARCH_ARM64 || context.arch === ARCH_UNIVERSAL),
    [Fuse.RunAsNode]: false,
    [Fuse.EnableCookieEncryption]: true,
    [Fuse.EnableNodeOptionsEnvironmentVariable]: false,
    [Fuse.EnableNodeCliInspectArguments]: false,
    [Fuse.EnableEmbeddedAsarIntegrityValidation]: true,
    [Fuse.OnlyLoadAppFromAsar]: true,
    [Fuse.LoadBrowserProcessSpecificV8Snapshot]: false,
    // Content comes from app://, never file://, so file: needs no extra privileges.
    [Fuse.GrantFileProtocolExtraPrivileges]: false,
    [Fuse.WasmTrapHandlers]: true,
  };
}

/** Reads the wire back and fails unless every fuse now has the state that was asked for. */
async function verifyFuses(fuses, electronPath, config) {
  const wire = await fuses.getCurrentFuseWire(electronPath);
  const wrong = Object.entries(config)
    .filter(([key]) => /^\d+$/.test(key))
    .filter(([key, enabled]) => {
      const expected = enabled ? fuses.FuseState.ENABLE : fuses.FuseState.DISABLE;
      return wire[key] !== expected && wire[key] !== fuses.FuseState.REMOVED;
    })
    .map(([key]) => fuses.FuseV1Options[key]);
  if (wrong.length > 0) {
    throw new Error(`afterPack: fuses not set after flipping: ${wrong.join(', ')}`);
  }
}

async function afterPack(context) {
  const electronPath = packedElectronPath(context);
  const fuses = await import('@electron/fuses');
  const fuseFile = fuses.pathToFuseFile(electronPath);
  if (!(await containsFuseSentinel(fuseFile))) {
    if (process.env[STANDIN_ENV] === '1') {
      console.log(
        `afterPack: FUSES NOT APPLIED: ${fuseFile} has no fuse wire (a stand-in Electron, ${STANDIN_ENV}=1)`,
      );
      return;
    }
    throw new Error(
      `afterPack: ${fuseFile} has no Electron fuse wire, so fuses cannot be applied. ` +
        `Pack with a real Electron binary (a test packing a stand-in must set ${STANDIN_ENV}=1).`,
    );
  }
  const config = parleyFuses(fuses, context);
  await fuses.flipFuses(electronPath, config);
  await verifyFuses(fuses, electronPath, config);
  console.log(`afterPack: fuses applied to ${fuseFile}`);
}

module.exports = { default: afterPack, afterPack, STANDIN_ENV };
