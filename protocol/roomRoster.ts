/**
 * Who is in a call right now, as a pure reduction of the room's member events. The server's Room
 * keeps its roster with this reducer and a client will fold the same events with it, so both ends
 * agree by construction. `U` is however a side names users (the server by account id, a client by
 * username); members who left are not in the roster.
 */
export type RosterMemberState = 'joined' | 'reconnecting';

export interface RosterMember<U> {
  /** Never reused within a call: the caller is 0, the answering callee 1, later joiners 2, 3, ... */
  readonly slot: number;
  readonly user: U;
  readonly deviceId: string;
  readonly state: RosterMemberState;
}

export type RosterEvent<U> =
  | { kind: 'member_joined'; slot: number; user: U; deviceId: string }
  | { kind: 'member_reconnecting'; slot: number }
  | { kind: 'member_back'; slot: number }
  | { kind: 'member_left'; slot: number };

/** Members in slot order. */
export type Roster<U> = readonly RosterMember<U>[];

/**
 * The roster after one event. An event that cannot apply (a slot joined twice, a slot that is not
 * in the roster) leaves it unchanged, so a replayed or stale notice cannot invent a member.
 */
export function applyRosterEvent<U>(roster: Roster<U>, event: RosterEvent<U>): Roster<U> {
  const index = roster.findIndex((member) => member.slot === event.slot);
  switch (event.kind) {
    case 'member_joined': {
      if (index >= 0) return roster;
      const { slot, user, deviceId } = event;
      const joined: RosterMember<U> = { slot, user, deviceId, state: 'joined' };
      return [...roster, joined].sort((a, b) => a.slot - b.slot);
    }
    case 'member_reconnecting':
      return withState(roster, index, 'reconnecting');
    case 'member_back':
      return withState(roster, index, 'joined');
    case 'member_left':
      return index < 0 ? roster : roster.filter((_, i) => i !== index);
  }
}

function withState<U>(roster: Roster<U>, index: number, state: RosterMemberState): Roster<U> {
  const member = roster[index];
  if (!member || member.state === state) return roster;
  return roster.map((m, i) => (i === index ? { ...m, state } : m));
}
