import type { ServerMessage } from '../../../protocol';
import { OutgoingMessage } from '../../../server/routing/OutgoingMessage';

const presence: ServerMessage = { v: 1, type: 'presence', username: 'zoë', presence: 'online' };
const relayedIce: ServerMessage = {
  v: 1,
  type: 'call.ice',
  callId: '0d4cbb0e-7f83-4e4b-a8c6-1d1a3a5e0f9d',
  candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host' },
  seq: 7,
} as ServerMessage;

test('a notice numbered for each device is the text serialising it with its seq would give', () => {
  const outgoing = new OutgoingMessage(presence);
  for (const seq of [1, 42, Number.MAX_SAFE_INTEGER]) {
    expect(outgoing.numbered(seq)).toBe(JSON.stringify({ ...presence, seq }));
  }
  expect(outgoing.text).toBe(JSON.stringify(presence));
});

test("a relayed client notice has the sender's seq replaced by the device's own", () => {
  const numbered = new OutgoingMessage(relayedIce).numbered(3);
  expect(numbered).toBe(JSON.stringify({ ...relayedIce, seq: 3 }));
  expect(JSON.parse(numbered)).toMatchObject({ type: 'call.ice', seq: 3 });
});
