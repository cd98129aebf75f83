import { app, BrowserWindow, dialog, utilityProcess, systemPreferences } from 'electron';
import * as keytar from 'keytar';
import { join } from 'node:path';
import { serverOrigin } from '../protocol/auth';
import { AccountFile } from './account/AccountFile';
import { accountDir, accountScope } from './account/accountScope';
import { adoptLegacyAccount } from './account/adoptLegacyAccount';
import { confirmAccountRemoval } from './account/accountRemovalDialog';
import { electronMessageBox } from './account/electronMessageBox';
import { registerAppSchemeAsPrivileged, serveAppProtocol } from './appProtocol/registerAppProtocol';
import { EmbeddedServer, type ForkServer } from './embeddedServer/EmbeddedServer';
import { chooseServer, embeddedServerArgs, type ServerChoice } from './embeddedServer/serverChoice';
import { DEEP_LINK_SCHEME } from './deepLink/deepLink';
import { startDesktopShell, type DesktopShell } from './desktop/desktopShell';
import { DeviceIdentity } from './identity/DeviceIdentity';
import { CallKeySigningLimit } from './identity/CallKeySigningLimit';
import { electronIpcPort } from './ipc/electronIpcPort';
import { registerIpcHandlers } from './ipc/IpcHandlers';
import { MediaAccess } from './media/MediaAccess';
import { createElectronLinkConsent } from './linking/electronLinkConsent';
import { LinkCertifier } from './linking/LinkCertifier';
import { KeychainStore } from './keychain/KeychainStore';
import { profileKeychainService } from './keychain/profileKeychainService';
import { ContactPinFile } from './pins/ContactPinFile';
import { contentSecurityPolicy } from './security/contentSecurityPolicy';
import { exitOnDebuggingSwitch, installApplicationMenu } from './security/electronLockdown';
import { startFailureMessage } from './startup/startFailureMessage';
import { startUpdates } from './update/electronUpdater';
import { createMainWindow, hardenAllWebContents } from './window/MainWindow';

// dist/main/main.js sits beside dist/preload, dist/renderer and dist/server.
const distDir = join(__dirname, '..');

const forkWithUtilityProcess: ForkServer = (modulePath, args) =>
  utilityProcess.fork(modulePath, args, { stdio: 'pipe', serviceName: 'Parley server' });

const embeddedServer = new EmbeddedServer(forkWithUtilityProcess);
let mainWindow: BrowserWindow | null = null;
let shell: DesktopShell | null = null;
// macOS delivers deep links through open-url, possibly before the shell exists.
const earlyDeepLinks: string[] = [];
// Electron's own userData folder, before PARLEY_USER_DATA_DIR may replace it: the default profile.
let defaultUserDataDir = '';

async function serverWsUrl(choice: ServerChoice): Promise<string> {
  if (choice.kind === 'external') return choice.wsUrl;
  const address = await embeddedServer.start(
    join(distDir, 'server', 'main.js'),
    embeddedServerArgs(app.getPath('userData')),
  );
  return address.wsUrl;
}

async function onReady(): Promise<void> {
  hardenAllWebContents(() => mainWindow?.webContents.id ?? null);
  installApplicationMenu();
  const choice = chooseServer(process.env);
  const wsUrl = await serverWsUrl(choice);
  serveAppProtocol(join(distDir, 'renderer'), contentSecurityPolicy(wsUrl));

  // An explicit service (the desktop end-to-end suite) wins; else each profile has its own.
  // Within it, and in the profile's folder, each server has its own account and key.
  const userDataDir = app.getPath('userData');
  const scope = accountScope(choice);
  const keychain = new KeychainStore(
    keytar,
    process.env.PARLEY_KEYCHAIN_SERVICE ||
      profileKeychainService({ userDataDir, defaultUserDataDir }),
    scope,
  );
  const scopeDir = accountDir(userDataDir, scope);
  await adoptLegacyAccount({ userDataDir, accountDir: scopeDir }, keychain, (message) =>
    console.log(`parley: ${message}`),
  );
  const messageBox = electronMessageBox(() => mainWindow);
  const desktop = await startDesktopShell({
    distDir,
    userDataDir,
    mainWindow: () => mainWindow,
    log: (message) => console.log(`parley: ${message}`),
  });
  shell = desktop;
  const updates = await startUpdates({
    mainWindow: () => mainWindow,
    log: (message) => console.log(`parley: ${message}`),
  });
  const identity = new DeviceIdentity(keychain, serverOrigin(wsUrl));
  registerIpcHandlers(
    electronIpcPort,
    {
      config: () => ({
        serverUrl: wsUrl,
        appVersion: app.getVersion(),
        platform: process.platform,
      }),
      account: new AccountFile(scopeDir),
      accountRemoval: { confirm: (account) => confirmAccountRemoval(messageBox, account) },
      identity,
      linkCertificates: new LinkCertifier(
        identity,
        createElectronLinkConsent(() => mainWindow),
        Date.now,
      ),
      pins: new ContactPinFile(scopeDir),
      now: () => Date.now(),
      callKeySigning: new CallKeySigningLimit(),
      mediaAccess: new MediaAccess(process.platform, systemPreferences),
      ...desktop.services,
      // Updates wait for a call to end: they see every call-state report too.
      callState: {
        report: (report) => {
          desktop.services.callState.report(report);
          updates.callStateChanged(report);
        },
      },
    },
    {
      app: () => mainWindow?.webContents.id ?? null,
      incoming: desktop.incomingWebContentsId,
      picker: desktop.pickerWebContentsId,
    },
  );

  mainWindow = createMainWindow(join(distDir, 'preload', 'preload.js'));
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  desktop.attachMainWindow(mainWindow);
  desktop.openFromArgv(process.argv);
  for (const url of earlyDeepLinks.splice(0)) desktop.openUrl(url);
}

function start(): void {
  // The installed app cannot be debugged: it refuses to start with a debugging switch.
  if (exitOnDebuggingSwitch()) return;
  defaultUserDataDir = app.getPath('userData');
  // A separate profile (the desktop end-to-end suite, or a second account on one machine).
  if (process.env.PARLEY_USER_DATA_DIR) app.setPath('userData', process.env.PARLEY_USER_DATA_DIR);
  // A second instance would start a second server on the same data folder; focus the first.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', (_event, argv) => {
    shell?.showMainWindow();
    shell?.openFromArgv(argv);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (shell) shell.openUrl(url);
    else earlyDeepLinks.push(url);
  });
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);

  // Every renderer the app ever creates is sandboxed, whatever its window options say.
  app.enableSandbox();
  registerAppSchemeAsPrivileged();
  app.whenReady().then(onReady).catch(fail);
  app.on('window-all-closed', () => app.quit());

  let stopping = false;
  app.on('will-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    void embeddedServer.stop().finally(() => app.quit());
  });
}

function fail(error: unknown): void {
  console.error('parley: start-up failed', error);
  dialog.showErrorBox('Parley could not start', startFailureMessage(error));
  app.exit(1);
}

start();
