import { browserFromUserAgent, desktopOs, mediaRemedy } from '../../../renderer/media/mediaRemedy';

const userAgents = {
  chrome:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  headless:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
};

describe('the remedy for a blocked or missing camera or microphone', () => {
  test('the browser is read from its user agent', () => {
    expect(browserFromUserAgent(userAgents.chrome)).toBe('chromium');
    expect(browserFromUserAgent(userAgents.headless)).toBe('chromium');
    expect(browserFromUserAgent(userAgents.edge)).toBe('chromium');
    expect(browserFromUserAgent(userAgents.firefox)).toBe('firefox');
    expect(browserFromUserAgent(userAgents.safari)).toBe('safari');
    expect(browserFromUserAgent('curl/8.0')).toBe('other');
    expect([desktopOs('darwin'), desktopOs('win32'), desktopOs('linux')]).toEqual([
      'macos',
      'windows',
      'linux',
    ]);
  });

  test('names the input refused and gives the steps of each browser', () => {
    const chromium = mediaRemedy(
      { input: 'camera', problem: 'denied' },
      { kind: 'browser', browser: 'chromium' },
    );
    expect(chromium.title).toBe('Your browser blocked Parley from using your camera.');
    expect(chromium.steps).toEqual([
      'Click the camera icon or the site settings icon at the left of the address bar.',
      'Set Camera to Allow.',
      'Then choose Try again.',
    ]);
    const firefox = mediaRemedy(
      { input: 'microphone', problem: 'denied' },
      { kind: 'browser', browser: 'firefox' },
    );
    expect(firefox.title).toBe('Your browser blocked Parley from using your microphone.');
    expect(firefox.steps.join(' ')).toContain('crossed-out microphone icon');
    const safari = mediaRemedy(
      { input: 'camera', problem: 'denied' },
      { kind: 'browser', browser: 'safari' },
    );
    expect(safari.steps[0]).toBe('In the menu bar, choose Safari, then Settings for This Website.');
  });

  test('on the desktop, the OS privacy settings; Linux says it has none', () => {
    const macos = mediaRemedy(
      { input: 'camera', problem: 'denied' },
      { kind: 'desktop', os: 'macos' },
    );
    expect(macos.title).toBe('Your computer blocked Parley from using your camera.');
    expect(macos.steps[0]).toBe('Open System Settings, then Privacy & Security, then Camera.');
    const windows = mediaRemedy(
      { input: 'microphone', problem: 'denied' },
      { kind: 'desktop', os: 'windows' },
    );
    expect(windows.steps[0]).toBe('Open Settings, then Privacy & security, then Microphone.');
    const linux = mediaRemedy(
      { input: 'camera', problem: 'denied' },
      { kind: 'desktop', os: 'linux' },
    );
    expect(linux.steps[0]).toMatch(/^Linux has no privacy setting for the camera/);
  });

  test('a missing or busy input is not a permission problem: check the device', () => {
    const missing = mediaRemedy(
      { input: 'microphone', problem: 'missing' },
      { kind: 'browser', browser: 'chromium' },
    );
    expect(missing).toEqual({
      input: 'microphone',
      problem: 'missing',
      title: 'Your microphone could not be started.',
      steps: [
        'Check that a microphone is connected and that no other app is using it.',
        'Then choose Try again.',
      ],
    });
  });
});
