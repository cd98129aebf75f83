/**
 * A small parser for Electron accelerators (`CommandOrControl+Shift+Alt+M`): modifiers, then
 * exactly one key. It normalises spelling so two ways of writing one shortcut compare equal, and
 * refuses what would make a poor global shortcut (a bare key, or Shift alone, which would swallow
 * ordinary typing system-wide).
 */
export type AcceleratorResult =
  | { ok: true; accelerator: string; comparisonKey: string }
  | { ok: false; reason: string };

type Modifier = 'CommandOrControl' | 'Command' | 'Control' | 'Alt' | 'AltGr' | 'Shift' | 'Super';

const modifierNames: Readonly<Record<string, Modifier>> = {
  commandorcontrol: 'CommandOrControl',
  cmdorctrl: 'CommandOrControl',
  command: 'Command',
  cmd: 'Command',
  control: 'Control',
  ctrl: 'Control',
  alt: 'Alt',
  option: 'Alt',
  altgr: 'AltGr',
  shift: 'Shift',
  super: 'Super',
  meta: 'Super',
};
const modifierOrder: readonly Modifier[] = [
  'CommandOrControl',
  'Command',
  'Control',
  'Alt',
  'AltGr',
  'Shift',
  'Super',
];

const namedKeys: readonly string[] = [
  'Plus',
  'Space',
  'Tab',
  'Backspace',
  'Delete',
  'Insert',
  'Return',
  'Enter',
  'Up',
  'Down',
  'Left',
  'Right',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Escape',
  'Esc',
  'VolumeUp',
  'VolumeDown',
  'VolumeMute',
  'MediaNextTrack',
  'MediaPreviousTrack',
  'MediaStop',
  'MediaPlayPause',
  'PrintScreen',
  ...Array.from({ length: 10 }, (_, i) => `num${i}`),
  'numdec',
  'numadd',
  'numsub',
  'nummult',
  'numdiv',
];
const keyByLowerName = new Map<string, string>(namedKeys.map((key) => [key.toLowerCase(), key]));
const keyAliases: Readonly<Record<string, string>> = { enter: 'Return', esc: 'Escape' };

function canonicalKey(token: string): string | null {
  if (/^[A-Za-z0-9]$/.test(token)) return token.toUpperCase();
  const fKey = /^[Ff]([1-9]|1[0-9]|2[0-4])$/.exec(token);
  if (fKey) return `F${fKey[1]}`;
  const lower = token.toLowerCase();
  return keyAliases[lower] ?? keyByLowerName.get(lower) ?? null;
}

/** Keys rare enough on ordinary keyboards to be a global shortcut on their own. */
function standsAlone(key: string): boolean {
  return /^F(1[3-9]|2[0-4])$/.test(key) || key.startsWith('Media');
}

/**
 * `platform` decides what CommandOrControl means, so that on Linux `CommandOrControl+Alt+M` and
 * `Control+Alt+M` count as the same shortcut.
 */
export function parseAccelerator(text: string, platform: NodeJS.Platform): AcceleratorResult {
  if (text.length === 0 || text.length > 64) return { ok: false, reason: 'empty or too long' };
  const tokens = text.split('+');
  if (tokens.some((token) => token === '')) {
    return { ok: false, reason: `"${text}" has an empty part (write the + key as Plus)` };
  }
  const keyToken = tokens[tokens.length - 1] as string;
  const modifiers = new Set<Modifier>();
  for (const token of tokens.slice(0, -1)) {
    const modifier = modifierNames[token.toLowerCase()];
    if (!modifier) return { ok: false, reason: `"${token}" is not a modifier (or a second key)` };
    if (modifiers.has(modifier)) return { ok: false, reason: `${modifier} appears twice` };
    modifiers.add(modifier);
  }
  const key = canonicalKey(keyToken);
  if (!key) {
    return {
      ok: false,
      reason: modifierNames[keyToken.toLowerCase()]
        ? `"${text}" has no key after its modifiers`
        : `"${keyToken}" is not a key`,
    };
  }
  const strongModifiers = [...modifiers].filter((m) => m !== 'Shift');
  if (strongModifiers.length === 0 && !standsAlone(key)) {
    return {
      ok: false,
      reason: `"${text}" needs Control, Command, Alt or Super, or it would block normal typing`,
    };
  }
  const ordered = modifierOrder.filter((m) => modifiers.has(m));
  const resolved = ordered.map((m) =>
    m === 'CommandOrControl' ? (platform === 'darwin' ? 'Command' : 'Control') : m,
  );
  return {
    ok: true,
    accelerator: [...ordered, key].join('+'),
    comparisonKey: [...[...new Set(resolved)].sort(), key].join('+'),
  };
}
