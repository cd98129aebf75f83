import type { GroupCallView } from '../../../renderer/state/groupCallView';
import { inviteCandidates, invitePlaces } from '../../../renderer/state/inviteCandidates';
import { participantTile } from './groupCallViewSamples';

const tile = (slot: number, username: string) =>
  participantTile(slot, { username, displayName: username });

const contact = (username: string) => ({ username, displayName: username.toUpperCase() });
const contacts = ['alice', 'bob', 'carol', 'dave', 'erin'].map(contact);

function call(
  overrides: Partial<GroupCallView>,
): Pick<GroupCallView, 'tiles' | 'invited' | 'canInvite'> {
  return { tiles: [tile(0, 'me'), tile(1, 'alice')], invited: [], canInvite: true, ...overrides };
}

describe('who can be invited', () => {
  test('contacts not in the call and not being rung; those who did not come can be asked again', () => {
    const view = call({
      invited: [
        { username: 'bob', displayName: 'BOB', state: 'ringing' },
        { username: 'carol', displayName: 'CAROL', state: 'declined' },
        { username: 'dave', displayName: 'DAVE', state: 'timeout' },
        { username: 'alice', displayName: 'ALICE', state: 'joined' },
      ],
    });
    expect(inviteCandidates(contacts, view).map((c) => c.username)).toEqual([
      'carol',
      'dave',
      'erin',
    ]);
  });

  test('we are never offered, even when we are in our own contacts', () => {
    expect(inviteCandidates([contact('me'), ...contacts], call({})).map((c) => c.username)).toEqual(
      ['bob', 'carol', 'dave', 'erin'],
    );
  });
});

describe('how many can be invited at once', () => {
  const people = (count: number) =>
    Array.from({ length: count }, (_, slot) => tile(slot, `user${slot}`));

  test('the places left in a call of 16, counting those being rung', () => {
    expect(invitePlaces(call({ tiles: people(2) }))).toBe(14);
    const ringing = ['x', 'y', 'z'].map((u) => ({
      username: u,
      displayName: u,
      state: 'ringing' as const,
    }));
    expect(invitePlaces(call({ tiles: people(10), invited: ringing }))).toBe(3);
    expect(invitePlaces(call({ tiles: people(16) }))).toBe(0);
  });

  test('none while the call says it takes no more', () => {
    expect(invitePlaces(call({ tiles: people(3), canInvite: false }))).toBe(0);
  });
});
