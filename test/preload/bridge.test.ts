import { randomBytes, randomUUID } from 'node:crypto';
import { bridgeChannels, createParleyBridge, type InvokePort } from '../../preload/bridge';
import { ipcChannels, type IpcChannel, type ParleyBridge } from '../../protocol/ipc';

/** Records what would go to ipcRenderer.invoke and answers with a fixed value. */
function recordingInvoke() {
  const sent: { channel: IpcChannel; args: unknown[] }[] = [];
  const invoke: InvokePort = (channel, ...args) => {
    sent.push({ channel, args });
    return Promise.resolve('answer');
  };
  return { sent, bridge: createParleyBridge(invoke) };
}

const nonce = randomBytes(32).toString('base64');
const token = randomBytes(32).toString('base64');
const account = { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' };
const identityKey = randomBytes(32).toString('base64');
const keyShare = {
  role: 'callee' as const,
  callId: randomUUID(),
  username: 'alice',
  deviceId: 'device-0001',
  ephemeralKey: randomBytes(32).toString('base64'),
  fingerprint: `sha-256 ${Array.from(randomBytes(32), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`,
};
const pin = { username: 'bob', identityKey, verified: false, firstSeenAt: 1_700_000_000_000 };

const validCalls: { [M in keyof ParleyBridge]: { args: unknown[]; channel: IpcChannel } } = {
  getConfig: { args: [], channel: 'config:get' },
  getAccount: { args: [], channel: 'account:get' },
  setAccount: { args: [account], channel: 'account:set' },
  clearAccount: { args: [], channel: 'account:clear' },
  getIdentityPublicKey: { args: [], channel: 'identity:public-key' },
  createIdentity: { args: [], channel: 'identity:create' },
  signRegisterChallenge: {
    args: [{ nonce, username: 'alice' }],
    channel: 'identity:sign-register',
  },
  signLoginChallenge: {
    args: [{ nonce, username: 'alice', deviceId: 'device-0001' }],
    channel: 'identity:sign-login',
  },
  signCallKeyShare: { args: [keyShare], channel: 'identity:sign-call-key' },
  signLinkRequest: { args: [{ nonce }], channel: 'identity:sign-link-request' },
  signLinkCertificate: {
    args: [{ username: 'alice', identityKey }],
    channel: 'identity:sign-link-certificate',
  },
  getPins: { args: [], channel: 'pins:get' },
  putPin: { args: [pin], channel: 'pins:put' },
  getSessionToken: { args: [], channel: 'session:get-token' },
  setSessionToken: { args: [token], channel: 'session:set-token' },
};
const methods = Object.keys(validCalls) as (keyof ParleyBridge)[];

describe('window.parley bridge', () => {
  it('exposes exactly the ParleyBridge methods and nothing generic', () => {
    const { bridge } = recordingInvoke();
    expect(Object.keys(bridge).sort()).toEqual([...methods].sort());
    for (const name of ['send', 'invoke', 'on', 'ipcRenderer']) expect(name in bridge).toBe(false);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('maps the methods one to one onto the channels of protocol/ipc.ts', () => {
    expect(Object.values(bridgeChannels).sort()).toEqual(Object.keys(ipcChannels).sort());
  });

  it.each(methods)('%s invokes its own channel with the validated arguments', async (method) => {
    const { sent, bridge } = recordingInvoke();
    const { args, channel } = validCalls[method];
    const call = bridge[method] as (...a: unknown[]) => Promise<unknown>;
    await expect(call(...args)).resolves.toBe('answer');
    expect(sent).toEqual([{ channel, args }]);
  });

  it.each(methods)('%s refuses bad arguments without invoking', async (method) => {
    const { sent, bridge } = recordingInvoke();
    const call = bridge[method] as (...a: unknown[]) => Promise<unknown>;
    const { args } = validCalls[method];
    await expect(call(...args, 'extra')).rejects.toThrow(
      `window.parley: invalid arguments for ${validCalls[method].channel}`,
    );
    if (args.length > 0) {
      await expect(call()).rejects.toThrow('window.parley: invalid arguments');
      await expect(call(42)).rejects.toThrow('window.parley: invalid arguments');
    }
    expect(sent).toEqual([]);
  });

  it('refuses extra keys, prototype keys and oversized values before they reach main', async () => {
    const { sent, bridge } = recordingInvoke();
    const hostile = [
      () => bridge.setAccount({ ...account, extra: 1 } as never),
      () =>
        bridge.setAccount(JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(account).slice(1)}`)),
      () => bridge.signRegisterChallenge({ nonce, username: 'alice', constructor: 1 } as never),
      () =>
        bridge.signLoginChallenge({
          nonce: 'A'.repeat(1_000_000),
          username: 'alice',
          deviceId: 'device-0001',
        }),
      () => bridge.setSessionToken('not a token'),
      () => bridge.signCallKeyShare({ ...keyShare, role: 'observer' } as never),
      () =>
        bridge.signCallKeyShare({ ...keyShare, fingerprint: keyShare.fingerprint.toLowerCase() }),
      () => bridge.signLinkRequest({ nonce, identityKey } as never),
      () => bridge.signLinkCertificate({ username: 'Alice!', identityKey }),
      () => bridge.putPin({ ...pin, identityKey: 'A'.repeat(1_000_000) }),
      () => bridge.putPin({ ...pin, firstSeenAt: Number.NaN }),
    ];
    for (const call of hostile)
      await expect(call()).rejects.toThrow('window.parley: invalid arguments');
    expect(sent).toEqual([]);
  });

  it('passes null through to clear the session token', async () => {
    const { sent, bridge } = recordingInvoke();
    await bridge.setSessionToken(null);
    expect(sent).toEqual([{ channel: 'session:set-token', args: [null] }]);
  });
});
