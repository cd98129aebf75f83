import { FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE } from '../../../protocol';
import {
  invitationStateText,
  participantStateText,
  peopleCountText,
  speakerAnnouncement,
  tileStateText,
} from '../../../renderer/state/groupCallText';
import { participantTile } from './groupCallViewSamples';

const tile = (slot: number, displayName: string) => participantTile(slot, { displayName });

const tiles = [tile(0, 'Me'), tile(1, 'Alice'), tile(2, '\u202eevil')];

describe('the group-call screen words', () => {
  test('a tile says what keeps its media from playing, and nothing while it plays', () => {
    expect(tileStateText).toEqual({
      connecting: 'Connecting…',
      live: null,
      cant_decrypt: "Can't decrypt",
      reconnecting: 'Reconnecting…',
    });
  });

  test('every state and invitation outcome reads as words starting with a capital', () => {
    for (const text of [
      ...Object.values(participantStateText),
      ...Object.values(invitationStateText),
    ]) {
      expect(text).toMatch(/^[A-Z][^_]*$/);
    }
  });

  test('the speaker is announced by name, isolated and stripped of direction controls', () => {
    expect(speakerAnnouncement({ tiles, activeSpeakerSlot: 1 })).toBe(
      `${FIRST_STRONG_ISOLATE}Alice${POP_DIRECTIONAL_ISOLATE} is speaking`,
    );
    expect(speakerAnnouncement({ tiles, activeSpeakerSlot: 2 })).toBe(
      `${FIRST_STRONG_ISOLATE}evil${POP_DIRECTIONAL_ISOLATE} is speaking`,
    );
  });

  test('nothing is announced in silence, while we speak, or for a slot not in the call', () => {
    for (const slot of [null, 0, 9]) {
      expect(speakerAnnouncement({ tiles, activeSpeakerSlot: slot })).toBe('');
    }
  });

  test('the people count', () => {
    expect(peopleCountText(tiles.slice(0, 1))).toBe('Only you in the call');
    expect(peopleCountText(tiles)).toBe('3 people in the call');
  });
});
