import type { RoomMember, ServerMessageOf } from '../../../protocol';
import { LocalMedia } from '../../../renderer/call/LocalMedia';
import { ActiveCall } from '../../../renderer/state/ActiveCall';
import { CallMembers } from '../../../renderer/state/CallMembers';
import { LocalMember } from '../../../renderer/state/localMember/LocalMember';

/** A joined member as the server's room state lists it (no identity or share to verify here). */
const member = (slot: number, username: string): RoomMember => ({
  slot,
  user: { username, displayName: username },
  deviceId: `device_${username}`,
  identity: [],
  share: null,
  state: 'joined',
});

/** The server's room state of a call of Alice (slot 0), Bob (1) and Carol (2); we are `ownSlot`. */
export function threeInARoom(ownSlot: number): ServerMessageOf<'room'> {
  return {
    v: 1,
    type: 'room',
    re: 'r1',
    callId: 'call_1',
    media: 'video',
    slot: ownSlot,
    path: 'sfu',
    members: [member(0, 'alice'), member(1, 'bob'), member(2, 'carol')],
    invitations: [],
  };
}

/** A call of ours with no one seated and no media of our own yet. */
export function emptyActiveCall(): ActiveCall<LocalMember> {
  return new ActiveCall(
    new CallMembers(new LocalMember()),
    LocalMedia.empty({ trackEnded() {}, changed() {} }),
  );
}
