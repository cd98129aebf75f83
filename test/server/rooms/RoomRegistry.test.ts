import type { Room } from '../../../server/rooms/Room';
import type { RoomEvent } from '../../../server/rooms/roomEvents';
import { RoomRegistry } from '../../../server/rooms/RoomRegistry';
import { FakeTime } from '../calls/fakeTime';
import { device, RING_MS } from './roomFixture';

function registry() {
  const time = new FakeTime();
  const rooms = new RoomRegistry();
  const events: { callId: string; event: RoomEvent; registered: boolean }[] = [];
  const open = (callId: string, creatorUserId: number) =>
    rooms.open({
      callId,
      creator: { userId: creatorUserId, deviceId: device(creatorUserId) },
      ringTimeoutMs: RING_MS,
      clock: time,
      scheduler: time,
      onEvent: (event, room) =>
        events.push({ callId: room.callId, event, registered: rooms.has(room.callId) }),
    });
  const invite = (room: Room, userId: number, from: string) =>
    room.invite({ fromDeviceId: from, userId, deviceIds: [device(userId), device(userId, 1)] });
  return { rooms, time, events, open, invite };
}

describe('RoomRegistry', () => {
  test('busy means a live membership or a ringing invitation, in any room', () => {
    const { rooms, open, invite } = registry();
    const room = open('r1', 1);
    expect(rooms.isUserBusy(1)).toBe(true);
    expect(rooms.isUserBusy(2)).toBe(false);
    invite(room, 2, device(1));
    invite(room, 3, device(1));
    expect([2, 3].map((u) => rooms.isUserBusy(u))).toEqual([true, true]);
    expect(rooms.isUserInRingingRoom(3)).toBe(true);
    // User 3 declines: no longer busy, though the room goes on ringing user 2.
    room.decline(device(3));
    expect(rooms.isUserBusy(3)).toBe(false);
    room.accept(device(2, 1));
    expect(rooms.isUserInActiveRoom(2)).toBe(true);
    expect(rooms.isUserInActiveRoom(1)).toBe(true);
    expect(rooms.isUserInRingingRoom(1)).toBe(false);
  });

  test('a room is found by id, by each user and by each device taking part, and only while it does', () => {
    const { rooms, open, invite } = registry();
    const room = open('r1', 1);
    invite(room, 2, device(1));
    expect(rooms.get('r1')).toBe(room);
    for (const deviceId of [device(1), device(2), device(2, 1)]) {
      expect(rooms.roomsOfDevice(deviceId)).toEqual([room]);
    }
    expect(rooms.roomsOfUser(2)).toEqual([room]);
    room.accept(device(2));
    // The device that stopped ringing no longer takes part.
    expect(rooms.roomsOfDevice(device(2, 1))).toEqual([]);
    invite(room, 3, device(2));
    room.accept(device(3));
    room.hangup(device(2));
    // A member who left is free, while the room goes on.
    expect(rooms.isUserBusy(2)).toBe(false);
    expect(rooms.roomsOfDevice(device(2))).toEqual([]);
    expect(rooms.roomsOfUser(3)).toEqual([room]);
  });

  test('an ended room leaves every index before its end is delivered', () => {
    const { rooms, open, invite, events } = registry();
    const room = open('r1', 1);
    invite(room, 2, device(1));
    room.accept(device(2));
    room.hangup(device(1));
    expect(events.find((e) => e.event.kind === 'ended')).toMatchObject({ registered: false });
    expect(rooms.get('r1')).toBeUndefined();
    for (const user of [1, 2]) expect(rooms.roomsOfUser(user)).toEqual([]);
    for (const d of [device(1), device(2), device(2, 1)])
      expect(rooms.roomsOfDevice(d)).toEqual([]);
    // The call id is free again only in the registry; the call log keeps ids unique.
    expect(rooms.has('r1')).toBe(false);
  });

  test('a call id in use cannot open a second room', () => {
    const { rooms, open } = registry();
    const first = open('r1', 1);
    expect(() => open('r1', 2)).toThrow(/already in use/);
    expect(rooms.get('r1')).toBe(first);
    expect(rooms.isUserBusy(2)).toBe(false);
  });

  test('glare is judged per invitation: who rings whom right now', () => {
    const { rooms, open, invite, time } = registry();
    const room = open('r1', 1);
    invite(room, 2, device(1));
    expect(rooms.isRinging(1, 2)).toBe(true);
    expect(rooms.isRinging(2, 1)).toBe(false);
    room.accept(device(2));
    invite(room, 3, device(2));
    expect(rooms.isRinging(1, 2)).toBe(false);
    expect(rooms.isRinging(2, 3)).toBe(true);
    time.advance(RING_MS);
    expect(rooms.isRinging(2, 3)).toBe(false);
  });

  test('many rooms: ending some leaves the others untouched', () => {
    const { rooms, open, invite } = registry();
    const all = Array.from({ length: 200 }, (_, i) => {
      const room = open(`r${i}`, 1000 + i);
      invite(room, 5000 + i, device(1000 + i));
      return room;
    });
    for (let i = 0; i < 200; i += 2) all[i]!.cancel(device(1000 + i));
    all.forEach((room, i) => {
      expect(rooms.get(`r${i}`)).toBe(i % 2 === 0 ? undefined : room);
      expect(rooms.isUserBusy(5000 + i)).toBe(i % 2 === 1);
      expect(rooms.roomsOfDevice(device(5000 + i))).toEqual(i % 2 === 0 ? [] : [room]);
    });
  });
});
