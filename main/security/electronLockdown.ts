import { app, Menu, type WebContents } from 'electron';
import { applicationMenuTemplate } from '../menu/applicationMenu';
import { isDebugLockedDown } from './debugLockdown';
import { DEBUGGING_SWITCHES, debuggingRefusal, debuggingSwitchesIn } from './debugSwitches';

/** Whether this run is locked down against debugging (always, in the installed app). */
export function debugLockedDown(): boolean {
  return isDebugLockedDown(app.isPackaged, process.env);
}

/**
 * Locked down, exits at once (before any window exists) when Parley was started with a debugging
 * switch, saying so in one line on stderr. Returns whether it is exiting. Both argv and Chromium's
 * parsed command line are checked, so neither spelling nor parsing differences let one through.
 */
export function exitOnDebuggingSwitch(): boolean {
  if (!debugLockedDown()) return false;
  const found = [
    ...debuggingSwitchesIn(process.argv, process.platform),
    ...DEBUGGING_SWITCHES.filter((name) => app.commandLine.hasSwitch(name)).map(
      (name) => `--${name}`,
    ),
  ];
  if (found.length === 0) return false;
  process.stderr.write(`${debuggingRefusal([...new Set(found)])}\n`);
  app.exit(1);
  return true;
}

/** Replaces Electron's default menu (which offers Toggle Developer Tools) with Parley's own. */
export function installApplicationMenu(): void {
  const template = applicationMenuTemplate({
    appName: app.name,
    platform: process.platform,
    lockedDown: debugLockedDown(),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Locked down, DevTools that open anyway (a window built without devTools: false) close at once. */
export function closeDevToolsWhenLockedDown(contents: WebContents): void {
  if (!debugLockedDown()) return;
  contents.on('devtools-opened', () => contents.closeDevTools());
}
