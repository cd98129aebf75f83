import { accountDir, accountScope } from '../../../main/account/accountScope';
import { chooseServer } from '../../../main/embeddedServer/serverChoice';

const scopeOf = (url?: string) => accountScope(chooseServer({ PARLEY_SERVER_URL: url }));

describe("which server a device's account belongs to", () => {
  it('is the origin of the server in use, however its URL is spelled', () => {
    expect(scopeOf('wss://Chat.Example:443/ws')).toBe('wss://chat.example');
    expect(scopeOf('https://chat.example')).toBe('wss://chat.example');
    expect(scopeOf('https://chat.example:8443/')).toBe('wss://chat.example:8443');
    expect(scopeOf('ws://127.0.0.1:4000/ws')).toBe('ws://127.0.0.1:4000');
  });

  it('is "embedded" for the server the app starts itself, whose port changes at each start', () => {
    expect(scopeOf(undefined)).toBe('embedded');
    expect(scopeOf('')).toBe('embedded');
  });

  it('keeps servers apart in the profile folder: one folder per origin', () => {
    const dirs = [
      'embedded',
      'wss://chat.example',
      'wss://chat.example:8443',
      'wss://evil.example',
      'ws://127.0.0.1:4000',
    ].map((scope) => accountDir('/home/alice/.config/Parley', scope));
    expect(new Set(dirs).size).toBe(dirs.length);
    for (const dir of dirs)
      expect(dir).toMatch(/^\/home\/alice\/\.config\/Parley\/accounts\/[0-9a-f]{16}$/);
    expect(accountDir('/p', scopeOf('https://chat.example'))).toBe(
      accountDir('/p', scopeOf('wss://CHAT.example:443/ws')),
    );
  });
});
