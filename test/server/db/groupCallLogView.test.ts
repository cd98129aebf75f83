import {
  groupCallLogView,
  type GroupCallRow,
  type InvitationRow,
  type ParticipantRow,
} from '../../../server/db/groupCallLogView';

// docs/protocol.md "Call log", group calls: what one person's entry says, from the stored rows.
const ALICE = 1;
const BOB = 2;
const CAROL = 3;
const names: Record<number, string> = { [ALICE]: 'alice', [BOB]: 'bob', [CAROL]: 'carol' };

const call: GroupCallRow = {
  callId: '1b6f2d0c-3c7e-4f7a-9a51-2c8d6f0e4b21',
  creatorId: ALICE,
  media: 'audio',
  startedAt: 1_000,
  endedAt: 100_000,
};

const member = (userId: number, joinedAt: number, leftAt: number | null): ParticipantRow => ({
  userId,
  username: names[userId]!,
  displayName: names[userId]!.toUpperCase(),
  joinedAt,
  leftAt,
});

const invitation = (
  userId: number,
  invitedAt: number,
  state: InvitationRow['state'],
  invitedBy = ALICE,
): InvitationRow => ({
  userId,
  username: names[userId]!,
  displayName: names[userId]!.toUpperCase(),
  invitedBy,
  invitedAt,
  state,
  closedAt: state === 'joined' || state === null ? null : invitedAt + 5_000,
});

test('a member who left and came back is in the call from their first join to their last leave', () => {
  const view = groupCallLogView(
    BOB,
    call,
    [member(ALICE, 1_000, 90_000), member(BOB, 10_000, 20_000), member(BOB, 30_000, 80_000)],
    [invitation(BOB, 2_000, 'joined')],
  );
  expect(view).toMatchObject({
    direction: 'incoming',
    outcome: 'answered',
    answeredAt: 10_000,
    endedAt: 80_000,
    durationMs: 70_000,
  });
});

test('a creator whose invitations all ended unanswered: declined, busy, or no answer', () => {
  const alone = [member(ALICE, 1_000, 50_000)];
  const outcome = (states: InvitationRow['state'][]) =>
    groupCallLogView(
      ALICE,
      call,
      alone,
      states.map((state, i) => invitation(BOB + i, 2_000 + i, state)),
    )?.outcome;
  expect(outcome(['declined', 'declined'])).toBe('declined');
  expect(outcome(['busy'])).toBe('busy');
  expect(outcome(['declined', 'timeout'])).toBe('missed');
  // They left while one still rang.
  expect(outcome(['declined', 'cancelled'])).toBe('cancelled');
});

test('a person rung who never joined has their invitation end, and no duration', () => {
  const members = [member(ALICE, 1_000, 60_000), member(BOB, 5_000, 60_000)];
  const viewFor = (state: InvitationRow['state']) =>
    groupCallLogView(CAROL, call, members, [invitation(CAROL, 8_000, state, BOB)]);
  expect(viewFor('declined')).toMatchObject({
    outcome: 'declined',
    answeredAt: null,
    durationMs: 0,
    endedAt: 13_000,
    // Bob rang her.
    peer: { username: 'bob' },
  });
  expect(viewFor('timeout')?.outcome).toBe('missed');
  expect(viewFor('connection_lost')?.outcome).toBe('missed');
  expect(viewFor('cancelled')?.outcome).toBe('cancelled');
  // Rung when the server stopped: it ended unanswered.
  expect(viewFor(null)).toMatchObject({ outcome: 'missed', endedAt: call.endedAt });
});

test('the others are named once each, in the order they came in, and whether they joined', () => {
  const view = groupCallLogView(
    ALICE,
    call,
    [member(ALICE, 1_000, 9_000), member(CAROL, 6_000, 9_000)],
    [
      invitation(BOB, 2_000, 'declined'),
      invitation(CAROL, 3_000, 'joined'),
      invitation(BOB, 7_000, 'timeout'),
    ],
  );
  expect(view?.group?.others).toEqual([
    { username: 'bob', displayName: 'BOB', joined: false },
    { username: 'carol', displayName: 'CAROL', joined: true },
  ]);
  // Its starter calls back the first who joined.
  expect(view?.peer).toEqual({ username: 'carol', displayName: 'CAROL' });
});

test('a group call with nobody else ever in it or rung has no entry', () => {
  expect(groupCallLogView(ALICE, call, [member(ALICE, 1_000, 2_000)], [])).toBeNull();
});
