import type { CallFailure } from '../../protocol';
import type { Invitation, InvitationCloseState, InvitationEvent } from './Invitation';

/** What a Room is and reports: its phases, members and events (see Room for the rules). */
export type RoomPhase = 'ringing' | 'active' | 'ended';
export type MediaPath = 'p2p' | 'sfu';
export type MemberState = 'joined' | 'reconnecting' | 'left';
export type RoomEndReason = InvitationCloseState | 'hangup';
/** `rejoined`: the member's device took a new slot in its place (Room.rejoinInNewSlot). */
export type LeaveReason = 'hangup' | 'connection_lost' | 'ended' | 'rejoined';

export interface RoomMember {
  readonly slot: number;
  readonly userId: number;
  readonly deviceId: string;
  readonly state: MemberState;
  readonly joinedAt: number;
}

export type RoomEvent =
  | { kind: 'member_joined'; slot: number; user: number; deviceId: string }
  | { kind: 'member_reconnecting'; slot: number; user: number; deviceId: string }
  | { kind: 'member_back'; slot: number; user: number; deviceId: string }
  | {
      kind: 'member_left';
      slot: number;
      user: number;
      deviceId: string;
      reason: LeaveReason;
      at: number;
    }
  | { kind: 'path_changed'; path: MediaPath }
  | { kind: 'invited'; invitation: Invitation }
  | { kind: 'invitation'; invitation: Invitation; event: InvitationEvent }
  | {
      kind: 'ended';
      reason: RoomEndReason;
      /** Why the call could not go ahead, when a decline or hang-up said so. */
      failure: CallFailure | null;
      /** The device whose action or lost connection ended the room; null for busy and timeout. */
      byDeviceId: string | null;
      endedFrom: 'ringing' | 'active';
      /** Devices still ringing at the end (they must be told to stop). */
      ringingDeviceIds: string[];
    };
