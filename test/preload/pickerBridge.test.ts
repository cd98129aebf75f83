import {
  createPickerBridge,
  pickerBridgeChannels,
  type PickerInvokePort,
} from '../../preload/pickerBridge';
import { pickerChannels, type PickerChannel } from '../../protocol/pickerIpc';

function recordingInvoke() {
  const sent: { channel: PickerChannel; args: unknown[] }[] = [];
  const invoke: PickerInvokePort = (channel, ...args) => {
    sent.push({ channel, args });
    return Promise.resolve(null);
  };
  return { sent, bridge: createPickerBridge(invoke) };
}

describe('window.parleyPicker bridge', () => {
  it('exposes exactly getSources and choose, frozen', () => {
    const { bridge } = recordingInvoke();
    expect(Object.keys(bridge).sort()).toEqual(['choose', 'getSources']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.values(pickerBridgeChannels).sort()).toEqual(Object.keys(pickerChannels).sort());
  });

  it('sends each method on its own channel', async () => {
    const { bridge, sent } = recordingInvoke();
    await bridge.getSources();
    await bridge.choose({ sourceId: 'window:42:0', audio: true });
    await bridge.choose({ sourceId: null, audio: false });
    expect(sent).toEqual([
      { channel: 'picker:get-sources', args: [] },
      { channel: 'picker:choose', args: [{ sourceId: 'window:42:0', audio: true }] },
      { channel: 'picker:choose', args: [{ sourceId: null, audio: false }] },
    ]);
  });

  it('refuses hostile arguments before anything is sent', async () => {
    const { bridge, sent } = recordingInvoke();
    const hostile = [
      () => bridge.choose({ sourceId: 'A'.repeat(1_000_000), audio: false }),
      () => bridge.choose({ sourceId: '', audio: false }),
      () => bridge.choose({ sourceId: null } as never),
      () => bridge.choose({ sourceId: null, audio: false, extra: 1 } as never),
      () => bridge.choose(JSON.parse('{"__proto__":{"p":1},"sourceId":null,"audio":false}')),
      () => bridge.choose(null as never),
      () => (bridge.getSources as (...a: unknown[]) => Promise<unknown>)('extra'),
    ];
    for (const call of hostile) {
      await expect(call()).rejects.toThrow('window.parleyPicker: invalid arguments');
    }
    expect(sent).toEqual([]);
  });
});
