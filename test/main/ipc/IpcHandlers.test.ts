import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { IpcSender } from '../../../main/ipc/senderPolicy';
import { ipcChannels, type IpcChannel } from '../../../protocol/ipc';
import { requireSecretService } from '../secretService';
import { appSender, createIpcHarness, type IpcHarness } from './ipcHarness';

const nonce = randomBytes(32).toString('base64');
const token = randomBytes(32).toString('base64');
const account = { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' };

/** One valid call per channel, so each hostile variant differs from it in one way only. */
const validArgs: { [C in IpcChannel]: unknown[] } = {
  'config:get': [],
  'account:get': [],
  'account:set': [account],
  'account:clear': [],
  'identity:public-key': [],
  'identity:create': [],
  'identity:sign-register': [{ nonce, username: 'alice' }],
  'identity:sign-login': [{ nonce, username: 'alice', deviceId: 'device-0001' }],
  'session:get-token': [],
  'session:set-token': [token],
};
const channels = Object.keys(ipcChannels) as IpcChannel[];
const huge = 'A'.repeat(1_000_000);

function hostileArgs(channel: IpcChannel): [string, unknown[]][] {
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
      cases.push([`a numeric ${key}`, [{ ...fields, [key]: 12345678 }]]);
    }
  }
  return cases;
}

const hostileSenders: [string, IpcSender][] = [
  ['another origin', { ...appSender, frame: { url: 'https://evil.example/', isMainFrame: true } }],
  [
    'a subframe of the app',
    { ...appSender, frame: { url: 'app://parley/index.html', isMainFrame: false } },
  ],
  [
    'a look-alike host',
    { ...appSender, frame: { url: 'app://parley.evil/index.html', isMainFrame: true } },
  ],
  [
    'credentials in the URL',
    { ...appSender, frame: { url: 'app://parley@evil/', isMainFrame: true } },
  ],
  ['a file: page', { ...appSender, frame: { url: 'file:///etc/passwd', isMainFrame: true } }],
  ['another window', { webContentsId: 99, frame: appSender.frame }],
  ['a destroyed frame', { ...appSender, frame: null }],
];

let harness: IpcHarness;

/** The state a refused call must leave exactly as it was. */
async function snapshot() {
  return {
    file: await readFile(harness.accountFile.path, 'utf8'),
    secrets: await harness.secrets(),
  };
}

beforeAll(requireSecretService);
beforeEach(async () => {
  harness = await createIpcHarness();
  await harness.invoke('identity:create', []);
  await harness.invoke('account:set', [account]);
  await harness.invoke('session:set-token', [token]);
  harness.keytarCalls.length = 0;
});
afterEach(() => harness.dispose());

describe('main IPC handlers', () => {
  it('registers exactly one handler per channel of protocol/ipc.ts', () => {
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

    it.each(hostileSenders)('refuses a call from %s and touches nothing', async (_name, sender) => {
      const before = await snapshot();
      harness.keytarCalls.length = 0;
      await expect(harness.invoke(channel, validArgs[channel], sender)).rejects.toThrow(
        new RegExp(`^Parley IPC "${channel}" refused: the send`),
      );
      expect(harness.keytarCalls).toEqual([]);
      expect(await snapshot()).toEqual(before);
    });

    it('accepts the valid call from the app window', async () => {
      const result = await harness.invoke(channel, validArgs[channel]);
      expect(ipcChannels[channel].result.safeParse(result).success).toBe(true);
    });
  });

  it('keeps the refusal message short even for a huge argument', async () => {
    const error = await harness.invoke('session:set-token', [huge]).catch((e: Error) => e);
    expect((error as Error).message.length).toBeLessThan(1000);
  });

  it('serves the account, token and config a signed-in window needs', async () => {
    expect(await harness.invoke('config:get', [])).toEqual({
      serverUrl: 'ws://127.0.0.1:4000/ws',
      appVersion: '0.1.0',
      platform: 'linux',
    });
    expect(await harness.invoke('account:get', [])).toEqual(account);
    expect(await harness.invoke('session:get-token', [])).toBe(token);
  });

  it('deletes the session token when it is set to null', async () => {
    await harness.invoke('session:set-token', [null]);
    expect(await harness.invoke('session:get-token', [])).toBeNull();
    expect((await harness.secrets()).token).toBeNull();
    expect(await harness.invoke('identity:public-key', [])).not.toBeNull();
  });

  it('forgets the account, its token and its identity key on account:clear', async () => {
    await harness.invoke('account:clear', []);
    expect(await harness.invoke('account:get', [])).toBeNull();
    expect(await harness.secrets()).toEqual({ privateKey: null, token: null });
    expect(await harness.invoke('identity:public-key', [])).toBeNull();
  });

  it('replaces the account file atomically, leaving no temp files behind', async () => {
    const renamed = { ...account, displayName: 'Alice Liddell' };
    await harness.invoke('account:set', [renamed]);
    expect(await harness.invoke('account:get', [])).toEqual(renamed);
    expect(await readdir(harness.userDataDir)).toEqual(['account.json']);
  });
});
