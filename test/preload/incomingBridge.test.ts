import { randomUUID } from 'node:crypto';
import {
  createIncomingBridge,
  incomingBridgeChannels,
  type IncomingInvokePort,
} from '../../preload/incomingBridge';
import { incomingChannels, type IncomingChannel } from '../../protocol/incomingIpc';

function recordingInvoke() {
  const sent: { channel: IncomingChannel; args: unknown[] }[] = [];
  const invoke: IncomingInvokePort = (channel, ...args) => {
    sent.push({ channel, args });
    return Promise.resolve(null);
  };
  return { sent, bridge: createIncomingBridge(invoke) };
}

const callId = randomUUID();

describe('window.parleyIncoming bridge', () => {
  it('exposes exactly getCall, accept and decline, frozen', () => {
    const { bridge } = recordingInvoke();
    expect(Object.keys(bridge).sort()).toEqual(['accept', 'decline', 'getCall']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.values(incomingBridgeChannels).sort()).toEqual(
      Object.keys(incomingChannels).sort(),
    );
  });

  it('sends each method on its own channel', async () => {
    const { bridge, sent } = recordingInvoke();
    await bridge.getCall();
    await bridge.accept({ callId, media: 'video' });
    await bridge.decline({ callId });
    expect(sent).toEqual([
      { channel: 'incoming:get-call', args: [] },
      { channel: 'incoming:accept', args: [{ callId, media: 'video' }] },
      { channel: 'incoming:decline', args: [{ callId }] },
    ]);
  });

  it('refuses hostile arguments before anything is sent', async () => {
    const { bridge, sent } = recordingInvoke();
    const hostile = [
      () => bridge.accept({ callId, media: 'screen' } as never),
      () => bridge.accept({ callId: 'x'.repeat(1_000_000), media: 'audio' }),
      () => bridge.accept({ callId, media: 'audio', extra: 1 } as never),
      () => bridge.accept(JSON.parse(`{"__proto__":{"p":1},"callId":"${callId}","media":"audio"}`)),
      () => bridge.decline({ callId: 42 } as never),
      () => bridge.decline(null as never),
      () => (bridge.getCall as (...a: unknown[]) => Promise<unknown>)('extra'),
    ];
    for (const call of hostile) {
      await expect(call()).rejects.toThrow('window.parleyIncoming: invalid arguments');
    }
    expect(sent).toEqual([]);
  });

  it('hands the page only a well-formed call from main, refusing anything else', async () => {
    const good = {
      callId,
      peer: { username: 'bob', displayName: 'Bob' },
      media: 'audio',
      group: null,
    };
    const replies: unknown[] = [
      { ...good, extra: 1 },
      { ...good, peer: { username: 'bob', displayName: '' } },
      { ...good, media: 'screen' },
      'Bob',
    ];
    for (const reply of replies) {
      const bridge = createIncomingBridge(() => Promise.resolve(reply));
      await expect(bridge.getCall()).rejects.toThrow(
        "window.parleyIncoming: main's reply on incoming:get-call is malformed",
      );
    }
    await expect(createIncomingBridge(() => Promise.resolve(good)).getCall()).resolves.toEqual(
      good,
    );
    await expect(createIncomingBridge(() => Promise.resolve(null)).getCall()).resolves.toBeNull();
  });
});
