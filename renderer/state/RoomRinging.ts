import { batch, signal } from '@preact/signals';
import type { ServerMessageOf } from '../../protocol';
import type { RoomRequests } from './RoomRequests';

/** A group call ringing on this device (room.invite), not yet joined. */
export type IncomingRoomInvite = Omit<ServerMessageOf<'room.invite'>, 'v' | 'type' | 'seq'>;

/** How a group call stopped ringing here, as main's tray and missed-call count take it. */
export interface RoomInviteEnded {
  invite: IncomingRoomInvite;
  endedAs: 'answered' | 'declined' | 'missed' | 'other';
}

/** A call that stops ringing without us: the one that rang till the end (or ended) is missed. */
const inviteEndedAs = {
  answered_elsewhere: 'answered',
  declined: 'declined',
  timeout: 'missed',
  ended: 'missed',
} as const satisfies Record<
  ServerMessageOf<'room.invite_ended'>['reason'],
  RoomInviteEnded['endedAs']
>;

export interface RoomRingingDeps {
  requests: Pick<RoomRequests, 'decline'>;
  /** In a group call, or entering one: the server rings no such device. */
  busy(): boolean;
}

/**
 * Group calls ringing on this device (room.invite): one at a time, until it is answered here,
 * declined, or stops ringing without us (room.invite_ended), each end told as main's tray and the
 * missed-call count take it.
 */
export class RoomRinging {
  /** The group call ringing here, if any. */
  readonly incoming = signal<IncomingRoomInvite | null>(null);
  /** The last group call that stopped ringing here, and how. */
  readonly ended = signal<RoomInviteEnded | null>(null);

  constructor(private readonly deps: RoomRingingDeps) {}

  /** An invite came: true when it rings here (a device busy with a call, or ringing, is not rung). */
  ring(invite: ServerMessageOf<'room.invite'>): boolean {
    if (this.deps.busy() || this.incoming.value) return false;
    const { v: _v, type: _type, seq: _seq, ...incoming } = invite;
    this.incoming.value = incoming;
    return true;
  }

  /** The server says the call stopped ringing (room.invite_ended): answered elsewhere, timed out… */
  inviteEnded(notice: ServerMessageOf<'room.invite_ended'>): void {
    if (this.incoming.value?.callId === notice.callId) this.stop(inviteEndedAs[notice.reason]);
  }

  /** Declines the call ringing here (all of our devices stop ringing). */
  decline(): void {
    const invite = this.incoming.value;
    if (!invite) return;
    this.stop('declined');
    this.deps.requests.decline(invite.callId);
  }

  /** The call ringing here stops ringing, `endedAs`. */
  stop(endedAs: RoomInviteEnded['endedAs']): void {
    const invite = this.incoming.value;
    if (!invite) return;
    batch(() => {
      this.incoming.value = null;
      this.ended.value = { invite, endedAs };
    });
  }
}
