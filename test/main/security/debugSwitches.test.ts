import { isDebugLockedDown, LOCKDOWN_ENV } from '../../../main/security/debugLockdown';
import { debuggingRefusal, debuggingSwitchesIn } from '../../../main/security/debugSwitches';

const exe = '/opt/Parley/parley';

describe('debugging switches on the command line', () => {
  it.each([
    '--remote-debugging-port=9222',
    '--remote-debugging-port',
    '--remote-debugging-pipe',
    '--remote-debugging-address=0.0.0.0',
    '--remote-debugging-io-pipes=3,4',
    '--remote-allow-origins=*',
    '--REMOTE-DEBUGGING-PORT=9222',
    '--Remote-Debugging-Pipe',
    '-remote-debugging-port=9222',
    '--inspect',
    '--inspect=9229',
    '--inspect-brk=0.0.0.0:9229',
    '--inspect-port=9229',
    '--Inspect-Brk',
    '--debug',
    '--debug-brk=5858',
    '--js-flags=--inspect',
    '--js-flags=--allow-natives-syntax',
    '--remote-debugging-some-future-switch',
  ])('refuses %s, wherever it stands', (entry) => {
    expect(debuggingSwitchesIn([exe, entry], 'linux')).toEqual([entry]);
    expect(debuggingSwitchesIn([exe, '--no-sandbox', entry, 'parley://call/bob'], 'linux')).toEqual(
      [entry],
    );
    // Chromium stops reading switches after a bare "--"; Parley refuses them there too.
    expect(debuggingSwitchesIn([exe, '--', entry], 'linux')).toEqual([entry]);
  });

  it('reads /switch as a switch on Windows only, where Chromium does', () => {
    const entry = '/remote-debugging-port=9222';
    expect(debuggingSwitchesIn(['C:\\Parley\\Parley.exe', entry], 'win32')).toEqual([entry]);
    expect(debuggingSwitchesIn([exe, entry], 'linux')).toEqual([]);
  });

  it('lists every debugging switch present, in order', () => {
    expect(
      debuggingSwitchesIn([exe, '--inspect=0', '--hidden', '--remote-debugging-port=0'], 'darwin'),
    ).toEqual(['--inspect=0', '--remote-debugging-port=0']);
  });

  it.each([
    [[exe]],
    [[exe, 'parley://call/bob']],
    [[exe, '--hidden', '--no-sandbox', '--enable-logging', '--lang=de']],
    [[exe, '--ozone-platform=wayland', '--disable-gpu']],
    [[exe, 'remote-debugging-port=9222', 'inspect']],
    [[exe, '--debugger-name', '--inspector', '--remote-debuggingport']],
    [[exe, '-', '--', '---', '--=x']],
    [[exe, '/home/user/inspect', '/remote-debugging-port']],
  ])('lets ordinary arguments through: %j', (argv) => {
    expect(debuggingSwitchesIn(argv, 'linux')).toEqual([]);
  });

  it('says in one line why it will not start, naming the switches', () => {
    const line = debuggingRefusal(['--remote-debugging-port=9222']);
    expect(line).not.toContain('\n');
    expect(line).toContain('--remote-debugging-port=9222');
    expect(line).toMatch(/refusing to start/);
  });
});

describe('the debugging lockdown', () => {
  it('is always on in the installed app, whatever the environment says', () => {
    expect(isDebugLockedDown(true, {})).toBe(true);
    expect(isDebugLockedDown(true, { [LOCKDOWN_ENV]: '0' })).toBe(true);
    expect(isDebugLockedDown(true, { [LOCKDOWN_ENV]: '' })).toBe(true);
  });

  it('is off in a development build unless the environment asks for it', () => {
    expect(isDebugLockedDown(false, {})).toBe(false);
    expect(isDebugLockedDown(false, { [LOCKDOWN_ENV]: '0' })).toBe(false);
    expect(isDebugLockedDown(false, { [LOCKDOWN_ENV]: '1' })).toBe(true);
  });
});
