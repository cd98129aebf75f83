import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as keytar from 'keytar';
import { _electron, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import type { ParleyBridge } from '../../protocol/ipc';
import { testIds } from '../../renderer/ui/testIds';
import { launchChromium } from '../e2e/harness/chromium';
import { ParleyClient } from '../e2e/harness/parleyClient';
import { defaultShortcuts } from '../../main/shortcuts/defaultShortcuts';
import { applicationMenuTemplate } from '../../main/menu/applicationMenu';
import { LOCKDOWN_ENV } from '../../main/security/debugLockdown';

/**
 * The desktop flows through Playwright's Electron driver: keychain, what a hostile page can ask of
 * main (its account, screen capture, permissions), hidden-window incoming call, the global mute
 * shortcut, close to tray, and the locked-down app (debugging switches, DevTools). It needs an
 * Electron binary (and, on Linux, a display: run under `xvfb-run` with `xdotool` installed); where
 * none is installed it reports one skip.
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

    test('the page cannot change the account main signs as, nor have main sign as another user', async () => {
      const nonce = randomBytes(32).toString('base64');
      const outcome = await window.evaluate(async (nonce) => {
        const parley = (window as unknown as { parley: ParleyBridge }).parley;
        const account = await parley.getAccount();
        if (!account) throw new Error('no account after registering');
        const settled = (promise: Promise<unknown>) =>
          promise.then(
            () => 'done',
            () => 'refused',
          );
        const { username, deviceId } = account;
        return {
          account,
          setOtherUser: await settled(parley.setAccount({ ...account, username: 'mallory' })),
          setOtherDevice: await settled(parley.setAccount({ ...account, deviceId: 'device-0666' })),
          signAsOther: await settled(
            parley.signLoginChallenge({ nonce, username: 'mallory', deviceId }),
          ),
          signAsItself: await settled(parley.signLoginChallenge({ nonce, username, deviceId })),
          accountAfter: await parley.getAccount(),
        };
      }, nonce);
      expect(outcome.account.username).toBe('desk');
      expect(outcome).toEqual({
        account: outcome.account,
        setOtherUser: 'refused',
        setOtherDevice: 'refused',
        signAsOther: 'refused',
        signAsItself: 'done',
        accountAfter: outcome.account,
      });
    });

    test("screen capture: no picker without the user's click; a click opens main's own picker", async () => {
      const bridgeMethods = await window.evaluate(() =>
        Object.keys((window as unknown as { parley: object }).parley),
      );
      expect(bridgeMethods.filter((name) => /source|screen|capture|picker/i.test(name))).toEqual(
        [],
      );
      // Playwright's evaluate counts as a gesture: ask only once that activation has lapsed.
      const withoutClick = await window.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const ask = (): void => {
              if (navigator.userActivation.isActive) {
                setTimeout(ask, 250);
                return;
              }
              navigator.mediaDevices.getDisplayMedia({ video: true }).then(
                (stream) => {
                  for (const track of stream.getTracks()) track.stop();
                  resolve('granted');
                },
                (error: Error) => resolve(error.name),
              );
            };
            ask();
          }),
      );
      expect(withoutClick).not.toBe('granted');
      expect(app.windows().filter((page) => page.url().includes('picker'))).toEqual([]);

      await window.evaluate(() => {
        const page = globalThis as unknown as { displayMediaOnClick?: Promise<string> };
        page.displayMediaOnClick = new Promise<string>((resolve) => {
          document.addEventListener(
            'click',
            () => {
              navigator.mediaDevices.getDisplayMedia({ video: true }).then(
                (stream) => {
                  for (const track of stream.getTracks()) track.stop();
                  resolve('granted');
                },
                (error: Error) => resolve(error.name),
              );
            },
            { once: true },
          );
        });
      });
      const pickerOpened = app.waitForEvent('window', (page) => page.url().includes('picker'));
      await window
        .locator(`[data-testid="${testIds.screenContacts}"]`)
        .click({ position: { x: 2, y: 2 } });
      const picker = await pickerOpened;
      // Cancel in main's picker ends the request: nothing is captured.
      await picker.locator('[data-testid="picker-cancel"]').click();
      expect(
        await window.evaluate(
          () =>
            (globalThis as unknown as { displayMediaOnClick: Promise<string> }).displayMediaOnClick,
        ),
      ).not.toBe('granted');
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
      // The small window only rings: what a call needs is granted to the main window alone.
      expect(await incoming.evaluate(() => Notification.requestPermission())).toBe('denied');
      expect(await window.evaluate(() => Notification.requestPermission())).toBe('granted');
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

    const appEnv = (lockedDown: boolean): Record<string, string> => {
      const env: Record<string, string> = { PARLEY_USER_DATA_DIR: userData };
      for (const [name, value] of Object.entries(process.env)) env[name] ??= value ?? '';
      if (lockedDown) env[LOCKDOWN_ENV] = '1';
      else delete env[LOCKDOWN_ENV];
      return env;
    };
    const lockedDownEnv = (): Record<string, string> => appEnv(true);

    interface DevToolsProbeReport {
      menu: { label: string; role: string | null }[];
      devToolsOpened: boolean;
    }
    const probeLinePrefix = 'DEVTOOLS-PROBE ';

    /** Starts Parley through test/electron/devToolsProbe.cjs and returns what it reports. */
    const devToolsProbe = async (lockedDown: boolean): Promise<DevToolsProbeReport> => {
      const child = spawn(binary, [join(__dirname, 'devToolsProbe.cjs')], {
        env: appEnv(lockedDown),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(probeLinePrefix));
      if (!line) {
        throw new Error(
          `the DevTools probe reported nothing (exit ${code}): ${stderr.slice(-2000)}`,
        );
      }
      return JSON.parse(line.slice(probeLinePrefix.length)) as DevToolsProbeReport;
    };
    const debugMenuItems = (report: DevToolsProbeReport) =>
      report.menu.filter(
        (item) =>
          ['toggledevtools', 'reload', 'forcereload'].includes(item.role ?? '') ||
          /developer tools/i.test(item.label),
      );

    it('has no DevTools: none in its menu, none opening in its window, where a development build has both', async () => {
      const development = await devToolsProbe(false);
      // The probe sees DevTools where they exist.
      expect(development.devToolsOpened).toBe(true);
      expect(debugMenuItems(development).map((item) => item.role)).toEqual(
        expect.arrayContaining(['toggledevtools', 'reload']),
      );
      const lockedDown = await devToolsProbe(true);
      expect(debugMenuItems(lockedDown)).toEqual([]);
      expect(lockedDown.menu.map((item) => item.role)).toContain('quit');
      expect(lockedDown.devToolsOpened).toBe(false);
    });

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
