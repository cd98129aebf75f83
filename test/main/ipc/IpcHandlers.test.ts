import { isolateName } from '../../../protocol/nameText';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  MAX_LINK_CERTIFICATE_LIFETIME_MS,
  MAX_REMEMBERED_LINK_CODES,
} from '../../../main/linking/LinkCertifier';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IpcSender } from '../../../main/ipc/senderPolicy';
import { incomingChannels, type IncomingChannel } from '../../../protocol/incomingIpc';
import { ipcChannels, type ContactPin, type IpcChannel } from '../../../protocol/ipc';
import { callReports, groupCallReports, groupInviteReports } from '../desktop/callReports';
import { requireSecretService } from '../secretService';
import { pickerChannels, type PickerChannel } from '../../../protocol/pickerIpc';
import {
  appSender,
  createIpcHarness,
  INCOMING_WEB_CONTENTS_ID,
  incomingSender,
  ownSender,
  pickerSender,
  type AnyChannel,
  HARNESS_SERVER_ORIGIN,
  type IpcHarness,
} from './ipcHarness';

/** Bob's display name as notifications and the tray carry it (isolated). */
const BOB = isolateName('Bob');

const nonce = randomBytes(32).toString('base64');
const sessionId = randomBytes(32).toString('base64');
const account = { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' };
const keyShare = {
  role: 'caller',
  callId: randomUUID(),
  username: 'alice',
  deviceId: 'device-0001',
  ephemeralKey: randomBytes(32).toString('base64'),
  fingerprint: `sha-256 ${randomBytes(32).toString('hex').toUpperCase().match(/../g)?.join(':')}`,
};
const memberShare = {
  callId: keyShare.callId,
  slot: 2,
  username: 'alice',
  deviceId: 'device-0001',
  ephemeralKey: randomBytes(32).toString('base64'),
};
const newDeviceKey = randomBytes(32).toString('base64');
const linkCertificate = {
  username: 'alice',
  identityKey: newDeviceKey,
  deviceName: 'Phone',
  code: '7KQ2-M9XD-4TRB',
  expiresAt: Date.now() + 5 * 60_000,
};
const bobPin: ContactPin = {
  username: 'bob',
  identityKey: randomBytes(32).toString('base64'),
  verified: false,
  firstSeenAt: 1_700_000_000_000,
};

const ringing = callReports();
const desktopSettings = {
  closeToTray: false,
  doNotDisturb: true,
  shortcuts: {
    toggleMute: 'Control+Alt+F9',
    hangUp: null,
    acceptCall: 'Control+Alt+F10',
    declineCall: 'Control+Alt+F11',
  },
};

/** One valid call per channel, so each hostile variant differs from it in one way only. */
const validArgs: { [C in AnyChannel]: unknown[] } = {
  'config:get': [],
  'account:get': [],
  'account:set': [account],
  'account:clear': [],
  'identity:public-key': [],
  'identity:create': [],
  'identity:sign-register': [{ nonce, username: 'alice' }],
  'identity:sign-login': [{ nonce, username: 'alice', deviceId: 'device-0001' }],
  'identity:sign-resume': [{ nonce, sessionId }],
  'identity:sign-call-key': [keyShare],
  'identity:sign-member-key': [memberShare],
  'identity:sign-link-request': [{ nonce }],
  'identity:sign-link-certificate': [linkCertificate],
  'pins:get': [],
  'pins:put': [{ ...bobPin, verified: true }],
  'call-state:report': [ringing.inCall],
  'settings:get': [],
  'settings:set': [desktopSettings],
  'shortcuts:status': [],
  'media-access:request': ['camera'],
  'incoming:get-call': [],
  'incoming:accept': [{ callId: ringing.callId, media: 'video' }],
  'incoming:decline': [{ callId: ringing.callId }],
  'picker:get-sources': [],
  'picker:choose': [{ sourceId: null, audio: false }],
};
const channels = [
  ...(Object.keys(ipcChannels) as IpcChannel[]),
  ...(Object.keys(incomingChannels) as IncomingChannel[]),
  ...(Object.keys(pickerChannels) as PickerChannel[]),
];
const schemaOf = (channel: AnyChannel) =>
  channel in ipcChannels
    ? ipcChannels[channel as IpcChannel]
    : channel in incomingChannels
      ? incomingChannels[channel as IncomingChannel]
      : pickerChannels[channel as PickerChannel];
const huge = 'A'.repeat(1_000_000);

function hostileArgs(channel: AnyChannel): [string, unknown[]][] {
  const valid = validArgs[channel];
  const cases: [string, unknown[]][] = [
    ['one argument too many', [...valid, 'extra']],
    ['an unexpected leading object', [{ then: 'x' }, ...valid]],
  ];
  const [first] = valid;
  if (valid.length === 0) return cases;
  cases.push(
    ['no arguments', []],
    ['a number', [42]],
    ['an array', [[first]]],
    ['a huge string', [huge]],
  );
  if (typeof first === 'object' && first !== null) {
    const fields = first as Record<string, unknown>;
    cases.push(
      ['null', [null]],
      ['an extra key', [{ ...fields, extra: 1 }]],
      [
        'a __proto__ key',
        [JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(fields).slice(1)}`)],
      ],
      ['a constructor key', [{ ...fields, constructor: { prototype: { polluted: true } } }]],
      ['a prototype key', [{ ...fields, prototype: { polluted: true } }]],
      ['a missing field', [Object.fromEntries(Object.entries(fields).slice(1))]],
    );
    for (const key of Object.keys(fields)) {
      cases.push([`a huge ${key}`, [{ ...fields, [key]: huge }]]);
      if (typeof fields[key] === 'number') {
        cases.push([`a string ${key}`, [{ ...fields, [key]: '12345678' }]]);
        cases.push([`a non-finite ${key}`, [{ ...fields, [key]: Number.POSITIVE_INFINITY }]]);
      } else cases.push([`a numeric ${key}`, [{ ...fields, [key]: 12345678 }]]);
      if (typeof fields[key] === 'object' && fields[key] !== null) {
        const inner = fields[key] as Record<string, unknown>;
        cases.push([`an extra key in ${key}`, [{ ...fields, [key]: { ...inner, extra: 1 } }]]);
        cases.push([
          `a __proto__ key in ${key}`,
          [
            {
              ...fields,
              [key]: JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(inner).slice(1)}`),
            },
          ],
        ]);
      }
    }
  }
  return cases;
}

/** Senders refused on `channel`: its own window gone wrong, and the other window kinds. */
function hostileSenders(channel: AnyChannel): [string, IpcSender][] {
  const own = ownSender(channel);
  const frame = own.frame as { url: string };
  const senders: [string, IpcSender][] = [
    ['another origin', { ...own, frame: { url: 'https://evil.example/', isMainFrame: true } }],
    ['a subframe of the window', { ...own, frame: { url: frame.url, isMainFrame: false } }],
    [
      'a look-alike host',
      { ...own, frame: { url: 'app://parley.evil/index.html', isMainFrame: true } },
    ],
    ['credentials in the URL', { ...own, frame: { url: 'app://parley@evil/', isMainFrame: true } }],
    ['a file: page', { ...own, frame: { url: 'file:///etc/passwd', isMainFrame: true } }],
    ['another window', { webContentsId: 99, frame: own.frame }],
    ['a destroyed frame', { ...own, frame: null }],
  ];
  const others: [string, IpcSender][] = [
    ['the main window', appSender],
    ['the incoming-call window', incomingSender],
    ['the screen picker window', pickerSender],
  ];
  senders.push(...others.filter(([, sender]) => sender !== own));
  if (own !== appSender) {
    senders.push(
      [
        'its window on another page',
        { ...own, frame: { url: 'app://parley/index.html', isMainFrame: true } },
      ],
      [
        'its page with a query',
        { ...own, frame: { url: `${(own.frame as { url: string }).url}?x`, isMainFrame: true } },
      ],
    );
  }
  return senders;
}

let harness: IpcHarness;

/**
 * Every file under the user data folder with its contents, by path below it; the folder of the
 * server in use (accounts/<hash>) is written `<server>`.
 */
async function userDataFiles(): Promise<Record<string, string>> {
  const entries = await readdir(harness.userDataDir, { withFileTypes: true, recursive: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    const shown = path.startsWith(harness.accountDir)
      ? `<server>${path.slice(harness.accountDir.length)}`
      : path.slice(harness.userDataDir.length);
    files[shown] = await readFile(path, 'utf8');
  }
  return files;
}

/** The state a refused call must leave exactly as it was, including everything a user sees. */
async function snapshot() {
  const { desktop } = harness;
  return {
    files: await userDataFiles(),
    secrets: await harness.secrets(),
    hostActions: [...desktop.sent],
    notifications: JSON.stringify(desktop.notifications.shown),
    incomingWindowOpen: desktop.incomingWindow.open_,
    pickerWindowOpen: harness.pickerWindow.isOpen,
    tray: { icon: desktop.tray.icon, tip: desktop.tray.toolTip, menu: desktop.tray.menuText() },
    shortcuts: [...harness.shortcutKeys.callbacks.keys()],
    screenAnswers: [...harness.screenAnswers],
    screenSharePending: harness.hasPendingScreenShare(),
    dialogs: harness.messageBox.shown.map((box) => box.message),
    linkDialogs: harness.linkConsent.shown.length,
  };
}

async function expectRefusedTouchingNothing(
  channel: IpcChannel | IncomingChannel,
  args: unknown[],
  reason: string,
): Promise<void> {
  const before = await snapshot();
  harness.keytarCalls.length = 0;
  await expect(harness.invoke(channel, args)).rejects.toThrow(
    `Parley IPC "${channel}" refused: ${reason}`,
  );
  expect(harness.keytarCalls).toEqual([]);
  expect(await snapshot()).toEqual(before);
}

beforeAll(requireSecretService);
beforeEach(async () => {
  harness = await createIpcHarness();
  await harness.invoke('identity:create', []);
  await harness.invoke('account:set', [account]);
  await harness.invoke('pins:put', [bobPin]);
  // A call rings while the window is hidden, and a screen-share request waits for the picker.
  await harness.invoke('call-state:report', [ringing.incoming]);
  harness.requestScreenShare();
  harness.keytarCalls.length = 0;
});
afterEach(() => harness.dispose());

describe('main IPC handlers', () => {
  it('registers exactly one handler per channel of protocol/ipc.ts, incomingIpc.ts and pickerIpc.ts', () => {
    expect(harness.registeredChannels().sort()).toEqual([...channels].sort());
  });

  describe.each(channels)('%s', (channel) => {
    it.each(hostileArgs(channel))('refuses %s and touches nothing', async (_name, args) => {
      const before = await snapshot();
      harness.keytarCalls.length = 0;
      await expect(harness.invoke(channel, args)).rejects.toThrow(
        `Parley IPC "${channel}" refused: invalid arguments`,
      );
      expect(harness.keytarCalls).toEqual([]);
      expect(await snapshot()).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each(hostileSenders(channel))(
      'refuses a call from %s and touches nothing',
      async (_name, sender) => {
        const before = await snapshot();
        harness.keytarCalls.length = 0;
        await expect(harness.invoke(channel, validArgs[channel], sender)).rejects.toThrow(
          new RegExp(`^Parley IPC "${channel}" refused: the send`),
        );
        expect(harness.keytarCalls).toEqual([]);
        expect(await snapshot()).toEqual(before);
      },
    );

    it('accepts the valid call from its own window', async () => {
      const result = await harness.invoke(channel, validArgs[channel]);
      expect(schemaOf(channel).result.safeParse(result).success).toBe(true);
    });
  });

  it('keeps the refusal message short even for a huge argument', async () => {
    const error = await harness
      .invoke('identity:sign-resume', [{ nonce, sessionId: huge }])
      .catch((e: Error) => e);
    expect((error as Error).message.length).toBeLessThan(1000);
  });

  it('serves the account and config a signed-in window needs', async () => {
    expect(await harness.invoke('config:get', [])).toEqual({
      serverUrl: 'ws://127.0.0.1:4000/ws',
      appVersion: '0.1.0',
      platform: 'linux',
    });
    expect(await harness.invoke('account:get', [])).toEqual(account);
  });

  it('has no channel that hands out a session credential, and keeps none in the keychain', async () => {
    expect(harness.registeredChannels().filter((channel) => /token|session/.test(channel))).toEqual(
      [],
    );
    // The only secret main holds is the identity key, under its server's name.
    expect((await harness.secrets()).entries).toEqual([
      `device-identity-private-key ${HARNESS_SERVER_ORIGIN}`,
    ]);
  });

  it('signs a login only as this device, refusing another username or device id', async () => {
    await expectRefusedTouchingNothing(
      'identity:sign-login',
      [{ nonce, username: 'mallory', deviceId: 'device-0001' }],
      "the login names another account or device than this device's",
    );
    await expectRefusedTouchingNothing(
      'identity:sign-login',
      [{ nonce, username: 'alice', deviceId: 'device-0666' }],
      "the login names another account or device than this device's",
    );
  });

  it('forgets the account, its identity key and its pins on account:clear', async () => {
    await harness.invoke('account:clear', []);
    expect(harness.messageBox.shown.map((box) => box.message)).toEqual([
      'Remove @alice from this device?',
    ]);
    expect(await harness.invoke('account:get', [])).toBeNull();
    expect(await harness.secrets()).toEqual({ privateKey: null, entries: [] });
    expect(await harness.invoke('identity:public-key', [])).toBeNull();
    expect(await userDataFiles()).toEqual({});
    // Signing in again as the same user does not bring the old pins back.
    await harness.invoke('account:set', [account]);
    expect(await harness.invoke('pins:get', [])).toEqual([]);
  });

  it('replaces the account file atomically, leaving no temp files behind', async () => {
    const renamed = { ...account, displayName: 'Alice Liddell' };
    await harness.invoke('account:set', [renamed]);
    expect(await harness.invoke('account:get', [])).toEqual(renamed);
    expect(Object.keys(await userDataFiles()).sort()).toEqual([
      '<server>/account.json',
      '<server>/pins/alice.json',
    ]);
  });

  describe('desktop channels', () => {
    it('rings through main when the renderer reports an incoming call while hidden', async () => {
      expect(harness.desktop.notifications.openTitles()).toEqual([`${BOB} (@bob) is calling`]);
      expect(harness.desktop.incomingWindow.ringtonePlaying).toBe(true);
      await harness.invoke('call-state:report', [ringing.ended('missed')]);
      expect(harness.desktop.incomingWindow.ringtonePlaying).toBe(false);
      expect(harness.desktop.notifications.openTitles()).toEqual([
        `Missed call from ${BOB} (@bob)`,
      ]);
      expect(harness.desktop.tray.icon).toBe('missed-1');
    });

    it('takes a group call in progress: the tray shows it, shortcuts act on it, leaving is no missed call', async () => {
      const { desktop } = harness;
      await harness.invoke('call-state:report', [ringing.ended('declined')]);
      await harness.invoke('settings:set', [desktopSettings]);
      const group = groupCallReports();
      await harness.invoke('call-state:report', [group.inCall]);
      expect(desktop.tray.icon).toBe('in-call');
      expect(desktop.tray.item('hang-up').enabled).toBe(true);
      desktop.sent.length = 0;
      harness.shortcutKeys.press(desktopSettings.shortcuts.toggleMute!);
      expect(desktop.sent).toEqual([{ kind: 'toggleMute', callId: group.callId }]);
      await harness.invoke('call-state:report', [group.left]);
      // No missed-call badge: we were in that call.
      expect(desktop.tray.icon).toBe('idle');
      expect(desktop.tray.title).toBe('');
    });

    it('saves settings, re-registers shortcuts and reports their status', async () => {
      const port = harness.shortcutKeys;
      port.takenElsewhere.add('Control+Alt+F11');
      const stored = await harness.invoke('settings:set', [desktopSettings]);
      expect(stored).toEqual(desktopSettings);
      expect(await harness.invoke('settings:get', [])).toEqual(desktopSettings);
      const files = await userDataFiles();
      expect(JSON.parse(files['/settings.json'] as string)).toEqual(desktopSettings);
      expect(await harness.invoke('shortcuts:status', [])).toEqual([
        { action: 'toggleMute', accelerator: 'Control+Alt+F9', registered: true, problem: null },
        { action: 'hangUp', accelerator: null, registered: false, problem: null },
        { action: 'acceptCall', accelerator: 'Control+Alt+F10', registered: true, problem: null },
        {
          action: 'declineCall',
          accelerator: 'Control+Alt+F11',
          registered: false,
          problem: 'Taken by another application or not allowed by the system',
        },
      ]);
    });

    it('reports that Linux keeps no camera or microphone setting, and refuses any other input', async () => {
      await expect(harness.invoke('media-access:request', ['camera'])).resolves.toEqual({
        input: 'camera',
        status: 'not-applicable',
        asked: false,
      });
      const before = await snapshot();
      await expect(harness.invoke('media-access:request', ['screen'])).rejects.toThrow(
        /^Parley IPC "media-access:request" refused: invalid arguments: argument 0/,
      );
      expect(await snapshot()).toEqual(before);
    });

    it('refuses duplicate or malformed shortcuts and changes nothing', async () => {
      const duplicate = {
        ...desktopSettings,
        shortcuts: { ...desktopSettings.shortcuts, hangUp: 'Ctrl+Alt+F9' },
      };
      const before = await snapshot();
      await expect(harness.invoke('settings:set', [duplicate])).rejects.toThrow(
        'settings refused: Control+Alt+F9 is set for both toggleMute and hangUp',
      );
      const bare = { ...desktopSettings, shortcuts: { ...desktopSettings.shortcuts, hangUp: 'Q' } };
      await expect(harness.invoke('settings:set', [bare])).rejects.toThrow(
        'settings refused: shortcut for hangUp',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('lets the picker window list the sources and answer the waiting request', async () => {
      expect(harness.pickerWindow.isOpen).toBe(true);
      expect(await harness.invoke('picker:get-sources', [])).toEqual([
        {
          id: 'screen:0:0',
          name: 'Entire screen',
          kind: 'screen',
          thumbnail: 'data:image/png;base64,AA==',
        },
      ]);
      await harness.invoke('picker:choose', [{ sourceId: 'screen:0:0', audio: true }]);
      expect(harness.screenAnswers).toEqual([
        expect.objectContaining({ kind: 'grant', systemAudio: false }),
      ]);
      expect(harness.pickerWindow.isOpen).toBe(false);
    });

    it('gives the main window no way to list the sources or choose one', async () => {
      expect(harness.registeredChannels().filter((c) => c.startsWith('screen:'))).toEqual([]);
      const before = await snapshot();
      await expect(harness.invoke('picker:get-sources', [], appSender)).rejects.toThrow(
        'Parley IPC "picker:get-sources" refused: the sender is not the screen picker window',
      );
      await expect(
        harness.invoke('picker:choose', [{ sourceId: 'screen:0:0', audio: false }], appSender),
      ).rejects.toThrow(
        'Parley IPC "picker:choose" refused: the sender is not the screen picker window',
      );
      expect(await snapshot()).toEqual(before);
      // The picker still gets the listing the main window was refused.
      expect(await harness.invoke('picker:get-sources', [])).toHaveLength(1);
    });

    describe('screen sources only for a screen share the user asked for in the app window', () => {
      const refusal = (call: Promise<unknown>) => call.catch((e: Error) => e.message);

      beforeEach(async () => {
        // The request beforeEach left waiting is cancelled: nothing waits now.
        await harness.invoke('picker:choose', [{ sourceId: null, audio: false }]);
        harness.screenAnswers.length = 0;
      });

      it('has no picker window, so nothing may list, while no request is waiting', async () => {
        expect(harness.pickerWindow.isOpen).toBe(false);
        expect(await refusal(harness.invoke('picker:get-sources', []))).toBe(
          'Parley IPC "picker:get-sources" refused: the sender is not the screen picker window',
        );
      });

      it('opens no picker for a getDisplayMedia made without a user gesture', async () => {
        harness.requestScreenShare({ userGesture: false });
        expect(harness.screenAnswers).toEqual([{ kind: 'deny', reason: 'no user gesture' }]);
        expect(harness.pickerWindow.isOpen).toBe(false);
      });

      it("opens no picker for a getDisplayMedia from the incoming window's contents", async () => {
        harness.requestScreenShare({
          webContentsId: INCOMING_WEB_CONTENTS_ID,
          securityOrigin: 'app://parley/incoming.html',
        });
        expect(harness.screenAnswers).toEqual([{ kind: 'deny', reason: 'not the Parley window' }]);
        expect(harness.pickerWindow.isOpen).toBe(false);
      });

      it('lists once and answers one choice per request', async () => {
        harness.requestScreenShare();
        expect(await harness.invoke('picker:get-sources', [])).toHaveLength(1);
        await expect(harness.invoke('picker:get-sources', [])).rejects.toThrow(
          'screen share refused: the sources were already listed for this request',
        );
        await harness.invoke('picker:choose', [{ sourceId: 'screen:0:0', audio: false }]);
        await expect(
          harness.invoke('picker:choose', [{ sourceId: 'screen:0:0', audio: false }]),
        ).rejects.toThrow('refused: the sender is not the screen picker window');
        expect(harness.screenAnswers).toEqual([
          expect.objectContaining({ kind: 'grant', systemAudio: false }),
        ]);
      });
    });

    it('rings a group call reported by the renderer, and the incoming window joins it', async () => {
      await harness.invoke('call-state:report', [ringing.ended('declined')]);
      const invite = groupInviteReports();
      await harness.invoke('call-state:report', [invite.incoming]);
      expect(harness.desktop.incomingWindow.ringtonePlaying).toBe(true);
      expect(harness.desktop.tray.icon).toBe('ringing');
      expect(await harness.invoke('incoming:get-call', [])).toEqual({
        callId: invite.callId,
        peer: { username: 'bob', displayName: 'Bob' },
        media: 'video',
        group: {
          members: [
            { username: 'bob', displayName: 'Bob' },
            { username: 'carol', displayName: 'Carol' },
          ],
        },
      });
      await harness.invoke('incoming:accept', [{ callId: invite.callId, media: 'video' }]);
      expect(harness.desktop.sent).toEqual([{ kind: 'acceptCall', media: 'video' }]);
      expect(harness.desktop.incomingWindow.ringtonePlaying).toBe(false);
    });

    it('refuses a group report with too many people or a bad name in it, and touches nothing', async () => {
      const { incoming } = groupInviteReports();
      const member = (i: number) => ({ username: `user${i}`, displayName: `User ${i}` });
      const hostile = [
        { members: Array.from({ length: 17 }, (_, i) => member(i)) },
        { members: [{ username: 'carol', displayName: huge }] },
        { members: [{ username: 'Carol Smith', displayName: 'Carol' }] },
        { members: [{ ...member(1), identityKey: 'AAAA' }] },
        { members: member(1) },
      ];
      for (const group of hostile) {
        const before = await snapshot();
        await expect(harness.invoke('call-state:report', [{ ...incoming, group }])).rejects.toThrow(
          'Parley IPC "call-state:report" refused: invalid arguments',
        );
        expect(await snapshot()).toEqual(before);
      }
    });

    it('lets the incoming window read and answer only the ringing call', async () => {
      expect(await harness.invoke('incoming:get-call', [])).toEqual({
        callId: ringing.callId,
        peer: { username: 'bob', displayName: 'Bob' },
        media: 'video',
        group: null,
      });
      const before = await snapshot();
      await expect(
        harness.invoke('incoming:accept', [{ callId: randomUUID(), media: 'video' }]),
      ).rejects.toThrow('that call is not ringing');
      expect(await snapshot()).toEqual(before);
      await harness.invoke('incoming:accept', [{ callId: ringing.callId, media: 'audio' }]);
      expect(harness.desktop.sent).toEqual([{ kind: 'acceptCall', media: 'audio' }]);
      expect(harness.desktop.incomingWindow.ringtonePlaying).toBe(false);
      expect(await harness.invoke('incoming:get-call', [])).toBeNull();
    });
  });

  describe('signing only as this device', () => {
    it('refuses a call key share naming another user, and signs nothing', async () => {
      await expectRefusedTouchingNothing(
        'identity:sign-call-key',
        [{ ...keyShare, username: 'mallory' }],
        "the key share names another account or device than this device's",
      );
    });

    it('refuses a call key share naming another device of the same user', async () => {
      await expectRefusedTouchingNothing(
        'identity:sign-call-key',
        [{ ...keyShare, deviceId: 'device-0002' }],
        "the key share names another account or device than this device's",
      );
    });

    it('refuses a member key share naming another user or device, and signs nothing', async () => {
      for (const other of [{ username: 'mallory' }, { deviceId: 'device-0002' }]) {
        await expectRefusedTouchingNothing(
          'identity:sign-member-key',
          [{ ...memberShare, ...other }],
          "the key share names another account or device than this device's",
        );
      }
    });

    it('refuses a member key share with a slot out of range, a role or a fingerprint', async () => {
      for (const bad of [
        { ...memberShare, slot: 65_536 },
        { ...memberShare, slot: '2' },
        { ...memberShare, role: 'caller' },
        { ...memberShare, fingerprint: keyShare.fingerprint },
      ]) {
        await expectRefusedTouchingNothing('identity:sign-member-key', [bad], 'invalid arguments');
      }
    });

    it('refuses a call key share with an unknown role or a lower-case fingerprint', async () => {
      for (const bad of [
        { ...keyShare, role: 'observer' },
        { ...keyShare, fingerprint: keyShare.fingerprint.toLowerCase() },
        { ...keyShare, callId: 'not-a-uuid' },
      ]) {
        await expectRefusedTouchingNothing('identity:sign-call-key', [bad], 'invalid arguments');
      }
    });

    it('refuses to sign a call key share or a certificate with no account stored', async () => {
      await harness.accountFile.clear();
      await expectRefusedTouchingNothing(
        'identity:sign-call-key',
        [keyShare],
        'no account is stored on this device',
      );
      await expectRefusedTouchingNothing(
        'identity:sign-link-certificate',
        [linkCertificate],
        'no account is stored on this device',
      );
    });

    it('refuses to certify a key for another account', async () => {
      await expectRefusedTouchingNothing(
        'identity:sign-link-certificate',
        [{ ...linkCertificate, username: 'mallory' }],
        "the certificate names another account than this device's",
      );
    });

    it("refuses to certify the device's own key, asking nobody", async () => {
      const ownKey = await harness.invoke('identity:public-key', []);
      const before = await snapshot();
      await expect(
        harness.invoke('identity:sign-link-certificate', [
          { ...linkCertificate, identityKey: ownKey },
        ]),
      ).rejects.toThrow(
        `Parley IPC "identity:sign-link-certificate" refused: that is this device's own key`,
      );
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('the account of this device', () => {
    it.each([
      ['another username', { ...account, username: 'mallory' }],
      ['another device id', { ...account, deviceId: 'device-0002' }],
      ['both, with the same display name', { ...account, username: 'bob', deviceId: 'device-9' }],
    ])('refuses to change it to %s and keeps it as it was', async (_name, other) => {
      await expectRefusedTouchingNothing(
        'account:set',
        [other],
        'this device is already set up as @alice; only its display name can change',
      );
      expect(await harness.invoke('account:get', [])).toEqual(account);
    });

    it('still signs only as itself after a refused change', async () => {
      await harness.invoke('account:set', [{ ...account, username: 'mallory' }]).catch(() => null);
      await expect(
        harness.invoke('identity:sign-call-key', [{ ...keyShare, username: 'mallory' }]),
      ).rejects.toThrow("the key share names another account or device than this device's");
    });

    it('takes a new display name, and the same account again, as the renderer sends them', async () => {
      const renamed = { ...account, displayName: 'Alice Liddell' };
      await harness.invoke('account:set', [renamed]);
      expect(await harness.invoke('account:get', [])).toEqual(renamed);
      await harness.invoke('account:set', [renamed]);
      expect(await harness.invoke('account:get', [])).toEqual(renamed);
      expect(await harness.invoke('identity:sign-call-key', [keyShare])).toEqual({
        signature: expect.any(String),
        signedAt: expect.any(Number),
      });
    });

    it('refuses account:clear when the user keeps the account, and the key is still there', async () => {
      harness.messageBox.answer = 'Keep account';
      const key = await harness.invoke('identity:public-key', []);
      const before = await snapshot();
      harness.keytarCalls.length = 0;
      await expect(harness.invoke('account:clear', [])).rejects.toThrow(
        'Parley IPC "account:clear" refused: the user chose to keep the account on this device',
      );
      expect(harness.keytarCalls).toEqual([]);
      expect(await snapshot()).toEqual({
        ...before,
        dialogs: ['Remove @alice from this device?'],
      });
      expect(await harness.invoke('identity:public-key', [])).toBe(key);
      expect(await harness.invoke('account:get', [])).toEqual(account);
    });

    it('asks once at a time: a second account:clear while the dialog is up is refused', async () => {
      harness.messageBox.holdOpen();
      const first = harness.invoke('account:clear', []);
      await expect(harness.invoke('account:clear', [])).rejects.toThrow(
        'Parley IPC "account:clear" refused: the user is already being asked about removing the account',
      );
      harness.messageBox.answer = 'Keep account';
      harness.messageBox.answerNow();
      await expect(first).rejects.toThrow('the user chose to keep the account on this device');
      expect(harness.messageBox.shown).toHaveLength(1);
      expect((await harness.secrets()).privateKey).not.toBeNull();
    });

    it('lets a changed account be set only after the user removed the old one', async () => {
      const other = { ...account, username: 'dave', deviceId: 'device-0002' };
      await harness.invoke('account:clear', []);
      await harness.invoke('account:set', [other]);
      expect(await harness.invoke('account:get', [])).toEqual(other);
    });
  });

  describe('link certificates need the user in main', () => {
    const signLink = (input: object) =>
      harness.invoke('identity:sign-link-certificate', [input]) as Promise<string>;

    it('shows the device name and key fingerprint in main, and signs nothing when the user declines', async () => {
      harness.linkConsent.agree = false;
      const before = await snapshot();
      await expect(signLink({ ...linkCertificate, deviceName: 'Evil\u202Eenohp' })).rejects.toThrow(
        'Parley IPC "identity:sign-link-certificate" refused: the user did not approve the link',
      );
      // The fingerprint main computed itself, in the format both devices show while linking.
      const fingerprint = createHash('sha256')
        .update(Buffer.from(newDeviceKey, 'base64'))
        .digest('hex')
        .slice(0, 20)
        .toUpperCase()
        .match(/.{4}/g)
        ?.join(' ');
      expect(harness.linkConsent.shown).toEqual([
        {
          username: 'alice',
          deviceName: isolateName('Evil\u202Eenohp'),
          keyFingerprint: fingerprint,
          expiresAt: linkCertificate.expiresAt,
        },
      ]);
      expect(harness.keytarCalls.filter((call) => !call.startsWith('get '))).toEqual([]);
      expect({ ...(await snapshot()), linkDialogs: 0 }).toEqual(before);
    });

    it('signs once per link code: a second request for the same code is refused unasked', async () => {
      expect(await signLink(linkCertificate)).toMatch(/^[A-Za-z0-9+/]{86}==$/);
      expect(harness.linkConsent.shown).toHaveLength(1);
      for (const again of [
        linkCertificate,
        { ...linkCertificate, identityKey: bobPin.identityKey },
      ]) {
        await expectRefusedTouchingNothing(
          'identity:sign-link-certificate',
          [again],
          'this link code was already answered',
        );
      }
      // A declined code cannot be asked about again either (no dialog spam for one code).
      harness.linkConsent.agree = false;
      const declined = { ...linkCertificate, code: '7KQ2-M9XD-4TRC' };
      await expect(signLink(declined)).rejects.toThrow('the user did not approve the link');
      harness.linkConsent.agree = true;
      await expectRefusedTouchingNothing(
        'identity:sign-link-certificate',
        [declined],
        'this link code was already answered',
      );
    });

    it('refuses an expiry already past or more than 10 minutes ahead, asking nobody', async () => {
      const now = Date.now();
      await expectRefusedTouchingNothing(
        'identity:sign-link-certificate',
        [{ ...linkCertificate, expiresAt: now + MAX_LINK_CERTIFICATE_LIFETIME_MS + 60_000 }],
        'the expiry is more than 10 minutes ahead',
      );
      await expectRefusedTouchingNothing(
        'identity:sign-link-certificate',
        [{ ...linkCertificate, expiresAt: now - 1 }],
        'the link code has expired',
      );
      expect(harness.linkConsent.shown).toEqual([]);
    });

    it('asks about one link at a time', async () => {
      let answer: (agreed: boolean) => void = () => undefined;
      harness.linkConsent.confirm = (request) => {
        harness.linkConsent.shown.push(request);
        return new Promise((resolve) => (answer = resolve));
      };
      const first = signLink(linkCertificate);
      while (harness.linkConsent.shown.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await expect(signLink({ ...linkCertificate, code: '7KQ2-M9XD-4TRC' })).rejects.toThrow(
        'another link is waiting for the user',
      );
      answer(true);
      expect(await first).toMatch(/^[A-Za-z0-9+/]{86}==$/);
      expect(harness.linkConsent.shown).toHaveLength(1);
    });

    it('remembers a bounded number of codes, each until it expires', async () => {
      harness.linkConsent.agree = false;
      const codes = Array.from(
        { length: MAX_REMEMBERED_LINK_CODES + 1 },
        (_, i) => `7KQ2-M9XD-${String(i).padStart(4, '0')}`,
      );
      for (const code of codes.slice(0, -1)) {
        await expect(signLink({ ...linkCertificate, code })).rejects.toThrow('did not approve');
      }
      await expectRefusedTouchingNothing(
        'identity:sign-link-certificate',
        [{ ...linkCertificate, code: codes.at(-1) }],
        'too many links were asked about; try again later',
      );
      // Once those codes have expired they are forgotten (and could no longer be signed anyway).
      harness.linkClock.offsetMs = linkCertificate.expiresAt - Date.now();
      const later = { ...linkCertificate, code: codes.at(-1), expiresAt: Date.now() + 10 * 60_000 };
      harness.linkConsent.agree = true;
      expect(await signLink(later)).toMatch(/^[A-Za-z0-9+/]{86}==$/);
      await expectRefusedTouchingNothing(
        'identity:sign-link-certificate',
        [{ ...linkCertificate, code: codes[0] }],
        'the link code has expired',
      );
    });
  });

  describe('contact pins', () => {
    const carolPin: ContactPin = { ...bobPin, username: 'carol', identityKey: newDeviceKey };

    it('lists the pins put for the signed-in account', async () => {
      await harness.invoke('pins:put', [carolPin]);
      expect(await harness.invoke('pins:get', [])).toEqual([bobPin, carolPin]);
    });

    it('replaces the pin with the same username instead of adding a second', async () => {
      const verified = { ...bobPin, verified: true };
      await harness.invoke('pins:put', [verified]);
      expect(await harness.invoke('pins:get', [])).toEqual([verified]);
    });

    it('keeps each account its own pins', async () => {
      // The account of a device never changes over IPC; another account here is another file.
      await harness.accountFile.write({ ...account, username: 'dave' });
      expect(await harness.invoke('pins:get', [])).toEqual([]);
      await harness.invoke('pins:put', [carolPin]);
      await harness.accountFile.write(account);
      expect(await harness.invoke('pins:get', [])).toEqual([bobPin]);
    });

    it('has no pins before sign-in and refuses to pin without an account', async () => {
      await harness.accountFile.clear();
      expect(await harness.invoke('pins:get', [])).toEqual([]);
      await expectRefusedTouchingNothing('pins:put', [carolPin], 'no account is stored');
    });

    it('refuses a pin with a malformed key or a fractional time', async () => {
      for (const bad of [
        { ...carolPin, identityKey: randomBytes(31).toString('base64') },
        { ...carolPin, firstSeenAt: 1.5 },
        { ...carolPin, verified: 'yes' },
        { ...carolPin, username: '../account' },
      ]) {
        await expectRefusedTouchingNothing('pins:put', [bad], 'invalid arguments');
      }
    });

    it('moves a corrupt pins file aside and answers with no pins', async () => {
      const path = harness.pinFile.pathFor('alice');
      await writeFile(path, '{"pins": [garbage');
      expect(await harness.invoke('pins:get', [])).toEqual([]);
      const files = await userDataFiles();
      const aside = Object.keys(files).filter((f) =>
        f.startsWith('<server>/pins/alice.json.corrupt-'),
      );
      expect(aside).toHaveLength(1);
      expect(files[aside[0] as string]).toBe('{"pins": [garbage');
      expect(harness.warnings).toEqual([
        expect.stringContaining('does not hold valid contact pins'),
      ]);
    });
  });
});
