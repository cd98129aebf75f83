import type { CallMedia, InvitationState, RoomPath } from '../../protocol';

/**
 * What the call screen shows of a call with participants: the RoomClient's state as plain data,
 * so that components only draw it and call back (state lives outside components). A 1:1 call
 * that grew and a call started as a group call look the same here.
 */

/** How far a participant's media has come, as its tile says it. */
export type TileState =
  /** Joined, but no frame of theirs decoded yet (transports, consumers or keys still coming). */
  | 'connecting'
  /** Their media decodes. */
  | 'live'
  /**
   * Their frames have failed for 2 s with none decrypting (as the 1:1 call screen says "can't
   * decrypt"): no key from them yet, a key that does not fit, or a share we refused.
   */
  | 'cant_decrypt'
  /**
   * Their connection to the server dropped (they keep their place for the reconnect grace) and
   * their media no longer reaches us either.
   */
  | 'reconnecting';

export interface ParticipantTile {
  /** The member's slot: stable for the whole call, never reused, the key of the tile. */
  slot: number;
  username: string;
  displayName: string;
  /** This device. */
  self: boolean;
  state: TileState;
  microphoneOn: boolean;
  cameraOn: boolean;
  /** Camera video (null while off or not yet received). */
  camera: MediaStream | null;
  /** Screen share video, when this participant shares a screen. */
  screen: MediaStream | null;
  /** Their microphone, for an audio element (null for ourselves, or before it arrives). */
  audio: MediaStream | null;
  /** The member's safety number with us (60 digits in groups of five); null for ourselves. */
  safetyNumber: string | null;
  /** Their root key is not the one pinned on this device: the user is warned, as in a 1:1 call. */
  safetyNumberChanged: boolean;
}

export interface InvitedPerson {
  username: string;
  displayName: string;
  state: InvitationState;
}

export type CallLayout =
  /** Every tile the same size, as many columns as the count needs. */
  | 'grid'
  /** The active speaker (or a shared screen) large, the others in a strip. */
  | 'speaker';

export interface GroupCallView {
  callId: string;
  media: CallMedia;
  path: RoomPath;
  /** In slot order, ourselves first. */
  tiles: readonly ParticipantTile[];
  /** The slot of the loudest participant now, null in silence. */
  activeSpeakerSlot: number | null;
  /**
   * The last participant other than us who was the active speaker, while still in the call: the
   * speaker view keeps them large through a silence.
   */
  lastSpeakerSlot: number | null;
  /** The slot whose screen share is shown large, null when nobody shares. */
  screenShareSlot: number | null;
  layout: CallLayout;
  /** People invited into the call and how their invitation stands. */
  invited: readonly InvitedPerson[];
  /** True while the call may take more people (below its participant limit). */
  canInvite: boolean;
  /**
   * The call's link while one exists (only its creator sees it); `approval`: people who open it
   * knock and wait for the creator's yes.
   */
  link: { url: string; deepLink: string; approval: boolean } | null;
  /** People knocking through the link, waiting for our yes (only the creator sees them). */
  knocks: readonly KnockingPerson[];
  /** Whether we may make a link: only the creator of a call started as a group call may. */
  canCreateLink: boolean;
  /**
   * Our own link is down and coming back (null: it is up): `signaling`, the connection to the
   * server (the media goes on meanwhile); `media`, our connection to the SFU.
   */
  reconnecting: 'signaling' | 'media' | null;
}

export interface KnockingPerson {
  username: string;
  displayName: string;
}

/** What the call screen may ask for. */
export interface GroupCallActions {
  leave(): void;
  invite(usernames: readonly string[]): void;
  setLayout(layout: CallLayout): void;
  /**
   * A tile's video element changed size on screen (null: it is not visible): the preferred
   * simulcast layer follows the size, and a video nobody sees is paused.
   */
  tileResized(slot: number, source: 'camera' | 'screen', size: TileSize | null): void;
  /** Makes the call's link; with `approval`, people who open it wait for `admit`. */
  createLink(approval: boolean): void;
  revokeLink(): void;
  /** Lets a knocking person in, or refuses them (they are told). */
  admit(username: string, admit: boolean): void;
}

export interface TileSize {
  width: number;
  height: number;
}
