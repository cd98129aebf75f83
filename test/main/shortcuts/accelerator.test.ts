import { parseAccelerator } from '../../../main/shortcuts/accelerator';
import { defaultShortcuts } from '../../../main/shortcuts/defaultShortcuts';

describe('parseAccelerator', () => {
  it.each([
    ['CommandOrControl+Alt+Shift+M', 'CommandOrControl+Alt+Shift+M'],
    ['cmdorctrl+shift+alt+m', 'CommandOrControl+Alt+Shift+M'],
    ['Ctrl+Option+F5', 'Control+Alt+F5'],
    ['Super+Space', 'Super+Space'],
    ['Alt+esc', 'Alt+Escape'],
    ['Control+Plus', 'Control+Plus'],
    ['F13', 'F13'],
    ['MediaPlayPause', 'MediaPlayPause'],
  ])('accepts %s as %s', (text, canonical) => {
    const result = parseAccelerator(text, 'linux');
    expect(result).toEqual(expect.objectContaining({ ok: true, accelerator: canonical }));
  });

  it.each([
    ['', 'empty or too long'],
    ['M', 'needs Control, Command, Alt or Super'],
    ['Shift+M', 'needs Control, Command, Alt or Super'],
    ['Control+Alt', 'has no key after its modifiers'],
    ['Control+M+K', '"M" is not a modifier (or a second key)'],
    ['Control+Control+M', 'Control appears twice'],
    ['Ctrl+Control+M', 'Control appears twice'],
    ['Control++', 'has an empty part'],
    ['Control+Hyper+M', '"Hyper" is not a modifier'],
    ['Control+F25', '"F25" is not a key'],
    ['Control+Alt+' + 'M'.repeat(80), 'empty or too long'],
  ])('refuses %j: %s', (text, reason) => {
    const result = parseAccelerator(text, 'linux');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('treats CommandOrControl as Control on Linux and Windows and as Command on macOS', () => {
    const key = (text: string, platform: NodeJS.Platform) => {
      const result = parseAccelerator(text, platform);
      return result.ok ? result.comparisonKey : null;
    };
    expect(key('CommandOrControl+Alt+M', 'linux')).toBe(key('Alt+Ctrl+M', 'linux'));
    expect(key('CommandOrControl+Alt+M', 'win32')).toBe(key('Control+Alt+M', 'win32'));
    expect(key('CommandOrControl+Alt+M', 'darwin')).toBe(key('Cmd+Alt+M', 'darwin'));
    expect(key('CommandOrControl+Alt+M', 'darwin')).not.toBe(key('Control+Alt+M', 'darwin'));
  });

  it('accepts every default as already canonical', () => {
    for (const accelerator of Object.values(defaultShortcuts)) {
      expect(parseAccelerator(accelerator as string, 'linux')).toEqual(
        expect.objectContaining({ ok: true, accelerator }),
      );
    }
  });
});
