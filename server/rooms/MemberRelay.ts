import { PROTOCOL_VERSION, type ClientMessageOf } from '../../protocol';
import type { CallParty } from '../calls/CallService';
import type { GroupCallNotices } from './GroupCallNotices';
import { refuse, type RoomResult } from './roomResult';
import type { RoomService } from './RoomService';

/**
 * What a member sends the others through the server (docs/protocol.md, "Keys of a group call",
 * "Moving a grown call to the SFU"): its media state, its member share, its wrapped sender keys,
 * its acknowledgements, and that the SFU carries the other party of a grown call to it. Each comes
 * only from a live member and names only its own slot; a wrapped key or an acknowledgement goes
 * only to the live member it names. Anything else is refused whole and relays nothing.
 */
const done: RoomResult = { ok: true };

export class MemberRelay {
  constructor(
    private readonly rooms: Pick<RoomService, 'asMember'>,
    private readonly notices: Pick<GroupCallNotices, 'send' | 'sendAll'>,
  ) {}

  /** `room.media`: what the sender sends, relayed to the others naming its slot. */
  mediaState(party: CallParty, message: ClientMessageOf<'room.media'>): RoomResult {
    return this.rooms.asMember(message.callId, party, (call, slot) => {
      const { callId, audio, video, screen } = message;
      call.memberMedia.set(slot, { audio, video, screen });
      this.notices.sendAll(call.othersThan(party.deviceId), {
        v: PROTOCOL_VERSION,
        type: 'room.media',
        callId,
        slot,
        audio,
        video,
        screen,
      });
      return done;
    });
  }

  /**
   * `room.carried`: a party of a grown call receives the other party through the SFU; told to
   * that party alone. Only the two who were in the 1:1 call send it, only once the path is `sfu`
   * and while both are still members: anything else is refused and tells nobody.
   */
  carried(party: CallParty, message: ClientMessageOf<'room.carried'>): RoomResult {
    return this.rooms.asMember(message.callId, party, (call, slot) => {
      if (call.origin !== 'grown') {
        return refuse('call_state', 'room.carried: this call did not grow from a 1:1 call');
      }
      if (slot !== 0 && slot !== 1) {
        return refuse('call_state', 'room.carried: only the two of the 1:1 call send it');
      }
      if (call.room.path !== 'sfu') {
        return refuse('call_state', "room.carried: this call's path is not sfu yet");
      }
      const other = call.deviceOfSlot(1 - slot);
      if (!other) return refuse('call_state', 'room.carried: the other party left this call');
      this.notices.send(other, {
        v: PROTOCOL_VERSION,
        type: 'room.carried',
        callId: message.callId,
        slot,
      });
      return done;
    });
  }

  /** `room.share`: the member's newest share of its own slot, kept and relayed. */
  share(party: CallParty, message: ClientMessageOf<'room.share'>): RoomResult {
    return this.rooms.asMember(message.callId, party, (call, slot) => {
      if (message.share.slot !== slot) {
        return refuse('bad_message', `share.slot: your slot is ${slot}`);
      }
      call.shares.set(slot, message.share);
      call.rejoinedParties.delete(slot);
      // Ringing devices too: an invitee of a grown 1:1 call has the pair's shares only this way.
      this.notices.sendAll([...call.othersThan(party.deviceId), ...call.room.ringingDeviceIds], {
        v: PROTOCOL_VERSION,
        type: 'room.share',
        callId: message.callId,
        slot,
        share: message.share,
      });
      return done;
    });
  }

  /**
   * `room.keys`: the sender's wrapped keys, each delivered to its one recipient. The whole batch
   * is checked first: from the sender's own slot, to live members other than the sender, each
   * named once; anything else refuses it all and delivers nothing.
   */
  keys(party: CallParty, message: ClientMessageOf<'room.keys'>): RoomResult {
    return this.rooms.asMember(message.callId, party, (call, slot) => {
      const recipients = new Map<number, string>();
      for (const key of message.keys) {
        if (key.from !== slot) return refuse('bad_message', `keys: from must be your slot ${slot}`);
        const deviceId = key.to === slot ? undefined : call.deviceOfSlot(key.to);
        if (!deviceId) return refuse('bad_message', `keys: slot ${key.to} is not another member`);
        if (recipients.has(key.to)) return refuse('bad_message', `keys: slot ${key.to} twice`);
        recipients.set(key.to, deviceId);
      }
      for (const key of message.keys) {
        this.notices.send(recipients.get(key.to)!, {
          v: PROTOCOL_VERSION,
          type: 'room.key',
          callId: message.callId,
          key,
        });
      }
      return done;
    });
  }

  /** `room.key_ack`: goes to the key's owner, naming the member that installed it. */
  keyAck(party: CallParty, message: ClientMessageOf<'room.key_ack'>): RoomResult {
    return this.rooms.asMember(message.callId, party, (call, slot) => {
      const owner = message.slot === slot ? undefined : call.deviceOfSlot(message.slot);
      if (!owner) return refuse('bad_message', `slot: ${message.slot} is not another member`);
      const { callId, generation, epoch } = message;
      this.notices.send(owner, {
        v: PROTOCOL_VERSION,
        type: 'room.key_ack',
        callId,
        slot,
        generation,
        epoch,
      });
      return done;
    });
  }
}
