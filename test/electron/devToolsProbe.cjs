// Electron's entry script for the desktop suite's DevTools test: starts Parley's own main process
// (dist/main/main.js, as `electron .` does) and reports what only a running Electron knows, the
// application menu as built and whether DevTools open in the main window, as one line
// `DEVTOOLS-PROBE <json>` on stdout; then it exits. The locked-down app refuses the debugging
// switch Playwright needs, so the suite cannot ask it any other way.
const { app, Menu } = require('electron');
const { join } = require('node:path');

// The development build opens DevTools well within this; the locked-down app must not at all.
const DEVTOOLS_OPEN_WAIT_MS = 15_000;

function menuItems(menu) {
  if (!menu) return [];
  return menu.items.flatMap((item) => [
    { label: item.label, role: item.role ? String(item.role).toLowerCase() : null },
    ...menuItems(item.submenu),
  ]);
}

function devToolsOpen(contents) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), DEVTOOLS_OPEN_WAIT_MS);
    contents.once('devtools-opened', () => {
      clearTimeout(timer);
      resolve(true);
    });
    contents.openDevTools({ mode: 'detach' });
  });
}

app.on('browser-window-created', (_event, window) => {
  window.webContents.once('did-finish-load', async () => {
    if (!window.webContents.getURL().endsWith('/index.html')) return;
    const report = {
      menu: menuItems(Menu.getApplicationMenu()),
      devToolsOpened: await devToolsOpen(window.webContents),
    };
    process.stdout.write(`DEVTOOLS-PROBE ${JSON.stringify(report)}\n`);
    app.exit(0);
  });
});

require(join(__dirname, '../../dist/main/main.js'));
