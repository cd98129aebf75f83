import { RemoteMember } from '../../../renderer/state/remoteMembers/RemoteMember';
import { roomCallStateOf, seatRemoteMembers } from '../../../renderer/state/roomCallState';
import { emptyActiveCall, threeInARoom } from './threeInARoom';

/** Carol (slot 2, this device) rejoins a call with Alice and Bob in it. */
const state = threeInARoom(2);

describe("a group call's state from the server's room state", () => {
  test('reading the room state changes nothing of the call: no member is seated by it', () => {
    const activeCall = emptyActiveCall();
    const room = roomCallStateOf(state, false, activeCall);
    expect(room.roster.map((m) => m.user.username)).toEqual(['alice', 'bob', 'carol']);
    expect([0, 1, 2].map((slot) => activeCall.members.remote.get(slot))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('seating the members: everyone but us is followed, and one already there stays the same', () => {
    const activeCall = emptyActiveCall();
    // Bob came over from the 1:1 call this one grew from, with what he said there.
    const bob = new RemoteMember('p2p');
    bob.said({ audio: false, video: true });
    activeCall.members.remote.handedOn(1, bob);

    seatRemoteMembers(roomCallStateOf(state, false, activeCall));

    expect(activeCall.members.remote.get(0)).toBeDefined();
    expect(activeCall.members.remote.get(1)).toBe(bob);
    expect(bob.muted.value).toBe(true);
    expect(activeCall.members.remote.get(2)).toBeUndefined();
  });
});
