import { IndexOfSets } from './IndexOfSets';
import { Room, type RoomOptions } from './Room';
import type { RoomEvent } from './roomEvents';

/**
 * The rooms that have not ended, indexed by call id, by user and by device so that no lookup
 * scans every room, with the questions that need more than one room to answer: is a user busy,
 * already in a call, ringing someone. No I/O: a room's events pass through unchanged, and an
 * ended room leaves every index before its `ended` event is delivered.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  /**
   * The rooms each user has been a member of or invited to while they last: a superset of those
   * the user takes part in now, which `Room.involvesUser` narrows down.
   */
  private readonly roomsByUser = new IndexOfSets<number, Room>();
  /** The same for devices (members and rung devices), narrowed by `Room.involves`. */
  private readonly roomsByDevice = new IndexOfSets<string, Room>();
  /** What each room is indexed under, so that it leaves exactly those entries. */
  private readonly keysOf = new Map<Room, { users: Set<number>; devices: Set<string> }>();

  get(callId: string): Room | undefined {
    return this.rooms.get(callId);
  }

  has(callId: string): boolean {
    return this.rooms.has(callId);
  }

  /** Opens a room under a call id that is not in use (check with `has` first). */
  open(options: RoomOptions): Room {
    if (this.rooms.has(options.callId)) {
      throw new Error(`call id ${options.callId} is already in use`);
    }
    const keys = { users: new Set<number>(), devices: new Set<string>() };
    const room = new Room({
      ...options,
      onEvent: (event, source) => {
        // The creator's join comes during construction, before the room is registered.
        if (event.kind === 'ended') this.remove(source);
        else this.index(source, event, keys);
        options.onEvent(event, source);
      },
    });
    this.rooms.set(room.callId, room);
    this.keysOf.set(room, keys);
    return room;
  }

  /** Rooms in which this device takes part right now (a member, or ringing). */
  roomsOfDevice(deviceId: string): Room[] {
    return [...this.roomsByDevice.of(deviceId)].filter((room) => room.involves(deviceId));
  }

  /** Rooms in which this user has a membership that has not ended or a ringing invitation. */
  roomsOfUser(userId: number): Room[] {
    return [...this.roomsByUser.of(userId)].filter((room) => room.involvesUser(userId));
  }

  /** Busy: a live membership or a ringing invitation, in any room. */
  isUserBusy(userId: number): boolean {
    return this.roomsOfUser(userId).length > 0;
  }

  /** True while the user takes part in a room that still rings (creator or invited). */
  isUserInRingingRoom(userId: number): boolean {
    return this.roomsOfUser(userId).some((room) => room.phase === 'ringing');
  }

  /** True while the user is a member of a room that others have joined (presence `in_call`). */
  isUserInActiveRoom(userId: number): boolean {
    return this.roomsOfUser(userId).some((room) => room.phase === 'active');
  }

  /** Glare: whether `inviterUserId` is ringing `inviteeUserId` right now, in any room. */
  isRinging(inviterUserId: number, inviteeUserId: number): boolean {
    for (const room of this.roomsByUser.of(inviterUserId)) {
      for (const invitation of room.ringingInvitations()) {
        if (
          invitation.inviterUserId === inviterUserId &&
          invitation.inviteeUserId === inviteeUserId
        ) {
          return true;
        }
      }
    }
    return false;
  }

  private index(
    room: Room,
    event: RoomEvent,
    keys: { users: Set<number>; devices: Set<string> },
  ): void {
    if (event.kind === 'member_joined') {
      this.indexUnder(room, keys, [event.user], [event.deviceId]);
    } else if (event.kind === 'invited') {
      const { invitation } = event;
      this.indexUnder(room, keys, [invitation.inviteeUserId], invitation.offeredDeviceIds);
    }
  }

  private indexUnder(
    room: Room,
    keys: { users: Set<number>; devices: Set<string> },
    users: Iterable<number>,
    devices: Iterable<string>,
  ): void {
    for (const userId of users) {
      keys.users.add(userId);
      this.roomsByUser.add(userId, room);
    }
    for (const deviceId of devices) {
      keys.devices.add(deviceId);
      this.roomsByDevice.add(deviceId, room);
    }
  }

  private remove(room: Room): void {
    const keys = this.keysOf.get(room);
    this.rooms.delete(room.callId);
    this.keysOf.delete(room);
    if (!keys) return;
    for (const userId of keys.users) this.roomsByUser.delete(userId, room);
    for (const deviceId of keys.devices) this.roomsByDevice.delete(deviceId, room);
  }
}
