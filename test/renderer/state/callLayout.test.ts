import {
  gridShape,
  MAX_CALL_TILES,
  orderedTiles,
  rememberSpeaker,
  stageOf,
  type Stage,
  type StageInput,
} from '../../../renderer/state/callLayout';
import type { ParticipantTile } from '../../../renderer/state/groupCallView';
import { participantTile } from './groupCallViewSamples';

/** A participant in `slot`; slot 0 is us unless said otherwise. */
function tile(slot: number, self = slot === 0): ParticipantTile {
  return participantTile(slot, { self, safetyNumber: self ? null : '1'.repeat(60) });
}

const call = (count: number) => Array.from({ length: count }, (_, slot) => tile(slot));

function stage(overrides: Partial<StageInput>): Stage {
  return stageOf({
    tiles: call(4),
    layout: 'speaker',
    activeSpeakerSlot: null,
    lastSpeakerSlot: null,
    screenShareSlot: null,
    ...overrides,
  });
}

/** The stage in words: `large` as "slot:source", the rest in order. */
function describeStage(s: Stage): { large: string | null; others: string[] } {
  const name = (t: { participant: ParticipantTile; source: string }) =>
    `${t.participant.slot}:${t.source}`;
  return s.kind === 'grid'
    ? { large: null, others: s.tiles.map(name) }
    : { large: name(s.large), others: s.strip.map(name) };
}

describe('the grid in a 16:9 area', () => {
  test.each([
    [1, 1, 1],
    [2, 2, 1],
    [3, 2, 2],
    [4, 2, 2],
    [5, 3, 2],
    [6, 3, 2],
    [7, 3, 3],
    [8, 3, 3],
    [9, 3, 3],
    [10, 4, 3],
    [11, 4, 3],
    [12, 4, 3],
    [13, 4, 4],
    [14, 4, 4],
    [15, 4, 4],
    [16, 4, 4],
  ])('%i tiles: %i columns, %i rows', (count, columns, rows) => {
    expect(gridShape(count)).toEqual({ columns, rows });
  });

  test('every tile has a cell, and no row is left empty', () => {
    for (let count = 1; count <= MAX_CALL_TILES; count += 1) {
      const { columns, rows } = gridShape(count);
      expect(columns * rows).toBeGreaterThanOrEqual(count);
      expect(columns * (rows - 1)).toBeLessThan(count);
    }
  });
});

describe('the grid follows the shape of the area', () => {
  test('a tall window stacks two people, a very wide one puts four in a row', () => {
    expect(gridShape(2, 9 / 16)).toEqual({ columns: 1, rows: 2 });
    expect(gridShape(4, 4)).toEqual({ columns: 4, rows: 1 });
  });

  test('below a control bar (1280x620) the counts keep their 16:9 columns', () => {
    const aspect = 1280 / 620;
    expect([2, 5, 9, 16].map((n) => gridShape(n, aspect).columns)).toEqual([2, 3, 3, 4]);
  });
});

describe('the grid refuses what no call has', () => {
  test.each([0, 17, 2.5, NaN])('%p tiles', (count) => {
    expect(() => gridShape(count)).toThrow(`A call grid holds 1 to 16 tiles, not ${count}`);
  });

  test.each([0, -1, Infinity])('an area of aspect %p', (aspect) => {
    expect(() => gridShape(4, aspect)).toThrow("The grid's area needs a positive width");
  });
});

describe('tile order', () => {
  test('ourselves first, then by slot, whatever order the tiles come in', () => {
    const tiles = [tile(7, false), tile(2, false), tile(5, true), tile(3, false)];
    expect(orderedTiles(tiles).map((t) => t.slot)).toEqual([5, 2, 3, 7]);
  });

  test('a tile keeps its place when someone joins, leaves or speaks', () => {
    const before = stage({ layout: 'grid', tiles: call(4), activeSpeakerSlot: 1 });
    const after = stage({
      layout: 'grid',
      tiles: [...call(4).filter((t) => t.slot !== 1), tile(9)],
      activeSpeakerSlot: 3,
    });
    expect(describeStage(before).others).toEqual(['0:camera', '1:camera', '2:camera', '3:camera']);
    expect(describeStage(after).others).toEqual(['0:camera', '2:camera', '3:camera', '9:camera']);
  });

  test('two tiles with one slot are refused', () => {
    expect(() => orderedTiles([tile(0), tile(1), tile(1)])).toThrow('Two tiles have slot 1');
  });
});

describe('the grid layout', () => {
  test("everyone's camera, the same size, in the grid for the count", () => {
    const s = stage({ layout: 'grid', tiles: call(5), activeSpeakerSlot: 2 });
    expect(s.kind === 'grid' && s.shape).toEqual({ columns: 3, rows: 2 });
    expect(describeStage(s)).toEqual({
      large: null,
      others: ['0:camera', '1:camera', '2:camera', '3:camera', '4:camera'],
    });
  });

  test('the measured area shapes it', () => {
    const s = stage({ layout: 'grid', tiles: call(2), areaAspect: 9 / 16 });
    expect(s.kind === 'grid' && s.shape).toEqual({ columns: 1, rows: 2 });
  });

  test('a call with no tile, not even ours, is refused', () => {
    expect(() => stage({ layout: 'grid', tiles: [] })).toThrow(
      'A call screen shows at least our own tile',
    );
  });
});

describe('the speaker view', () => {
  test('the active speaker is large, everyone else in the strip in tile order', () => {
    expect(describeStage(stage({ activeSpeakerSlot: 2 }))).toEqual({
      large: '2:camera',
      others: ['0:camera', '1:camera', '3:camera'],
    });
  });

  test('in silence the last one who spoke stays large', () => {
    expect(describeStage(stage({ activeSpeakerSlot: null, lastSpeakerSlot: 3 })).large).toBe(
      '3:camera',
    );
  });

  test('before anyone spoke, the first other participant is large', () => {
    expect(describeStage(stage({})).large).toBe('1:camera');
  });

  test('we are never large while someone else is in the call, even when we speak', () => {
    expect(describeStage(stage({ activeSpeakerSlot: 0, lastSpeakerSlot: 2 })).large).toBe(
      '2:camera',
    );
    expect(describeStage(stage({ activeSpeakerSlot: 0 })).large).toBe('1:camera');
    const ourSlotLast = stage({ tiles: [tile(4, true), tile(1, false)], activeSpeakerSlot: 4 });
    expect(describeStage(ourSlotLast)).toEqual({ large: '1:camera', others: ['4:camera'] });
  });

  test('alone, we are large and the strip is empty', () => {
    expect(describeStage(stage({ tiles: [tile(0)], activeSpeakerSlot: 0 }))).toEqual({
      large: '0:camera',
      others: [],
    });
  });

  test('a speaker who left is not large: the first other participant is', () => {
    const tiles = call(4).filter((t) => t.slot !== 2);
    expect(describeStage(stage({ tiles, lastSpeakerSlot: 2 })).large).toBe('1:camera');
  });
});

describe('a shared screen', () => {
  test('is large, with the sharer camera first in the strip, then the others in order', () => {
    expect(describeStage(stage({ screenShareSlot: 2, activeSpeakerSlot: 3 }))).toEqual({
      large: '2:screen',
      others: ['2:camera', '0:camera', '1:camera', '3:camera'],
    });
  });

  test('is large in the grid layout too', () => {
    expect(describeStage(stage({ layout: 'grid', screenShareSlot: 1 })).large).toBe('1:screen');
  });

  test('our own shared screen is large when the view says so', () => {
    expect(describeStage(stage({ screenShareSlot: 0 })).large).toBe('0:screen');
  });

  test('of someone who left, it is not shown', () => {
    expect(describeStage(stage({ layout: 'grid', screenShareSlot: 8 })).large).toBeNull();
  });
});

describe('remembering the last speaker', () => {
  const tiles = call(4);

  test('the active speaker, once someone other than us speaks', () => {
    expect(rememberSpeaker(null, tiles, 2)).toBe(2);
    expect(rememberSpeaker(1, tiles, 3)).toBe(3);
  });

  test('kept through silence and while we speak', () => {
    expect(rememberSpeaker(2, tiles, null)).toBe(2);
    expect(rememberSpeaker(2, tiles, 0)).toBe(2);
  });

  test('forgotten when they leave; an unknown slot is never remembered', () => {
    expect(
      rememberSpeaker(
        2,
        tiles.filter((t) => t.slot !== 2),
        null,
      ),
    ).toBeNull();
    expect(rememberSpeaker(null, tiles, 11)).toBeNull();
    expect(rememberSpeaker(null, tiles, 0)).toBeNull();
  });
});
