import { applyRosterEvent, type Roster } from '../../../protocol/roomRoster';
import type { RoomEvent } from '../../../server/rooms/roomEvents';
import { device, GRACE_MS, openRoom, RING_MS } from './roomFixture';

/** mulberry32: a small seeded generator, so a failing sequence can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USERS = [1, 2, 3, 4, 5, 6];
const DEVICES = USERS.flatMap((user) => [device(user), device(user, 1), device(user, 2)]);
const MAX_PARTICIPANTS = 5;

/** What a client folds from the room's notices: only the member events reach the roster. */
function clientRoster(events: readonly RoomEvent[]): Roster<number> {
  let roster: Roster<number> = [];
  for (const event of events) {
    if (
      event.kind === 'member_joined' ||
      event.kind === 'member_reconnecting' ||
      event.kind === 'member_back' ||
      event.kind === 'member_left'
    ) {
      roster = applyRosterEvent(roster, event);
    }
  }
  return roster;
}

/** One random sequence; returns what went wrong at the first step that broke a rule, if any. */
function runSequence(seed: number, steps: number) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const { room, time, events } = openRoom({ maxParticipants: MAX_PARTICIPANTS });
  // Mostly devices that can act, sometimes any device, so refusals are exercised too.
  const ringingDevice = () =>
    random() < 0.8 && room.ringingDeviceIds.length > 0
      ? pick(room.ringingDeviceIds)
      : pick(DEVICES);
  const memberDevice = () =>
    random() < 0.8 && room.liveMembers.length > 0 ? pick(room.liveMembers).deviceId : pick(DEVICES);
  const inviteSomeone = () => {
    const userId = pick(USERS);
    const deviceIds = [device(userId), device(userId, 1)];
    return room.invite({ fromDeviceId: memberDevice(), userId, deviceIds });
  };
  const accept = () => room.accept(ringingDevice());
  // Invites and accepts weigh more than the actions that end rooms, so group rooms are common.
  const actions: (() => { ok: boolean } | null)[] = [
    () => room.invite({ fromDeviceId: memberDevice(), userId: pick(USERS), deviceIds: [] }),
    inviteSomeone,
    inviteSomeone,
    inviteSomeone,
    () => room.ringingOn(ringingDevice()),
    accept,
    accept,
    accept,
    accept,
    () => room.decline(ringingDevice()),
    () => room.cancel(memberDevice()),
    () => room.hangup(memberDevice()),
    () => room.connectionLost(random() < 0.5 ? memberDevice() : ringingDevice()),
    () => room.memberAway(memberDevice()),
    () => room.memberBack(memberDevice()),
    () => room.rejoin(pick(USERS), pick(DEVICES)),
    () => {
      time.advance(pick([1000, GRACE_MS, RING_MS]));
      return null;
    },
  ];
  let wasSfu = false;
  for (let step = 0; step < steps; step += 1) {
    const before = events.length;
    const result = pick(actions)();
    const live = room.liveMembers.map(({ slot, userId, deviceId, state }) => ({
      slot,
      user: userId,
      deviceId,
      state,
    }));
    const ringing = room.invitations.filter((i) => i.state === 'ringing').length;
    const broken = [
      result?.ok === false && events.length !== before && 'a refused action emitted events',
      !same(clientRoster(events), live) &&
        'the roster folded from the events differs from the members',
      !same(room.roster, live) && "the room's own roster differs from its members",
      room.members.some((m, i) => m.slot !== i) && 'a slot was skipped or reused',
      live.length + ringing > MAX_PARTICIPANTS && 'the participant limit was passed',
      wasSfu && room.path !== 'sfu' && 'the path went back from sfu',
      room.path !== (room.members.length > 2 ? 'sfu' : 'p2p') &&
        'the path does not follow the joins',
      room.phase === 'active' && live.length < 2 && 'an active room has fewer than two members',
      room.phase === 'ended' &&
        (live.length > 0 || ringing > 0) &&
        'an ended room still has someone',
    ].find(Boolean);
    if (broken) return { room, events, broken: `seed ${seed}, step ${step}: ${broken}` };
    wasSfu = room.path === 'sfu';
  }
  return { room, events, broken: null };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('Room and the roster reducer', () => {
  test('for random sequences of actions, the roster folded from the events is the room members', () => {
    const reached = { sfu: 0, ended: 0, reconnecting: 0 };
    const broken: string[] = [];
    for (let seed = 1; seed <= 200; seed += 1) {
      const run = runSequence(seed, 50);
      if (run.broken) broken.push(run.broken);
      if (run.room.path === 'sfu') reached.sfu += 1;
      if (run.room.phase === 'ended') reached.ended += 1;
      if (run.events.some((e) => e.kind === 'member_reconnecting')) reached.reconnecting += 1;
    }
    expect(broken).toEqual([]);
    // The sequences reach group rooms, ends and reconnections, so the checks ran on all of them.
    expect(reached.sfu).toBeGreaterThan(20);
    expect(reached.ended).toBeGreaterThan(20);
    expect(reached.reconnecting).toBeGreaterThan(20);
  });
});
