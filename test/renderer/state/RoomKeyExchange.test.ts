/**
 * The key half of a group call on its own, with real identities, shares and key agreement: what
 * it does once the call is over for us.
 */
import { randomUUID } from 'node:crypto';
import type { RoomMember } from '../../../protocol';
import { RoomKeyExchange } from '../../../renderer/state/RoomKeyExchange';
import { RoomRequests } from '../../../renderer/state/RoomRequests';
import { RoomWorkerKeys } from '../../../renderer/state/RoomWorkerKeys';
import { FakeRoomServer, OtherMember, selfDevice } from './fakeRoomServer';

// Real signing and key agreement: a busy machine is slow.
jest.setTimeout(30_000);

test('a call closed while the members already in it are being verified verifies no more of them: none pinned, reported or sent a key', async () => {
  const callId = randomUUID();
  const self = await selfDevice('carol');
  const server = new FakeRoomServer();
  const others = await Promise.all(
    ['alice', 'bob', 'dave'].map((username, slot) => OtherMember.join(username, slot, callId)),
  );
  const members: RoomMember[] = await Promise.all(others.map((member) => member.entry()));
  const verified: number[] = [];
  const exchange: RoomKeyExchange = await RoomKeyExchange.start(callId, 3, {
    requests: new RoomRequests(server.signaling),
    host: self.host,
    workerKeys: new RoomWorkerKeys(),
    events: {
      // We leave the call as soon as the first member is verified.
      verified: (member) => {
        verified.push(member.slot);
        exchange.close();
      },
      refused: (slot, error) => {
        throw new Error(`slot ${slot} refused: ${String(error)}`);
      },
      keyInstalled: () => undefined,
    },
    now: () => Date.now(),
  });

  await exchange.membersPresent(members);

  expect(verified).toEqual([0]);
  expect((await self.host.getPins()).map((pin) => pin.username)).toEqual(['alice']);
  expect(server.sent.filter((message) => message.type === 'room.keys')).toEqual([]);
});
