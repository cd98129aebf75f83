import { DECRYPT_FAILED_AFTER_MS } from '../../../../renderer/call/E2eeStatusTracker';
import type { ParticipantTile } from '../../../../renderer/state/groupCallView';
import {
  groupCallViewOf,
  type GroupCallViewSources,
} from '../../../../renderer/state/groupCallViewOf';
import { RemoteMembers } from '../../../../renderer/state/remoteMembers/RemoteMembers';
import {
  type RoomCallState,
  roomCallStateOf,
  seatRemoteMembers,
} from '../../../../renderer/state/roomCallState';
import { emptyActiveCall, threeInARoom } from '../threeInARoom';

const sender = (slot: number, decrypted: number, decryptFailed: number) => ({
  slot,
  audio: { decrypted, decryptFailed },
  video: { decrypted, decryptFailed },
});

/** Alice (slot 0, this device), Bob and Carol, as the server's room state gives them, seated. */
function threeInACall(): RoomCallState {
  const room = roomCallStateOf(threeInARoom(0), true, emptyActiveCall());
  seatRemoteMembers(room);
  return room;
}

/** The tiles at `now`, with no media path down and no 1:1 connection bridging anyone. */
function tilesAt(room: RoomCallState, now: number): Map<number, ParticipantTile> {
  const sources: GroupCallViewSources = {
    layout: 'grid',
    ownMedia: { audio: true, video: true, screen: false },
    ownTrack: () => null,
    remoteTrack: () => null,
    mediaDown: false,
    now,
    streamOf: () => {
      throw new Error('no tracks here');
    },
    linkUrls: (token) => ({ url: `https://parley.test/call/${token}`, deepLink: token }),
    reconnecting: null,
  };
  return new Map(groupCallViewOf(room, sources).tiles.map((tile) => [tile.slot, tile]));
}

describe('the other members of a group call', () => {
  test('each member other than us is a RemoteMember; a member who left is gone', () => {
    const room = threeInACall();
    expect(room.activeCall.members.remote.get(0)).toBeUndefined();
    const bob = room.activeCall.members.remote.get(1)!;
    bob.said({ audio: false, video: true, screen: false });
    bob.verified(false);
    room.activeCall.members.remote.left(1);
    expect(room.activeCall.members.remote.get(1)).toBeUndefined();
    // Whatever it said or was trusted with went with it, even to a holder of the old object.
    expect(bob.muted.value).toBe(false);
    expect(bob.trust).toBeNull();
    expect(room.activeCall.members.remote.get(2)).toBeDefined();
  });

  test('joining again keeps the member already there', () => {
    const members = new RemoteMembers();
    const carol = members.joined(2);
    carol.said({ audio: false, video: false, screen: false });
    expect(members.joined(2)).toBe(carol);
    expect(members.get(2)!.muted.value).toBe(true);
  });

  test('a member muting shows muted on its tile, and only on its own', () => {
    const room = threeInACall();
    room.activeCall.members.remote.get(1)!.said({ audio: false, video: true, screen: false });
    room.activeCall.members.remote.get(2)!.said({ audio: true, video: true, screen: false });
    const tiles = tilesAt(room, 0);
    expect(tiles.get(1)).toMatchObject({ microphoneOn: false, cameraOn: true });
    expect(tiles.get(2)).toMatchObject({ microphoneOn: true, cameraOn: true });
  });

  test("frames failing for 2 s with none decrypting show can't decrypt on that member's tile", () => {
    const room = threeInACall();
    room.activeCall.members.remote.framesCounted([sender(1, 0, 4), sender(2, 6, 0)], 0);
    room.activeCall.members.remote.framesCounted(
      [sender(1, 0, 9), sender(2, 9, 0)],
      DECRYPT_FAILED_AFTER_MS - 1,
    );
    let tiles = tilesAt(room, DECRYPT_FAILED_AFTER_MS - 1);
    expect(tiles.get(1)!.state).toBe('connecting');
    expect(tiles.get(2)!.state).toBe('live');
    room.activeCall.members.remote.framesCounted(
      [sender(1, 0, 15), sender(2, 12, 0)],
      DECRYPT_FAILED_AFTER_MS,
    );
    tiles = tilesAt(room, DECRYPT_FAILED_AFTER_MS);
    expect(tiles.get(1)!.state).toBe('cant_decrypt');
    expect(tiles.get(2)!.state).toBe('live');
    expect(tiles.get(0)!.state).toBe('live');
  });

  test('frames of a slot nobody holds (a member who left) change nobody', () => {
    const room = threeInACall();
    room.activeCall.members.remote.left(2);
    room.activeCall.members.remote.framesCounted([sender(2, 5, 0), sender(7, 5, 0)], 0);
    expect(room.activeCall.members.remote.get(2)).toBeUndefined();
    expect(tilesAt(room, 0).has(7)).toBe(false);
    expect(tilesAt(room, 0).get(1)!.state).toBe('connecting');
  });

  test('a new SFU path: every tile is back to connecting until its frames decrypt through it', () => {
    const room = threeInACall();
    room.activeCall.members.remote.framesCounted([sender(1, 50, 0), sender(2, 50, 0)], 0);
    room.activeCall.members.remote.pathStartsOver();
    expect(tilesAt(room, 10_000).get(1)!.state).toBe('connecting');
    room.activeCall.members.remote.framesCounted([sender(1, 2, 0)], 10_000);
    const tiles = tilesAt(room, 10_000);
    expect(tiles.get(1)!.state).toBe('live');
    expect(tiles.get(2)!.state).toBe('connecting');
  });
});
