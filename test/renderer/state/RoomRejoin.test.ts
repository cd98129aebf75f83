import type { LiveCall, ServerMessageOf } from '../../../protocol';
import { LocalMedia } from '../../../renderer/call/LocalMedia';
import { ActiveCall } from '../../../renderer/state/ActiveCall';
import { CallMediaControls } from '../../../renderer/state/CallMediaControls';
import { CallMembers } from '../../../renderer/state/CallMembers';
import { RoomRejoin, type RoomRejoinHost } from '../../../renderer/state/RoomRejoin';
import { growingCallWithBob } from './growingCallWithBob';

// docs/protocol.md "Calls across disconnects": the group side's part of each of the three ways a
// call comes back after a reload (liveCallRejoin), in order. RoomClient is this host's real side
// (RoomClientRejoin.test, RoomClientGrownRejoin.test).
const callId = '6f1c1f4e-8a55-4c6b-9d83-2f1f0b7a9e10';
const live = (group?: LiveCall['group']): LiveCall => ({
  callId,
  peer: { username: 'bob', displayName: 'Bob' },
  media: 'video',
  role: 'caller',
  state: 'accepted',
  answeredAt: 1_764_093_605_000,
  ...(group ? { group } : {}),
});
const roomState = { slot: 0 } as ServerMessageOf<'room'>;

/**
 * The group side of this page, recording what the rejoin asks of it, in order; the 1:1 call is
 * there to grow once `back` (CallController's call.rejoined verified).
 */
function page() {
  const asked: string[] = [];
  let oneToOne = false;
  const activeCall = new ActiveCall(
    new CallMembers(new CallMediaControls()),
    LocalMedia.empty({ trackEnded() {}, changed() {} }),
  );
  const grown = growingCallWithBob(callId, activeCall, {
    detach: () => void asked.push('detach'),
    hangUp: () => void asked.push('hangUp'),
  });
  const host: RoomRejoinHost = {
    free: () => true,
    rooms: () => true,
    oneToOneCall: () => (oneToOne ? grown : null),
    rejoin: async (_callId, _media, taking) => {
      asked.push('room.rejoin');
      if (taking) expect(taking(roomState)).toBe(activeCall);
      return null;
    },
    bridgeAgain: (call) => {
      asked.push(`attach to ${call === grown ? "the 1:1 call's" : 'another'} ActiveCall`);
      return call.activeCall;
    },
    leave: () => void asked.push('leave'),
  };
  const rejoin = new RoomRejoin(host);
  const back = () => {
    oneToOne = true;
    rejoin.oneToOneBack(callId);
  };
  return { rejoin, asked, back };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

test('a 1:1 call is the pair layer’s alone to rejoin: the group side asks nothing', async () => {
  const { rejoin, asked, back } = page();
  rejoin.listed([live()], null);
  back();
  await settled();
  expect(asked).toEqual([]);
});

test("a grown call still on p2p: room.rejoin only once its 1:1 connection is back, attaching to that call's ActiveCall", async () => {
  const { rejoin, asked, back } = page();
  rejoin.listed([live({ slot: 0, path: 'p2p' })], null);
  await settled();
  expect(asked).toEqual([]);
  expect(rejoin.waitingFor(callId)).toBe(true);

  back();
  await settled();
  expect(asked).toEqual(['room.rejoin', "attach to the 1:1 call's ActiveCall"]);
});

test('a grown call whose 1:1 connection never comes back is not rejoined by the group side', async () => {
  const { rejoin, asked, back } = page();
  rejoin.listed([live({ slot: 0, path: 'p2p' })], null);
  rejoin.oneToOneEnded();
  back();
  await settled();
  expect(asked).toEqual([]);
});

test('a call on the SFU: room.rejoin at once, in a call of its own (nothing of a 1:1 call to attach to)', async () => {
  const { rejoin, asked } = page();
  rejoin.listed([live({ slot: 3, path: 'sfu' })], null);
  await settled();
  expect(asked).toEqual(['room.rejoin']);
});
