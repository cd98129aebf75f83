import * as keytar from 'keytar';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountFile } from '../../../main/account/AccountFile';
import { accountDir as accountDirOf } from '../../../main/account/accountScope';
import { confirmAccountRemoval } from '../../../main/account/accountRemovalDialog';
import { CallKeySigningLimit } from '../../../main/identity/CallKeySigningLimit';
import { DeviceIdentity } from '../../../main/identity/DeviceIdentity';
import { registerIpcHandlers, type IpcMainPort } from '../../../main/ipc/IpcHandlers';
import type { IpcSender } from '../../../main/ipc/senderPolicy';
import { KeychainStore, keychainAccounts } from '../../../main/keychain/KeychainStore';
import { LinkCertifier, type LinkConsentRequest } from '../../../main/linking/LinkCertifier';
import { MediaAccess } from '../../../main/media/MediaAccess';
import { ContactPinFile } from '../../../main/pins/ContactPinFile';
import { DesktopSettingsService } from '../../../main/settings/DesktopSettingsService';
import { SettingsFile } from '../../../main/settings/SettingsFile';
import { ShortcutController } from '../../../main/shortcuts/ShortcutController';
import {
  ScreenShareBroker,
  type CapturerSource,
  type DisplayMediaAnswer,
  type DisplayMediaRequest,
} from '../../../main/screenShare/ScreenShareBroker';
import type { IncomingChannel } from '../../../protocol/incomingIpc';
import type { IpcChannel } from '../../../protocol/ipc';
import type { PickerChannel } from '../../../protocol/pickerIpc';
import { FakeMessageBox } from '../account/FakeMessageBox';
import { createDesktop, FakeGlobalShortcuts } from '../desktop/fakePorts';
import { ManualTimers } from '../screenShare/manualTimers';
import { recordingKeytar, uniqueServiceName } from '../secretService';

/** The server the harness's main talks to, and the origin it signs into sign-in texts. */
export const HARNESS_SERVER_URL = 'ws://127.0.0.1:4000/ws';
export const HARNESS_SERVER_ORIGIN = 'ws://127.0.0.1:4000';

export const APP_WEB_CONTENTS_ID = 7;
export const INCOMING_WEB_CONTENTS_ID = 8;
export const PICKER_WEB_CONTENTS_ID = 9;

/** The main frame of Parley's own window, as the Electron adapter describes it. */
export const appSender: IpcSender = {
  webContentsId: APP_WEB_CONTENTS_ID,
  frame: { url: 'app://parley/index.html', isMainFrame: true },
};

/** The main frame of the incoming-call window. */
export const incomingSender: IpcSender = {
  webContentsId: INCOMING_WEB_CONTENTS_ID,
  frame: { url: 'app://parley/incoming.html', isMainFrame: true },
};

/** The main frame of main's screen picker window. */
export const pickerSender: IpcSender = {
  webContentsId: PICKER_WEB_CONTENTS_ID,
  frame: { url: 'app://parley/picker.html', isMainFrame: true },
};

/** Any channel of the three window kinds. */
export type AnyChannel = IpcChannel | IncomingChannel | PickerChannel;

/** The sender each channel belongs to: the window kind its prefix names. */
export function ownSender(channel: AnyChannel): IpcSender {
  if (channel.startsWith('incoming:')) return incomingSender;
  if (channel.startsWith('picker:')) return pickerSender;
  return appSender;
}

export const screenSources: CapturerSource[] = [
  {
    id: 'screen:0:0',
    name: 'Entire screen',
    thumbnail: { toDataURL: () => 'data:image/png;base64,AA==' },
  },
];

/**
 * Main's real IPC handlers over the real keychain and a real account file in a temp userData
 * folder, driven the way ipcMain would drive them.
 */
export async function createIpcHarness() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'parley-userdata-'));
  const service = uniqueServiceName('ipc');
  const recorder = recordingKeytar();
  const keychain = new KeychainStore(recorder, service, HARNESS_SERVER_ORIGIN);
  const accountDir = accountDirOf(userDataDir, HARNESS_SERVER_ORIGIN);
  const account = new AccountFile(accountDir);
  const warnings: string[] = [];
  // The user agrees to removing the account unless a test says otherwise.
  const messageBox = new FakeMessageBox();
  messageBox.answer = 'Remove account';
  const pins = new ContactPinFile(accountDir, (message) => warnings.push(message));
  const listeners = new Map<string, (sender: IpcSender, args: unknown[]) => Promise<unknown>>();
  const desktop = createDesktop({ visible: false, focused: false });
  const shortcutKeys = new FakeGlobalShortcuts();
  const settings = await DesktopSettingsService.load(
    new SettingsFile(userDataDir, (message) => warnings.push(message)),
    new ShortcutController(shortcutKeys, (a) => desktop.controller.shortcutPressed(a), {
      sessionType: 'x11',
    }),
    'linux',
    (message) => warnings.push(message),
  );
  const screenAnswers: DisplayMediaAnswer[] = [];
  const screenClock = new ManualTimers();
  const identity = new DeviceIdentity(keychain, HARNESS_SERVER_ORIGIN);
  /** Moves the link certifier's clock, to let remembered codes expire. */
  const linkClock = { offsetMs: 0 };
  /** main's link dialog: records what it showed and answers as the test says (agree by default). */
  const linkConsent = {
    shown: [] as LinkConsentRequest[],
    agree: true,
    async confirm(request: LinkConsentRequest) {
      linkConsent.shown.push(request);
      return linkConsent.agree;
    },
  };
  /** Main's picker window: open while a screen-share request waits for the user. */
  const pickerWindow = {
    isOpen: false,
    open() {
      pickerWindow.isOpen = true;
    },
    close() {
      pickerWindow.isOpen = false;
    },
  };
  const screenShare = new ScreenShareBroker(
    { getSources: async () => screenSources },
    screenClock,
    'linux',
    () => APP_WEB_CONTENTS_ID,
    pickerWindow,
    () => undefined,
  );
  const port: IpcMainPort = {
    handle(channel, listener) {
      if (listeners.has(channel)) throw new Error(`${channel} registered twice`);
      listeners.set(channel, listener);
    },
  };
  registerIpcHandlers(
    port,
    {
      config: () => ({
        serverUrl: HARNESS_SERVER_URL,
        appVersion: '0.1.0',
        platform: 'linux',
      }),
      account,
      accountRemoval: { confirm: (stored) => confirmAccountRemoval(messageBox, stored) },
      identity,
      linkCertificates: new LinkCertifier(
        identity,
        linkConsent,
        () => Date.now() + linkClock.offsetMs,
      ),
      pins,
      now: () => Date.now(),
      callKeySigning: new CallKeySigningLimit(),
      // The harness's main runs on Linux, where the OS keeps no camera or microphone setting.
      mediaAccess: new MediaAccess('linux', {
        getMediaAccessStatus: () => {
          throw new Error('systemPreferences is macOS and Windows only');
        },
        askForMediaAccess: () => Promise.reject(new Error('macOS only')),
      }),
      callState: { report: (report) => desktop.controller.report(report) },
      settings,
      screenShare,
      incoming: {
        current: () => desktop.controller.incomingCall(),
        accept: (choice) => desktop.controller.acceptFromIncomingWindow(choice),
        decline: (choice) => desktop.controller.declineFromIncomingWindow(choice),
      },
    },
    {
      app: () => APP_WEB_CONTENTS_ID,
      incoming: () => INCOMING_WEB_CONTENTS_ID,
      picker: () => (pickerWindow.isOpen ? PICKER_WEB_CONTENTS_ID : null),
    },
  );

  return {
    userDataDir,
    accountDir,
    service,
    keytarCalls: recorder.calls,
    accountFile: account,
    messageBox,
    pinFile: pins,
    warnings,
    desktop,
    shortcutKeys,
    screenAnswers,
    linkConsent,
    linkClock,
    screenClock,
    pickerWindow,
    /** A getDisplayMedia from the app window after a click (unless overridden). */
    requestScreenShare(overrides: Partial<DisplayMediaRequest> = {}) {
      screenShare.request(
        {
          webContentsId: APP_WEB_CONTENTS_ID,
          securityOrigin: 'app://parley',
          isMainFrame: true,
          userGesture: true,
          ...overrides,
        },
        (answer) => screenAnswers.push(answer),
      );
    },
    hasPendingScreenShare: () => screenShare.hasPendingRequest(),
    registeredChannels: () => [...listeners.keys()],
    invoke(channel: AnyChannel, args: unknown[], sender?: IpcSender) {
      sender ??= ownSender(channel);
      const listener = listeners.get(channel);
      if (!listener) throw new Error(`no handler for ${channel}`);
      return listener(sender, args);
    },
    /** The stored secrets, read straight from the keychain: every entry of the service. */
    async secrets() {
      const entries = await keytar.findCredentials(service);
      return {
        privateKey: await keytar.getPassword(
          service,
          keychainAccounts.identityPrivateKey(HARNESS_SERVER_ORIGIN),
        ),
        entries: entries.map((entry) => entry.account).sort(),
      };
    },
    async dispose() {
      for (const entry of await keytar.findCredentials(service)) {
        await keytar.deletePassword(service, entry.account);
      }
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export type IpcHarness = Awaited<ReturnType<typeof createIpcHarness>>;
