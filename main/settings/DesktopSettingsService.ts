import type { DesktopSettings, ShortcutAction, ShortcutStatus } from '../../protocol/ipc';
import { parseAccelerator } from '../shortcuts/accelerator';
import { defaultSettings } from '../shortcuts/defaultShortcuts';
import { shortcutActions, type ShortcutController } from '../shortcuts/ShortcutController';
import type { SettingsFile } from './SettingsFile';

export class SettingsRefusedError extends Error {
  constructor(reason: string) {
    super(`settings refused: ${reason}`);
    this.name = 'SettingsRefusedError';
  }
}

/**
 * The settings main acts on: read once at start, changed only through `set`, which validates
 * every shortcut, refuses two actions on one key, persists, then re-registers the shortcuts.
 */
export class DesktopSettingsService {
  private constructor(
    private current: DesktopSettings,
    private readonly file: SettingsFile,
    private readonly shortcuts: ShortcutController,
    private readonly platform: NodeJS.Platform,
  ) {}

  static async load(
    file: SettingsFile,
    shortcuts: ShortcutController,
    platform: NodeJS.Platform,
    warn: (message: string) => void,
  ): Promise<DesktopSettingsService> {
    const stored = (await file.read()) ?? defaultSettings;
    let settings: DesktopSettings;
    try {
      settings = normalise(stored, platform);
    } catch (error) {
      warn(`${(error as Error).message}; using the default shortcuts`);
      settings = { ...stored, shortcuts: defaultSettings.shortcuts };
    }
    const service = new DesktopSettingsService(settings, file, shortcuts, platform);
    shortcuts.apply(settings.shortcuts);
    return service;
  }

  get(): DesktopSettings {
    return structuredClone(this.current);
  }

  async set(next: DesktopSettings): Promise<DesktopSettings> {
    const settings = normalise(next, this.platform);
    await this.file.write(settings);
    this.current = settings;
    this.shortcuts.apply(settings.shortcuts);
    return this.get();
  }

  shortcutStatus(): ShortcutStatus[] {
    return this.shortcuts.status();
  }
}

/** Canonical spelling for each accelerator; throws SettingsRefusedError on a bad or shared one. */
function normalise(settings: DesktopSettings, platform: NodeJS.Platform): DesktopSettings {
  const shortcuts = { ...settings.shortcuts };
  const owners = new Map<string, ShortcutAction>();
  for (const action of shortcutActions) {
    const text = shortcuts[action];
    if (text === null) continue;
    const parsed = parseAccelerator(text, platform);
    if (!parsed.ok) throw new SettingsRefusedError(`shortcut for ${action}: ${parsed.reason}`);
    const owner = owners.get(parsed.comparisonKey);
    if (owner) {
      throw new SettingsRefusedError(
        `${parsed.accelerator} is set for both ${owner} and ${action}`,
      );
    }
    owners.set(parsed.comparisonKey, action);
    shortcuts[action] = parsed.accelerator;
  }
  return { ...settings, shortcuts };
}
