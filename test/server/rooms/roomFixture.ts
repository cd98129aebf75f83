import { Room, type RoomOptions } from '../../../server/rooms/Room';
import type { RoomEvent } from '../../../server/rooms/roomEvents';
import { FakeTime } from '../calls/fakeTime';

export const RING_MS = 45_000;
export const GRACE_MS = 30_000;

/** The device ids of a test user: `u<user>-<n>`. */
export const device = (userId: number, n = 0) => `u${userId}-${n}`;

/** A room opened by user 1's first device, with every event it emits kept in order. */
export function openRoom(overrides: Partial<RoomOptions> = {}) {
  const time = new FakeTime();
  const events: RoomEvent[] = [];
  const room = new Room({
    callId: 'room-1',
    creator: { userId: 1, deviceId: device(1) },
    ringTimeoutMs: RING_MS,
    reconnectGraceMs: GRACE_MS,
    clock: time,
    scheduler: time,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  /** Rings every device of `userId` (two of them) from `from`. */
  const invite = (userId: number, from = device(1)) =>
    room.invite({ fromDeviceId: from, userId, deviceIds: [device(userId), device(userId, 1)] });
  /** Invites `userId` and has its first device accept. */
  const join = (userId: number, from = device(1)) => {
    const invited = invite(userId, from);
    if (!invited.ok) throw new Error(`invite refused: ${invited.code}`);
    const accepted = room.accept(device(userId));
    if (!accepted.ok) throw new Error(`accept refused: ${accepted.code}`);
  };
  const slots = () => room.liveMembers.map((m) => [m.slot, m.deviceId, m.state]);
  const ofKind = <K extends RoomEvent['kind']>(kind: K) =>
    events.filter((e): e is Extract<RoomEvent, { kind: K }> => e.kind === kind);
  return { room, time, events, invite, join, slots, ofKind };
}
