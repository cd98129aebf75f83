import { randomBytes, randomUUID } from 'node:crypto';
import {
  bridgeChannels,
  createParleyBridge,
  type HostActionSubscribePort,
  type InvokePort,
} from '../../preload/bridge';
import {
  hostActionChannel,
  ipcChannels,
  type HostAction,
  type IpcChannel,
  type ParleyBridge,
} from '../../protocol/ipc';

/**
 * Records what would go to ipcRenderer.invoke (answering with a fixed value), and stands in for
 * ipcRenderer.on: `emit` delivers a message from main to every live subscription.
 */
function recordingInvoke() {
  const sent: { channel: IpcChannel; args: unknown[] }[] = [];
  const invoke: InvokePort = (channel, ...args) => {
    sent.push({ channel, args });
    return Promise.resolve('answer');
  };
  const subscriptions = new Set<{ channel: string; listener: (payload: unknown) => void }>();
  const subscribe: HostActionSubscribePort = (channel, listener) => {
    const entry = { channel, listener };
    subscriptions.add(entry);
    return () => subscriptions.delete(entry);
  };
  const emit = (payload: unknown) => {
    for (const { listener } of [...subscriptions]) listener(payload);
  };
  return { sent, subscriptions, emit, bridge: createParleyBridge(invoke, subscribe) };
}

const nonce = randomBytes(32).toString('base64');
const sessionId = randomBytes(32).toString('base64');
const account = { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' };
const identityKey = randomBytes(32).toString('base64');
const linkCertificate = {
  username: 'alice',
  identityKey,
  deviceName: 'Phone',
  code: '7KQ2-M9XD-4TRB',
  expiresAt: 1_764_093_900_000,
};
const keyShare = {
  role: 'callee' as const,
  callId: randomUUID(),
  username: 'alice',
  deviceId: 'device-0001',
  ephemeralKey: randomBytes(32).toString('base64'),
  fingerprint: `sha-256 ${Array.from(randomBytes(32), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`,
};
const memberShare = {
  callId: keyShare.callId,
  slot: 3,
  username: 'alice',
  deviceId: 'device-0001',
  ephemeralKey: keyShare.ephemeralKey,
};
const pin = { username: 'bob', identityKey, verified: false, firstSeenAt: 1_700_000_000_000 };

const report = {
  phase: 'in_call',
  callId: randomUUID(),
  peer: { username: 'bob', displayName: 'Bob' },
  media: 'audio',
  muted: true,
  endedAs: null,
  e2ee: { audio: 'encrypted', video: 'negotiating' },
  group: null,
};
/** A group call ringing: the report names those in it. */
const ringingGroup = {
  ...report,
  phase: 'incoming',
  muted: false,
  e2ee: null,
  group: { members: [{ username: 'carol', displayName: 'Carol' }] },
};
const settings = {
  closeToTray: true,
  doNotDisturb: false,
  shortcuts: {
    toggleMute: 'CommandOrControl+Alt+Shift+M',
    hangUp: null,
    acceptCall: null,
    declineCall: null,
  },
};

type InvokingMethod = Exclude<keyof ParleyBridge, 'onHostAction'>;
const validCalls: { [M in InvokingMethod]: { args: unknown[]; channel: IpcChannel } } = {
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
  signResumeChallenge: { args: [{ nonce, sessionId }], channel: 'identity:sign-resume' },
  signCallKeyShare: { args: [keyShare], channel: 'identity:sign-call-key' },
  signMemberKeyShare: { args: [memberShare], channel: 'identity:sign-member-key' },
  signLinkRequest: { args: [{ nonce }], channel: 'identity:sign-link-request' },
  signLinkCertificate: {
    args: [linkCertificate],
    channel: 'identity:sign-link-certificate',
  },
  getPins: { args: [], channel: 'pins:get' },
  putPin: { args: [pin], channel: 'pins:put' },
  reportCallState: { args: [report], channel: 'call-state:report' },
  getSettings: { args: [], channel: 'settings:get' },
  setSettings: { args: [settings], channel: 'settings:set' },
  getShortcutStatus: { args: [], channel: 'shortcuts:status' },
  requestMediaAccess: { args: ['microphone'], channel: 'media-access:request' },
};
const methods = Object.keys(validCalls) as InvokingMethod[];

describe('window.parley bridge', () => {
  it('exposes exactly the ParleyBridge methods and nothing generic', () => {
    const { bridge } = recordingInvoke();
    expect(Object.keys(bridge).sort()).toEqual([...methods, 'onHostAction'].sort());
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

  it('reports a ringing group call with the names of those in it', async () => {
    const { sent, bridge } = recordingInvoke();
    await expect(bridge.reportCallState(ringingGroup as never)).resolves.toBe('answer');
    expect(sent).toEqual([{ channel: 'call-state:report', args: [ringingGroup] }]);
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
      () => bridge.signResumeChallenge({ nonce, sessionId: 'not a session id' }),
      () => bridge.signResumeChallenge({ nonce, sessionId, origin: 'wss://evil.example' } as never),
      () => bridge.signCallKeyShare({ ...keyShare, role: 'observer' } as never),
      () =>
        bridge.signCallKeyShare({ ...keyShare, fingerprint: keyShare.fingerprint.toLowerCase() }),
      () => bridge.signMemberKeyShare({ ...memberShare, slot: 65_536 }),
      () => bridge.signMemberKeyShare({ ...memberShare, signedAt: Date.now() } as never),
      () => bridge.signLinkRequest({ nonce, identityKey } as never),
      () => bridge.signLinkCertificate({ ...linkCertificate, username: 'Alice!' }),
      () => bridge.signLinkCertificate({ ...linkCertificate, code: '7kq2-m9xd-4trb' }),
      () => bridge.putPin({ ...pin, identityKey: 'A'.repeat(1_000_000) }),
      () => bridge.putPin({ ...pin, firstSeenAt: Number.NaN }),
      () => bridge.reportCallState({ ...report, phase: 'ringing' } as never),
      () =>
        bridge.reportCallState({
          ...report,
          peer: { username: 'bob', displayName: 'B'.repeat(1_000_000) },
        } as never),
      () =>
        bridge.reportCallState(
          JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(report).slice(1)}`),
        ),
      () =>
        bridge.reportCallState({
          ...ringingGroup,
          group: {
            members: Array.from({ length: 17 }, (_, i) => ({
              username: `user${i}`,
              displayName: `User ${i}`,
            })),
          },
        } as never),
      () =>
        bridge.reportCallState({
          ...ringingGroup,
          group: { members: [{ username: 'carol', displayName: 'C'.repeat(1_000_000) }] },
        } as never),
      () =>
        bridge.reportCallState({
          ...ringingGroup,
          group: { members: [], keys: 'AAAA' },
        } as never),
      () =>
        bridge.setSettings({
          ...settings,
          shortcuts: { ...settings.shortcuts, hangUp: 'Ctrl+Alt+<script>' },
        }),
      () => bridge.setSettings({ ...settings, closeToTray: 'yes' } as never),
      () =>
        bridge.setSettings({
          ...settings,
          shortcuts: { ...settings.shortcuts, extra: 'F13' },
        } as never),
    ];
    for (const call of hostile)
      await expect(call()).rejects.toThrow('window.parley: invalid arguments');
    expect(sent).toEqual([]);
  });
});

describe('window.parley.onHostAction', () => {
  const callId = '6f1c2a4e-3b7d-4c55-9a1e-2d3f4b5c6d7e';
  const actions: HostAction[] = [
    { kind: 'toggleMute', callId },
    { kind: 'hangUp', callId },
    { kind: 'acceptCall', media: 'video' },
    { kind: 'declineCall' },
    { kind: 'callUser', username: 'bob' },
    { kind: 'openSettings' },
  ];

  it('subscribes to the one host-action channel and delivers every valid action', () => {
    const { bridge, emit, subscriptions } = recordingInvoke();
    const received: HostAction[] = [];
    bridge.onHostAction((action) => received.push(action));
    expect([...subscriptions].map((s) => s.channel)).toEqual([hostActionChannel]);
    for (const action of actions) emit(action);
    expect(received).toEqual(actions);
  });

  it('drops malformed or hostile messages before they reach the page', () => {
    const { bridge, emit } = recordingInvoke();
    const received: HostAction[] = [];
    bridge.onHostAction((action) => received.push(action));
    for (const bad of [
      null,
      'toggleMute',
      { kind: 'eval', code: '1' },
      { kind: 'toggleMute', callId, extra: true },
      { kind: 'toggleMute' },
      { kind: 'hangUp', callId: 'not-a-call-id' },
      { kind: 'acceptCall', media: 'screen' },
      { kind: 'callUser', username: 'Bob Smith' },
      { kind: 'callUser', username: 'b'.repeat(1_000_000) },
      JSON.parse(`{"kind":"hangUp","callId":"${callId}","__proto__":{"polluted":true}}`),
    ]) {
      emit(bad);
    }
    expect(received).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stops delivering after unsubscribe, which removes the IPC listener', () => {
    const { bridge, emit, subscriptions } = recordingInvoke();
    const received: HostAction[] = [];
    const unsubscribe = bridge.onHostAction((action) => received.push(action));
    emit({ kind: 'hangUp', callId });
    unsubscribe();
    unsubscribe();
    emit({ kind: 'toggleMute', callId });
    expect(received).toEqual([{ kind: 'hangUp', callId }]);
    expect(subscriptions.size).toBe(0);
  });

  it('refuses a listener that is not a function without subscribing', () => {
    const { bridge, subscriptions } = recordingInvoke();
    expect(() => bridge.onHostAction('alert(1)' as never)).toThrow(
      'window.parley: onHostAction needs a listener function',
    );
    expect(subscriptions.size).toBe(0);
  });
});
