import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesktopSettings, ShortcutAction } from '../../../protocol/ipc';
import { DesktopSettingsService } from '../../../main/settings/DesktopSettingsService';
import { SettingsFile } from '../../../main/settings/SettingsFile';
import { defaultSettings } from '../../../main/shortcuts/defaultShortcuts';
import { ShortcutController } from '../../../main/shortcuts/ShortcutController';
import { FakeGlobalShortcuts } from '../desktop/fakePorts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-settings-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** One app start: a fresh controller and service over the settings file in `dir`. */
async function start(port = new FakeGlobalShortcuts()) {
  const warnings: string[] = [];
  const pressed: ShortcutAction[] = [];
  const shortcuts = new ShortcutController(port, (a) => pressed.push(a), { sessionType: 'x11' });
  const service = await DesktopSettingsService.load(
    new SettingsFile(dir, (m) => warnings.push(m)),
    shortcuts,
    'linux',
    (m) => warnings.push(m),
  );
  return { service, port, warnings, pressed };
}

const custom: DesktopSettings = {
  closeToTray: false,
  doNotDisturb: true,
  shortcuts: {
    toggleMute: 'ctrl+alt+f9',
    hangUp: 'Control+Alt+F10',
    acceptCall: null,
    declineCall: 'Super+Shift+D',
  },
};

describe('DesktopSettingsService', () => {
  it('starts with the defaults and registers the default shortcuts', async () => {
    const { service, port } = await start();
    expect(service.get()).toEqual(defaultSettings);
    expect(service.shortcutStatus().every((s) => s.registered)).toBe(true);
    expect(port.callbacks.size).toBe(4);
  });

  it('stores settings in canonical form, re-registers, and keeps them across a restart', async () => {
    const first = await start();
    const stored = await first.service.set(custom);
    expect(stored.shortcuts).toEqual({
      toggleMute: 'Control+Alt+F9',
      hangUp: 'Control+Alt+F10',
      acceptCall: null,
      declineCall: 'Shift+Super+D',
    });
    expect([...first.port.callbacks.keys()].sort()).toEqual(
      ['Control+Alt+F10', 'Control+Alt+F9', 'Shift+Super+D'].sort(),
    );
    first.port.callbacks.clear(); // the process ends; the OS forgets its keys

    const second = await start();
    expect(second.service.get()).toEqual(stored);
    second.port.press('Control+Alt+F9');
    expect(second.pressed).toEqual(['toggleMute']);
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('refuses two actions on one key (even spelled differently) and changes nothing', async () => {
    const { service, port } = await start();
    const before = service.get();
    await expect(
      service.set({
        ...custom,
        shortcuts: { ...custom.shortcuts, hangUp: 'Alt+CommandOrControl+F9' },
      }),
    ).rejects.toThrow(
      'settings refused: CommandOrControl+Alt+F9 is set for both toggleMute and hangUp',
    );
    expect(service.get()).toEqual(before);
    expect(port.callbacks.size).toBe(4);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses an accelerator that is not modifiers plus one key, and changes nothing', async () => {
    const { service } = await start();
    await service.set(custom);
    const file = await readFile(join(dir, 'settings.json'), 'utf8');
    for (const bad of ['M', 'Control+Alt', 'Shift+Q', 'Control+M+N']) {
      await expect(
        service.set({ ...custom, shortcuts: { ...custom.shortcuts, acceptCall: bad } }),
      ).rejects.toThrow('settings refused: shortcut for acceptCall');
    }
    expect(await readFile(join(dir, 'settings.json'), 'utf8')).toBe(file);
  });

  it('reports a stored shortcut the OS now refuses', async () => {
    const first = await start();
    await first.service.set(custom);
    const port = new FakeGlobalShortcuts();
    port.takenElsewhere.add('Control+Alt+F10');
    const { service } = await start(port);
    expect(service.shortcutStatus().find((s) => s.action === 'hangUp')).toEqual(
      expect.objectContaining({ registered: false, problem: expect.stringContaining('Taken') }),
    );
  });

  it('falls back to the defaults, with a warning, when the file is damaged', async () => {
    await writeFile(join(dir, 'settings.json'), '{"closeToTray": tru');
    const { service, warnings } = await start();
    expect(service.get()).toEqual(defaultSettings);
    expect(warnings).toEqual([expect.stringContaining('is not valid JSON')]);
  });

  it('drops hand-edited shortcuts that do not parse, keeping the other settings', async () => {
    await writeFile(
      join(dir, 'settings.json'),
      JSON.stringify({ ...custom, shortcuts: { ...custom.shortcuts, hangUp: 'H' } }),
    );
    const { service, warnings } = await start();
    expect(service.get()).toEqual({ ...custom, shortcuts: defaultSettings.shortcuts });
    expect(warnings).toEqual([expect.stringContaining('shortcut for hangUp')]);
  });
});
