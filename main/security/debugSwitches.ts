/**
 * Command-line switches that would let another program of the same user attach a debugger to
 * Parley and drive its windows (and so `window.parley`, which signs as this device). The installed
 * app refuses to start with any of them. Fuses cover only part of this: the
 * EnableNodeCliInspectArguments fuse drops `--inspect`, but nothing in Electron drops Chromium's
 * `--remote-debugging-*` switches.
 */

/** Switch names refused exactly (compared without their leading dashes, in lower case). */
export const DEBUGGING_SWITCHES: readonly string[] = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-debugging-io-pipes',
  'remote-debugging-targets',
  'remote-allow-origins',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'inspect-publish-uid',
  'inspect-wait',
  'debug',
  'debug-brk',
  'debug-port',
  // V8 flags are a debugging tool, and some (e.g. --allow-natives-syntax) loosen the engine.
  'js-flags',
];

/** Switch-name prefixes refused, so a future `--remote-debugging-…` or `--inspect-…` is too. */
const DEBUGGING_SWITCH_PREFIXES: readonly string[] = ['remote-debugging-', 'inspect-', 'debug-'];

/**
 * The switch name of one argv entry, lower-cased, or null if it is not a switch. Chromium reads
 * `--name`, `-name` and, on Windows, `/name`; on Windows it also ignores the case of names.
 */
function switchName(entry: string, platform: NodeJS.Platform): string | null {
  const prefix =
    /^--?/.exec(entry)?.[0] ?? (platform === 'win32' && entry.startsWith('/') ? '/' : '');
  if (prefix === '') return null;
  const name = entry.slice(prefix.length).split('=', 1)[0]?.toLowerCase() ?? '';
  return name === '' ? null : name;
}

function isDebuggingSwitchName(name: string): boolean {
  return (
    DEBUGGING_SWITCHES.includes(name) ||
    DEBUGGING_SWITCH_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

/**
 * The entries of argv that are debugging switches, in order (empty when there are none). Every
 * entry is checked, even after a bare `--`, so no argument order sneaks one through.
 */
export function debuggingSwitchesIn(argv: readonly string[], platform: NodeJS.Platform): string[] {
  return argv.filter((entry) => {
    const name = switchName(entry, platform);
    return name !== null && isDebuggingSwitchName(name);
  });
}

/** The one line the installed app prints on stderr before it exits. */
export function debuggingRefusal(found: readonly string[]): string {
  return `parley: refusing to start with a debugging switch (${found.join(', ')}): the installed app cannot be debugged`;
}
