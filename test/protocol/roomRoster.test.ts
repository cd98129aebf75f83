import { applyRosterEvent, type Roster } from '../../protocol/roomRoster';

const fold = (events: Parameters<typeof applyRosterEvent<string>>[1][]) =>
  events.reduce<Roster<string>>(applyRosterEvent, []);

describe('roomRoster', () => {
  test('members join in slot order, go reconnecting and come back, and leave', () => {
    const roster = fold([
      { kind: 'member_joined', slot: 0, user: 'alice', deviceId: 'a1' },
      { kind: 'member_joined', slot: 2, user: 'carol', deviceId: 'c1' },
      { kind: 'member_joined', slot: 1, user: 'bob', deviceId: 'b1' },
      { kind: 'member_reconnecting', slot: 2 },
    ]);
    expect(roster).toEqual([
      { slot: 0, user: 'alice', deviceId: 'a1', state: 'joined' },
      { slot: 1, user: 'bob', deviceId: 'b1', state: 'joined' },
      { slot: 2, user: 'carol', deviceId: 'c1', state: 'reconnecting' },
    ]);
    const after = fold([
      { kind: 'member_joined', slot: 0, user: 'alice', deviceId: 'a1' },
      { kind: 'member_joined', slot: 1, user: 'bob', deviceId: 'b1' },
      { kind: 'member_reconnecting', slot: 1 },
      { kind: 'member_back', slot: 1 },
      { kind: 'member_left', slot: 0 },
    ]);
    expect(after).toEqual([{ slot: 1, user: 'bob', deviceId: 'b1', state: 'joined' }]);
  });

  test('an event that cannot apply leaves the roster as it was: no invented or doubled member', () => {
    const roster = fold([{ kind: 'member_joined', slot: 0, user: 'alice', deviceId: 'a1' }]);
    expect(
      applyRosterEvent(roster, { kind: 'member_joined', slot: 0, user: 'mallory', deviceId: 'm' }),
    ).toBe(roster);
    expect(applyRosterEvent(roster, { kind: 'member_reconnecting', slot: 5 })).toBe(roster);
    expect(applyRosterEvent(roster, { kind: 'member_back', slot: 0 })).toBe(roster);
    expect(applyRosterEvent(roster, { kind: 'member_left', slot: 3 })).toBe(roster);
  });
});
