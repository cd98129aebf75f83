import type { GroupCallView, ParticipantTile } from '../../../renderer/state/groupCallView';

/**
 * The tile of the participant in `slot` (`user<slot>`; slot 0 is us): live, microphone and camera
 * on, no media received and no safety number yet, unless `tile` says otherwise.
 */
export function participantTile(
  slot: number,
  tile: Partial<ParticipantTile> = {},
): ParticipantTile {
  return {
    slot,
    username: `user${slot}`,
    displayName: `User ${slot}`,
    self: slot === 0,
    state: 'live',
    microphoneOn: true,
    cameraOn: true,
    camera: null,
    screen: null,
    audio: null,
    safetyNumber: null,
    safetyNumberChanged: false,
    ...tile,
  };
}

/**
 * The screen's view of group call `callId` with `tiles`: video through the SFU in the grid, nobody
 * speaking or sharing, no invitations, link or knocks, room for more; unless `view` says otherwise.
 */
export function groupCallView(
  view: Pick<GroupCallView, 'callId' | 'tiles'> & Partial<GroupCallView>,
): GroupCallView {
  return {
    media: 'video',
    path: 'sfu',
    activeSpeakerSlot: null,
    lastSpeakerSlot: null,
    screenShareSlot: null,
    layout: 'grid',
    invited: [],
    canInvite: true,
    link: null,
    knocks: [],
    canCreateLink: false,
    reconnecting: null,
    ...view,
  };
}
