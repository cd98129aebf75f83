import type { CallLayout, ParticipantTile } from './groupCallView';

/**
 * Where the call screen puts each participant: a grid as square as fits the area, or one video
 * large (the speaker, or a shared screen) with the others in a strip. Pure, so that every rule
 * is tested without a page; the components only draw the result.
 */

/** Most tiles a call shows: the participant limit of a call. */
export const MAX_CALL_TILES = 16;

/** Cameras send 16:9, and a tile is drawn that shape. */
const TILE_ASPECT = 16 / 9;

/** The stage's shape until it is measured: a 16:9 window. */
export const DEFAULT_AREA_ASPECT = 16 / 9;

/** Tile widths closer than this are the same size (floating-point noise). */
const SAME_SIZE = 1e-9;

export interface GridShape {
  columns: number;
  rows: number;
}

/**
 * The grid for `count` tiles in an area `areaAspect` wide (width / height): the columns that make
 * the tiles largest; between equally large tiles, fewer empty cells, then more columns (a wide
 * window reads left to right, as in Element Call and Jitsi).
 */
export function gridShape(count: number, areaAspect: number = DEFAULT_AREA_ASPECT): GridShape {
  if (!Number.isInteger(count) || count < 1 || count > MAX_CALL_TILES) {
    throw new RangeError(`A call grid holds 1 to ${MAX_CALL_TILES} tiles, not ${count}`);
  }
  if (!Number.isFinite(areaAspect) || areaAspect <= 0) {
    throw new RangeError(`The grid's area needs a positive width and height, not ${areaAspect}`);
  }
  let best = { columns: 1, rows: count, width: 0, empty: 0 };
  for (let columns = 1; columns <= count; columns += 1) {
    const rows = Math.ceil(count / columns);
    // A tile's width, in heights of the area: limited by the columns or by the rows.
    const width = Math.min(areaAspect / columns, TILE_ASPECT / rows);
    const empty = columns * rows - count;
    const larger = width > best.width + SAME_SIZE;
    const asLarge = Math.abs(width - best.width) <= SAME_SIZE;
    if (larger || (asLarge && empty <= best.empty)) best = { columns, rows, width, empty };
  }
  return { columns: best.columns, rows: best.rows };
}

/**
 * The tiles in the order the screen shows them: ourselves first, then by slot, so a tile never
 * moves when someone else joins, leaves or speaks.
 */
export function orderedTiles(tiles: readonly ParticipantTile[]): ParticipantTile[] {
  const slots = new Set<number>();
  for (const tile of tiles) {
    if (slots.has(tile.slot)) throw new RangeError(`Two tiles have slot ${tile.slot}`);
    slots.add(tile.slot);
  }
  return [...tiles].sort((a, b) => Number(b.self) - Number(a.self) || a.slot - b.slot);
}

/**
 * Who the speaker view keeps large once the active speaker falls silent: the last participant
 * other than us who was the active speaker, while they are still in the call.
 */
export function rememberSpeaker(
  lastSpeakerSlot: number | null,
  tiles: readonly Pick<ParticipantTile, 'slot' | 'self'>[],
  activeSpeakerSlot: number | null,
): number | null {
  const isOther = (slot: number | null) => tiles.some((t) => t.slot === slot && !t.self);
  if (isOther(activeSpeakerSlot)) return activeSpeakerSlot;
  return isOther(lastSpeakerSlot) ? lastSpeakerSlot : null;
}

export type TileSource = 'camera' | 'screen';

/** One video on the stage: whose, and which of their videos. */
export interface StageTile {
  participant: ParticipantTile;
  source: TileSource;
}

export type Stage =
  /** Every participant's camera, the same size. */
  | { kind: 'grid'; shape: GridShape; tiles: StageTile[] }
  /** One video large (a speaker or a shared screen), the other cameras small in a strip. */
  | { kind: 'focus'; large: StageTile; strip: StageTile[] };

export interface StageInput {
  tiles: readonly ParticipantTile[];
  layout: CallLayout;
  activeSpeakerSlot: number | null;
  /** From `rememberSpeaker`. */
  lastSpeakerSlot: number | null;
  screenShareSlot: number | null;
  /** The stage's width / height. */
  areaAspect?: number;
}

/**
 * What the stage shows. A shared screen is always large (a screen in a grid cell is unreadable),
 * with its sharer's camera first in the strip beside it. Otherwise the grid, or the speaker view:
 * the active speaker large, else the last one who spoke, else the first other participant; we
 * are large only while alone.
 */
export function stageOf(input: StageInput): Stage {
  const tiles = orderedTiles(input.tiles);
  if (tiles.length === 0) throw new RangeError('A call screen shows at least our own tile');
  const camera = (participant: ParticipantTile): StageTile => ({ participant, source: 'camera' });
  const sharer = tiles.find((t) => t.slot === input.screenShareSlot);
  if (sharer) {
    return {
      kind: 'focus',
      large: { participant: sharer, source: 'screen' },
      strip: [sharer, ...tiles.filter((t) => t !== sharer)].map(camera),
    };
  }
  if (input.layout === 'grid') {
    return {
      kind: 'grid',
      shape: gridShape(tiles.length, input.areaAspect),
      tiles: tiles.map(camera),
    };
  }
  const others = tiles.filter((t) => !t.self);
  const large =
    others.find((t) => t.slot === input.activeSpeakerSlot) ??
    others.find((t) => t.slot === input.lastSpeakerSlot) ??
    others[0] ??
    tiles[0]!;
  return {
    kind: 'focus',
    large: camera(large),
    strip: tiles.filter((t) => t !== large).map(camera),
  };
}
