import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as keytar from 'keytar';
import { _electron, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import { testIds } from '../../renderer/ui/testIds';
import { launchChromium } from '../e2e/harness/chromium';
import { ParleyClient } from '../e2e/harness/parleyClient';
import { defaultShortcuts } from '../../main/shortcuts/defaultShortcuts';
import { applicationMenuTemplate } from '../../main/menu/applicationMenu';
import { LOCKDOWN_ENV } from '../../main/security/debugLockdown';

/**
 * The desktop flows through Playwright's Electron driver: keychain, hidden-window incoming call,
 * the global mute shortcut, close to tray. It needs an Electron binary (and, on Linux, a display:
 * run under `xvfb-run` with `xdotool` installed); where none is installed it reports one skip.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { electronBinary } = require('../../scripts/electronBinary.cjs') as {
  electronBinary: (root: string) => string | null;
};

const root = join(__dirname, '../..');
const binary = electronBinary(root);

if (!binary) {
  test.skip(
    'desktop flows (tray, hidden-window incoming call, shortcut mute, keychain): skipped, no ' +
      'Electron binary is installed on this machine (Electron downloads it at first launch); ' +
      'see "Desktop end-to-end tests" in the README',
    () => undefined,
  );
} else {
  describe('the desktop app', () => {
    jest.setTimeout(60_000);
    const keychainService = `parley-e2e-${process.pid}`;
    let userData: string;
    let app: ElectronApplication;
    let window: Page;
    let browser: Browser;
    let alice: ParleyClient;

    beforeAll(async () => {
      userData = mkdtempSync(join(tmpdir(), 'parley-electron-'));
      app = await _electron.launch({
        executablePath: binary,
        args: [root],
        env: {
          ...process.env,
          PARLEY_USER_DATA_DIR: userData,
          PARLEY_KEYCHAIN_SERVICE: keychainService,
        },
      });
      window = await app.firstWindow();
      browser = await launchChromium();
    });

    afterAll(async () => {
      await alice?.close();
      await browser?.close();
      await app?.close();
      for (const { account } of await keytar.findCredentials(keychainService)) {
        await keytar.deletePassword(keychainService, account);
      }
      rmSync(userData, { recursive: true, force: true });
    });

    test('the window is sandboxed and registering keeps only the identity key, per server, in the keychain', async () => {
      expect(
        await window.evaluate(() => typeof (globalThis as { require?: unknown }).require),
      ).toBe('undefined');
      expect(
        await window.evaluate(() => typeof (globalThis as { process?: unknown }).process),
      ).toBe('undefined');
      await window.locator(`[data-testid="${testIds.usernameInput}"]`).fill('desk');
      await window.locator(`[data-testid="${testIds.displayNameInput}"]`).fill('Desk User');
      await window.locator(`[data-testid="${testIds.registerButton}"]`).click();
      await window.locator(`[data-testid="${testIds.screenContacts}"]`).waitFor();
      // The embedded server's identity key, and no session credential at all.
      const items = await keytar.findCredentials(keychainService);
      expect(items.map((item) => item.account)).toEqual(['device-identity-private-key embedded']);
      const bridgeMethods = await window.evaluate(() =>
        Object.keys((window as unknown as { parley: object }).parley),
      );
      expect(bridgeMethods.filter((name) => /token/i.test(name))).toEqual([]);
    });

    test('an incoming call while the window is hidden rings in the small window and connects', async () => {
      const { serverUrl } = await window.evaluate(() =>
        (
          window as unknown as { parley: { getConfig(): Promise<{ serverUrl: string }> } }
        ).parley.getConfig(),
      );
      const webUrl = serverUrl.replace(/^ws/, 'http').replace(/\/ws$/, '/');
      alice = await ParleyClient.open(browser, webUrl);
      await alice.register('alice', 'Alice');
      await app.evaluate(({ BrowserWindow }) => {
        for (const w of BrowserWindow.getAllWindows()) w.hide();
      });
      const incomingWindow = app.waitForEvent('window', (page) => page.url().includes('incoming'));
      await alice.callByUsername('desk', 'video');
      const incoming = await incomingWindow;
      await incoming
        .locator('[data-testid="incoming-caller"]')
        .filter({ hasText: 'Alice' })
        .waitFor();
      await incoming.locator('[data-testid="incoming-accept-video"]').click();
      await window.locator(`[data-testid="${testIds.screenInCall}"]`).waitFor();
      await alice.waitForInCall();
    });

    test('the global mute shortcut mutes while another window has focus', async () => {
      const accelerator = defaultShortcuts.toggleMute;
      if (!accelerator) throw new Error('no default mute shortcut');
      expect(
        await app.evaluate(({ globalShortcut }, a) => globalShortcut.isRegistered(a), accelerator),
      ).toBe(true);
      await alice.page.bringToFront();
      execFileSync('xdotool', ['key', 'ctrl+alt+shift+m']);
      await window.locator(`[data-testid="${testIds.muteButton}"][aria-pressed="true"]`).waitFor();
      await alice.waitForRemoteMuted(true);
    });

    test("the menu is Parley's own: Electron's default menu (Help, DevTools everywhere) is gone", async () => {
      const labels = await app.evaluate(({ Menu }) =>
        (Menu.getApplicationMenu()?.items ?? []).map((item) => item.label),
      );
      const expected = applicationMenuTemplate({
        appName: 'Parley',
        platform: process.platform,
        lockedDown: false,
      }).map((item) => item.label);
      expect(labels.slice(1)).toEqual(expected.slice(1));
      expect(labels).not.toContain('Help');
    });

    test('closing the window keeps the app running in the tray', async () => {
      await window.locator(`[data-testid="${testIds.hangupButton}"]`).click();
      await app.evaluate(({ BrowserWindow }) => {
        for (const w of BrowserWindow.getAllWindows()) w.close();
      });
      const windows = await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((w) => ({ visible: w.isVisible() })),
      );
      expect(windows.length).toBeGreaterThan(0);
      expect(windows.every((w) => !w.visible)).toBe(true);
      expect(app.process().exitCode).toBeNull();
    });
  });

  describe('the locked-down app (as installed: PARLEY_LOCKDOWN=1 on a development build)', () => {
    jest.setTimeout(60_000);
    let userData: string;

    beforeEach(() => {
      userData = mkdtempSync(join(tmpdir(), 'parley-electron-lockdown-'));
    });

    afterEach(() => {
      rmSync(userData, { recursive: true, force: true });
    });

    const lockedDownEnv = (): Record<string, string> => {
      const env: Record<string, string> = { PARLEY_USER_DATA_DIR: userData, [LOCKDOWN_ENV]: '1' };
      for (const [name, value] of Object.entries(process.env)) env[name] ??= value ?? '';
      return env;
    };

    it.each([
      '--remote-debugging-port=9222',
      '--remote-debugging-pipe',
      '--Remote-Debugging-Port=9222',
      '--inspect=0',
    ])('exits at start-up with one line on stderr when started with %s', async (debugSwitch) => {
      // fds 3 and 4 are the pipe --remote-debugging-pipe speaks over, as Playwright gives them.
      const child = spawn(binary, [root, debugSwitch], {
        env: lockedDownEnv(),
        stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain('refusing to start with a debugging switch');
    });

    it('cannot be driven by Playwright, which needs --remote-debugging-port', async () => {
      await expect(
        _electron.launch({ executablePath: binary, args: [root], env: lockedDownEnv() }),
      ).rejects.toThrow();
    });
  });
}
