import type { Logger } from 'pino';
import { PROTOCOL_VERSION, type RoomServerMessage } from '../../protocol';
import type { Clock } from '../calls/timePorts';
import type { GroupCallLogStore } from '../db/GroupCallLogStore';
import type { PresenceService } from '../presence/PresenceService';
import type { DeviceDirectory } from '../routing/DeviceDirectory';
import type { GroupCall } from './GroupCall';
import type { RoomEvent } from './roomEvents';

/** A `room.*` message the server sends unasked (no `re`). */
export type RoomNotice = Exclude<RoomServerMessage, { re: string }>;

export interface GroupCallNoticesDeps {
  clock: Clock;
  directory: DeviceDirectory;
  groupLog: GroupCallLogStore;
  presence: () => PresenceService;
  logger: Logger;
  /** The call ended: it is no longer a group call of the server's. */
  ended: (callId: string) => void;
}

/**
 * What a group call's Room reports, turned into call-log rows (first: the group commit holds what
 * is told until they are on disk) and the `room.*` notices of docs/protocol.md "Group calls", each
 * to exactly the devices it concerns; presence follows membership.
 */
export class GroupCallNotices {
  /** The device being removed from its account right now: its leaving is told as `removed`. */
  private removing: string | null = null;

  constructor(private readonly deps: GroupCallNoticesDeps) {}

  /** Runs `work` (the device leaving its calls) with its leaving told as `removed`. */
  asRemoved(deviceId: string, work: () => void): void {
    this.removing = deviceId;
    try {
      work();
    } finally {
      this.removing = null;
    }
  }

  /** Tells the right devices what happened in the call, after writing what the log keeps. */
  handle(event: RoomEvent, call: GroupCall): void {
    const { room, callId } = call;
    const v = PROTOCOL_VERSION;
    const now = this.deps.clock.now();
    switch (event.kind) {
      case 'invited': {
        const { invitation } = event;
        const inviter = room.memberOf(invitation.inviterDeviceId);
        const card = inviter && call.cards.get(inviter.slot);
        if (!inviter || !card) return;
        call.invitedBy.set(invitation, inviter.slot);
        const entry = call.invitationEntry(invitation);
        if (entry) {
          this.sendAll(call.othersThan(null), {
            v,
            type: 'room.invitation',
            callId,
            invitation: entry,
          });
        }
        const members = call.memberEntries();
        for (const deviceId of invitation.ringingDeviceIds) {
          const slot = room.reservedSlotOf(deviceId);
          if (slot === undefined) continue;
          this.send(deviceId, {
            v,
            type: 'room.invite',
            callId,
            from: { ...card.user, deviceId: invitation.inviterDeviceId },
            media: call.media,
            slot,
            path: room.path,
            members,
          });
        }
        return;
      }
      case 'invitation': {
        const { invitation, event: change } = event;
        if (change.kind === 'ringing') return;
        const row = call.invitationRows.get(invitation);
        if (row !== undefined) {
          const [state, at] =
            change.kind === 'accepted' ? (['joined', now] as const) : [change.state, change.at];
          this.deps.groupLog.invitationEnded(row, state, at);
        }
        const entry = call.invitationEntry(invitation);
        const joiner = change.kind === 'accepted' ? change.deviceId : null;
        if (entry) {
          this.sendAll(call.othersThan(joiner), {
            v,
            type: 'room.invitation',
            callId,
            invitation: entry,
          });
        }
        if (change.kind === 'accepted') {
          this.sendAll(change.otherDeviceIds, {
            v,
            type: 'room.invite_ended',
            callId,
            reason: 'answered_elsewhere',
          });
          return;
        }
        const reason =
          change.state === 'declined'
            ? 'declined'
            : change.state === 'timeout'
              ? 'timeout'
              : change.state === 'cancelled'
                ? 'ended'
                : null;
        const told = new Set(change.ringingDeviceIds);
        if (change.state === 'declined' && change.byDeviceId) told.add(change.byDeviceId);
        if (reason) this.sendAll(told, { v, type: 'room.invite_ended', callId, reason });
        return;
      }
      case 'member_joined': {
        const entry = call.memberEntry(event.slot);
        this.deps.groupLog.joined(callId, {
          slot: event.slot,
          userId: event.user,
          deviceId: event.deviceId,
          joinedAt: now,
        });
        if (entry) {
          this.sendAll(call.othersThan(event.deviceId), {
            v,
            type: 'room.member_joined',
            callId,
            member: entry,
          });
        }
        // The joiner was not there when the others said what they send: it hears it now, so
        // their tiles show their camera and microphone as they are.
        for (const [slot, media] of call.memberMedia) {
          if (slot === event.slot || call.deviceOfSlot(slot) === undefined) continue;
          this.send(event.deviceId, { v, type: 'room.media', callId, slot, ...media });
        }
        this.publishPresenceOf(call);
        return;
      }
      case 'member_reconnecting':
      case 'member_back':
        this.sendAll(call.othersThan(event.deviceId), {
          v,
          type: 'room.member_state',
          callId,
          slot: event.slot,
          state: event.kind === 'member_back' ? 'joined' : 'reconnecting',
        });
        return;
      case 'member_left': {
        this.deps.groupLog.left(callId, event.slot, event.at);
        call.memberMedia.delete(event.slot);
        call.sfu.memberLeft(event.slot);
        if (event.reason === 'ended') {
          call.endedFor.push(event.deviceId);
          return;
        }
        this.sendAll(call.othersThan(event.deviceId), {
          v,
          type: 'room.member_left',
          callId,
          slot: event.slot,
          reason:
            event.reason === 'hangup'
              ? 'left'
              : event.reason === 'rejoined'
                ? 'rejoined'
                : this.removing === event.deviceId
                  ? 'removed'
                  : 'connection_lost',
        });
        this.deps.presence().publish(event.user);
        return;
      }
      case 'path_changed': {
        // The third member, who just joined, learns the path from its room state.
        const joiner = room.members[room.members.length - 1]?.deviceId ?? null;
        this.sendAll(call.othersThan(joiner), { v, type: 'room.path', callId, path: event.path });
        return;
      }
      case 'ended': {
        this.deps.groupLog.ended(callId, room.endedAt ?? now);
        this.deps.ended(callId);
        call.sfu.close();
        // A grown call that ends before its third member joined ends as 1:1 (call.hangup).
        if (room.path === 'sfu') {
          const told = call.endedFor.filter((d) => d !== event.byDeviceId);
          this.sendAll(told, { v, type: 'room.ended', callId });
        }
        this.publishPresenceOf(
          call,
          room.members.map((m) => m.userId),
        );
        this.deps.logger.info({ callId, reason: event.reason }, 'group call ended');
        return;
      }
    }
  }

  private publishPresenceOf(call: GroupCall, userIds = call.room.liveMembers.map((m) => m.userId)) {
    const presence = this.deps.presence();
    for (const userId of new Set(userIds)) presence.publish(userId);
  }

  send(deviceId: string, message: RoomNotice): void {
    this.deps.directory.sendToDevice(deviceId, message);
  }

  sendAll(deviceIds: Iterable<string>, message: RoomNotice): void {
    this.deps.directory.sendToDevices(deviceIds, message);
  }
}
