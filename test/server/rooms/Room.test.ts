import { device, GRACE_MS, openRoom, RING_MS } from './roomFixture';

describe('Room', () => {
  test('the creator joins in slot 0, the accepting device in 1, later joiners in 2, 3', () => {
    const { room, join, slots } = openRoom();
    expect(slots()).toEqual([[0, device(1), 'joined']]);
    expect(room.phase).toBe('ringing');
    join(2);
    expect(room.phase).toBe('active');
    join(3);
    join(4);
    expect(slots()).toEqual([
      [0, device(1), 'joined'],
      [1, device(2), 'joined'],
      [2, device(3), 'joined'],
      [3, device(4), 'joined'],
    ]);
  });

  test('a slot is never reused: a member who left and comes back gets a new one', () => {
    const { room, join, slots, time } = openRoom();
    join(2);
    join(3);
    expect(room.hangup(device(2))).toEqual({ ok: true });
    time.advance(1000);
    expect(room.rejoin(2, device(2))).toEqual({ ok: true });
    // Another device of a member's user joins in a slot of its own too.
    expect(room.rejoin(3, device(3, 1))).toEqual({ ok: true });
    expect(slots()).toEqual([
      [0, device(1), 'joined'],
      [2, device(3), 'joined'],
      [3, device(2), 'joined'],
      [4, device(3, 1), 'joined'],
    ]);
    expect(room.members.map((m) => m.slot)).toEqual([0, 1, 2, 3, 4]);
    expect(room.members[1]).toMatchObject({ deviceId: device(2), state: 'left' });
  });

  test('rejoin is refused to users who never joined, to members still in, and before anyone answered', () => {
    const { room, join, invite } = openRoom();
    invite(2);
    expect(room.rejoin(1, device(1, 1))).toEqual({ ok: false, code: 'call_state' });
    room.accept(device(2));
    join(3);
    expect(room.rejoin(9, device(9))).toEqual({ ok: false, code: 'not_in_call' });
    expect(room.rejoin(3, device(3))).toEqual({ ok: false, code: 'call_state' });
    expect(room.members).toHaveLength(3);
  });

  test('a member device that lost its keys rejoins in the next slot: its old slot leaves as rejoined, the call goes on, a reconnect grace is dropped', () => {
    const { room, join, slots, events, time } = openRoom({ sfuFromStart: true });
    join(2);
    join(3);
    room.memberAway(device(3));
    events.length = 0;
    expect(room.nextFreeSlot).toBe(3);
    expect(room.rejoinInNewSlot(device(3))).toEqual({ ok: true });
    expect(events.map((e) => [e.kind, 'slot' in e ? e.slot : null])).toEqual([
      ['member_left', 2],
      ['member_joined', 3],
    ]);
    expect(events[0]).toMatchObject({ reason: 'rejoined', deviceId: device(3) });
    expect(slots()).toEqual([
      [0, device(1), 'joined'],
      [1, device(2), 'joined'],
      [3, device(3), 'joined'],
    ]);
    // The old slot's grace ran out with it: nothing more happens to the new one.
    time.advance(GRACE_MS * 2);
    expect(room.memberOf(device(3))).toMatchObject({ slot: 3, state: 'joined' });
    expect(room.phase).toBe('active');
    expect(room.nextFreeSlot).toBe(4);
  });

  test('a rejoin in a new slot is refused, changing nothing, for a stranger, a 1:1 call, a creator still alone and an ended call', () => {
    const alone = openRoom({ sfuFromStart: true });
    expect(alone.room.rejoinInNewSlot(device(9))).toEqual({ ok: false, code: 'not_in_call' });
    expect(alone.room.rejoinInNewSlot(device(1))).toEqual({ ok: false, code: 'call_state' });
    const pair = openRoom();
    pair.join(2);
    expect(pair.room.rejoinInNewSlot(device(2))).toEqual({ ok: false, code: 'call_state' });
    expect(pair.slots()).toEqual([
      [0, device(1), 'joined'],
      [1, device(2), 'joined'],
    ]);
    const ended = openRoom({ sfuFromStart: true });
    ended.join(2);
    ended.join(3);
    ended.room.hangup(device(2));
    ended.room.hangup(device(3));
    expect(ended.room.phase).toBe('ended');
    expect(ended.room.rejoinInNewSlot(device(1))).toEqual({ ok: false, code: 'call_state' });
  });

  test('the path is p2p while at most two have joined, sfu from the third on, and never back', () => {
    const { room, join, ofKind } = openRoom();
    join(2);
    expect(room.path).toBe('p2p');
    expect(ofKind('path_changed')).toEqual([]);
    join(3);
    expect(room.path).toBe('sfu');
    expect(ofKind('path_changed')).toEqual([{ kind: 'path_changed', path: 'sfu' }]);
    room.hangup(device(3));
    expect(room.liveMembers).toHaveLength(2);
    expect(room.path).toBe('sfu');
    join(4);
    expect(ofKind('path_changed')).toHaveLength(1);
  });

  test('a group call goes through the SFU from its creator on: no path change, a hang-up of three is a leave', () => {
    const { room, join, ofKind } = openRoom({ sfuFromStart: true });
    expect(room.path).toBe('sfu');
    join(2);
    join(3);
    expect(room.path).toBe('sfu');
    expect(ofKind('path_changed')).toEqual([]);
    expect(room.hangup(device(2))).toEqual({ ok: true });
    expect(room.phase).toBe('active');
    expect(room.hangup(device(3))).toEqual({ ok: true });
    expect(room.phase).toBe('ended');
  });

  test('on the p2p path a hang-up by either member ends the room, as a 1:1 call', () => {
    for (const by of [device(1), device(2)]) {
      const { room, join, ofKind } = openRoom();
      join(2);
      expect(room.hangup(by)).toEqual({ ok: true });
      expect(room.phase).toBe('ended');
      expect(ofKind('ended')).toEqual([
        expect.objectContaining({ reason: 'hangup', byDeviceId: by, endedFrom: 'active' }),
      ]);
      expect(room.roster).toEqual([]);
    }
  });

  test('on the sfu path a hang-up is a leave; the room ends when one member is left', () => {
    const { room, join, ofKind, slots } = openRoom();
    join(2);
    join(3);
    expect(room.hangup(device(1))).toEqual({ ok: true });
    expect(room.phase).toBe('active');
    expect(ofKind('member_left')).toEqual([
      expect.objectContaining({ slot: 0, deviceId: device(1), reason: 'hangup' }),
    ]);
    expect(slots()).toEqual([
      [1, device(2), 'joined'],
      [2, device(3), 'joined'],
    ]);
    // The one who left may no longer act in the room.
    expect(room.hangup(device(1))).toEqual({ ok: false, code: 'call_state' });
    expect(room.hangup(device(3))).toEqual({ ok: true });
    expect(room.phase).toBe('ended');
    expect(ofKind('ended')).toEqual([
      expect.objectContaining({ reason: 'hangup', byDeviceId: device(3), endedFrom: 'active' }),
    ]);
    expect(room.liveMembers).toEqual([]);
  });

  test('a member gone on the sfu path leaves as connection lost, from the moment it went', () => {
    const { room, join, ofKind, time } = openRoom();
    join(2);
    join(3);
    const goneAt = time.now();
    time.advance(5000);
    expect(room.connectionLost(device(2), goneAt)).toEqual({ ok: true });
    expect(ofKind('member_left')).toEqual([
      expect.objectContaining({ deviceId: device(2), reason: 'connection_lost', at: goneAt }),
    ]);
    expect(room.phase).toBe('active');
  });

  test('the participant limit counts members and ringing invitations, and refuses clearly without changing anything', () => {
    const { room, join, invite, events } = openRoom({ maxParticipants: 3 });
    join(2);
    expect(invite(3).ok).toBe(true);
    const before = events.length;
    expect(invite(4)).toEqual({ ok: false, code: 'room_full', limit: 3 });
    expect(room.invitations.map((i) => i.inviteeUserId)).toEqual([2, 3]);
    expect(events).toHaveLength(before);
    room.accept(device(3));
    room.hangup(device(3));
    // Full again after user 3's seat came free and was taken by a rejoin from another device.
    expect(room.rejoin(2, device(2, 1))).toEqual({ ok: true });
    expect(room.rejoin(3, device(3))).toEqual({ ok: false, code: 'room_full', limit: 3 });
    expect(room.liveMembers).toHaveLength(3);
  });

  test('the default limit is 16 participants', () => {
    const { room, join, invite } = openRoom();
    for (let user = 2; user <= 16; user += 1) join(user);
    expect(room.liveMembers).toHaveLength(16);
    expect(invite(17)).toEqual({ ok: false, code: 'room_full', limit: 16 });
  });

  test('a reconnecting member keeps its slot through the grace, and is back in it', () => {
    const { room, join, time, slots, ofKind } = openRoom();
    join(2);
    join(3);
    expect(room.memberAway(device(2))).toEqual({ ok: true });
    expect(slots()).toContainEqual([1, device(2), 'reconnecting']);
    time.advance(GRACE_MS - 1);
    expect(room.memberBack(device(2))).toEqual({ ok: true });
    time.advance(GRACE_MS);
    expect(slots()).toContainEqual([1, device(2), 'joined']);
    expect(ofKind('member_left')).toEqual([]);
    expect(room.memberBack(device(2))).toEqual({ ok: false, code: 'call_state' });
  });

  test('a reconnecting member not back within the grace leaves, as gone since it dropped', () => {
    const { room, join, time, ofKind } = openRoom();
    join(2);
    join(3);
    const droppedAt = time.now();
    room.memberAway(device(3));
    time.advance(GRACE_MS);
    expect(ofKind('member_left')).toEqual([
      expect.objectContaining({ slot: 2, reason: 'connection_lost', at: droppedAt }),
    ]);
    expect(room.memberOf(device(3))).toBeUndefined();
    expect(room.phase).toBe('active');
  });

  test('on the p2p path a member not back within the grace ends the room, as a lost 1:1 call', () => {
    const { room, join, time, ofKind } = openRoom();
    join(2);
    room.memberAway(device(1));
    time.advance(GRACE_MS);
    expect(ofKind('ended')).toEqual([
      expect.objectContaining({ reason: 'connection_lost', byDeviceId: device(1) }),
    ]);
  });

  test('a room without a reconnect grace never has reconnecting members', () => {
    const { room, join } = openRoom({ reconnectGraceMs: undefined });
    join(2);
    expect(room.memberAway(device(2))).toEqual({ ok: false, code: 'call_state' });
    expect(room.memberAway(device(9))).toEqual({ ok: false, code: 'not_in_call' });
  });

  test('invitations ring several users at once; each answers or declines on its own', () => {
    const { room, invite, ofKind, slots } = openRoom();
    expect(invite(2).ok).toBe(true);
    expect(invite(3).ok).toBe(true);
    expect(room.ringingDeviceIds).toEqual([device(2), device(2, 1), device(3), device(3, 1)]);
    // The same user cannot be rung twice at once.
    expect(invite(2)).toEqual({ ok: false, code: 'call_state' });
    // One declining does not end a room that still rings someone else.
    expect(room.decline(device(2))).toEqual({ ok: true });
    expect(room.phase).toBe('ringing');
    expect(room.accept(device(3, 1))).toEqual({ ok: true });
    expect(slots()).toEqual([
      [0, device(1), 'joined'],
      [1, device(3, 1), 'joined'],
    ]);
    expect(room.invitations.map((i) => i.state)).toEqual(['declined', 'accepted']);
    expect(ofKind('invitation').map((e) => e.event.kind)).toEqual(['closed', 'accepted']);
  });

  test('a joined member may invite too; the invitation names who rang', () => {
    const { room, join, invite } = openRoom();
    join(2);
    const invited = invite(3, device(2));
    expect(invited.ok && invited.invitation.inviterDeviceId).toBe(device(2));
    expect(invite(4, device(9))).toEqual({ ok: false, code: 'not_in_call' });
    expect(room.accept(device(3))).toEqual({ ok: true });
    expect(room.path).toBe('sfu');
  });

  test('the last ringing invitation closing unanswered ends a ringing room for its reason', () => {
    const { room, invite, time, ofKind } = openRoom();
    invite(2);
    invite(3);
    room.decline(device(3, 1));
    time.advance(RING_MS);
    expect(ofKind('ended')).toEqual([
      expect.objectContaining({
        reason: 'timeout',
        endedFrom: 'ringing',
        ringingDeviceIds: [device(2), device(2, 1)],
      }),
    ]);
    expect(room.phase).toBe('ended');
  });

  test('a member hanging up on the p2p path stops invitations still ringing', () => {
    const { room, join, invite, ofKind } = openRoom();
    join(2);
    invite(3);
    room.hangup(device(2));
    expect(ofKind('ended')).toEqual([
      expect.objectContaining({ reason: 'hangup', ringingDeviceIds: [device(3), device(3, 1)] }),
    ]);
    expect(room.invitations.map((i) => i.state)).toEqual(['accepted', 'cancelled']);
  });

  test('an invitation still ringing when an active room goes quiet does not keep it alive', () => {
    const { room, join, invite } = openRoom();
    join(2);
    join(3);
    invite(4);
    room.hangup(device(2));
    room.hangup(device(3));
    expect(room.phase).toBe('ended');
    expect(room.ringingDeviceIds).toEqual([]);
    expect(room.accept(device(4))).toEqual({ ok: false, code: 'call_state' });
  });

  test('the creator cancelling or dropping while it rings stops every invitation', () => {
    const cancelled = openRoom();
    cancelled.invite(2);
    cancelled.invite(3);
    expect(cancelled.room.cancel(device(2))).toEqual({ ok: false, code: 'call_state' });
    expect(cancelled.room.cancel(device(1))).toEqual({ ok: true });
    expect(cancelled.ofKind('ended')).toEqual([
      expect.objectContaining({
        reason: 'cancelled',
        byDeviceId: device(1),
        ringingDeviceIds: [device(2), device(2, 1), device(3), device(3, 1)],
      }),
    ]);

    const dropped = openRoom();
    dropped.invite(2);
    dropped.room.connectionLost(device(1));
    expect(dropped.ofKind('ended')).toEqual([
      expect.objectContaining({ reason: 'cancelled', byDeviceId: device(1) }),
    ]);
  });

  test('an ended room refuses everything and emits nothing more', () => {
    const { room, join, events } = openRoom();
    join(2);
    room.hangup(device(1));
    const count = events.length;
    expect(room.invite({ fromDeviceId: device(2), userId: 3, deviceIds: [device(3)] })).toEqual({
      ok: false,
      code: 'call_state',
    });
    expect(room.hangup(device(2))).toEqual({ ok: false, code: 'call_state' });
    expect(room.connectionLost(device(2))).toEqual({ ok: false, code: 'call_state' });
    expect(room.rejoin(2, device(2))).toEqual({ ok: false, code: 'call_state' });
    expect(room.memberAway(device(2))).toEqual({ ok: false, code: 'call_state' });
    expect(events).toHaveLength(count);
  });

  test('a restored room starts with its members joined and nothing ringing', () => {
    const { room, time } = openRoom({
      restored: {
        startedAt: 500,
        members: [
          { userId: 1, deviceId: device(1), joinedAt: 500 },
          { userId: 2, deviceId: device(2), joinedAt: 900 },
        ],
      },
    });
    expect(room.phase).toBe('active');
    expect([room.startedAt, room.answeredAt]).toEqual([500, 900]);
    expect(time.pending).toBe(0);
    expect(room.roster.map((m) => m.slot)).toEqual([0, 1]);
  });

  test('a group invitation gives each rung device its slot at once, and the joiner takes its own', () => {
    const { room, ofKind } = openRoom({ sfuFromStart: true });
    const ring = (userId: number) =>
      room.invite({
        fromDeviceId: device(1),
        userId,
        deviceIds: [device(userId), device(userId, 1)],
        reserveSlots: true,
      });
    ring(2);
    ring(3);
    expect(
      [device(2), device(2, 1), device(3), device(3, 1)].map((d) => room.reservedSlotOf(d)),
    ).toEqual([1, 2, 3, 4]);
    // User 3's second device joins first: slot 4; user 2's second device then slot 2.
    expect(room.accept(device(3, 1))).toEqual({ ok: true });
    expect(room.accept(device(2, 1))).toEqual({ ok: true });
    expect(ofKind('member_joined').map((e) => [e.slot, e.deviceId])).toEqual([
      [0, device(1)],
      [4, device(3, 1)],
      [2, device(2, 1)],
    ]);
    // The slots of devices that did not join stay unused: a later invitation gets new ones.
    expect(room.reservedSlotOf(device(2))).toBeUndefined();
    ring(5);
    expect(room.reservedSlotOf(device(5))).toBe(5);
  });

  test('a group call stays open while its creator waits alone: an unanswered invitation ends only itself', () => {
    const { room, invite, time } = openRoom({ sfuFromStart: true });
    invite(2);
    expect(room.decline(device(2))).toEqual({ ok: true });
    invite(3);
    time.advance(RING_MS);
    expect(room.phase).toBe('ringing');
    expect(room.invitations.map((i) => i.state)).toEqual(['declined', 'timeout']);
    // The creator gives up: it ends.
    expect(room.cancel(device(1))).toEqual({ ok: true });
    expect(room.phase).toBe('ended');
  });

  test('hasRoomForOneMore counts members and ringing invitations against the limit', () => {
    const { room, invite, join } = openRoom({ maxParticipants: 3 });
    join(2);
    expect(room.hasRoomForOneMore()).toBe(true);
    invite(3);
    expect(room.hasRoomForOneMore()).toBe(false);
  });
});
