import { randomBytes } from 'node:crypto';
import {
  MAX_ROOM_INVITATIONS,
  PROTOCOL_VERSION,
  type ServerMessage,
  type ServerMessageOf,
} from '../../protocol';
import type { CallParty } from '../calls/CallService';
import type { Clock } from '../calls/timePorts';
import type { CallLinkStore } from '../db/CallLinkStore';
import type { DeviceDirectory } from '../routing/DeviceDirectory';
import type { GroupCall, UserSummary } from './GroupCall';
import { refuse, type RoomResult } from './roomResult';
import type { RoomService } from './RoomService';

/**
 * Call links (docs/protocol.md, "Call links"): the creator of a group call makes, replaces and
 * revokes its link; any signed-in user who negotiated `rooms` opens one to see where it leads and
 * joins through it, at once or after knocking and the creator's yes. A link carries no key: a
 * joiner gets keys from the members, as any joiner does. Tokens are on disk before they are told.
 */
export interface CallLinksDeps {
  clock: Clock;
  store: CallLinkStore;
  rooms: RoomService;
  directory: DeviceDirectory;
}

/** Bytes of randomness in a token (22 base64url characters). */
const TOKEN_BYTES = 16;

export type LinkResult<T> = ({ ok: true } & T) | Exclude<RoomResult, { ok: true }>;

/** Who asks to join through a link. */
type LinkJoiner = Pick<CallParty, 'userId' | 'username' | 'displayName' | 'deviceId'>;

export class CallLinks {
  /** Knocks waiting for the creator's answer: by call, the knocking user's device by username. */
  private readonly knocks = new Map<string, Map<string, LinkJoiner>>();

  constructor(private readonly deps: CallLinksDeps) {
    deps.rooms.onCreatorGone((callId) => this.turnAwayKnocks(callId));
  }

  /** `room.link_create`: a new link for the creator's call, replacing any earlier one. */
  create(party: CallParty, callId: string, approval: boolean): LinkResult<{ token: string }> {
    const call = this.ofCreator(party, callId);
    if (!call.ok) return call;
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    this.deps.store.create({ token, callId, approval }, this.deps.clock.now());
    return { ok: true, token };
  }

  /**
   * `room.link_revoke`: the creator's call has no working link any more, and whoever still knocks
   * through it is turned away (else they would wait for an answer that cannot come).
   */
  revoke(party: CallParty, callId: string): RoomResult {
    const call = this.ofCreator(party, callId);
    if (!call.ok) return call;
    this.deps.store.revoke(callId, this.deps.clock.now());
    this.turnAwayKnocks(callId);
    return { ok: true };
  }

  /** Whoever still knocks on the call is told no: nobody will answer (revoked, creator gone). */
  private turnAwayKnocks(callId: string): void {
    for (const knock of this.knocks.get(callId)?.values() ?? []) {
      this.send(knock.deviceId, { v: PROTOCOL_VERSION, type: 'room.knock_refused', callId });
    }
    this.knocks.delete(callId);
  }

  /** `room.link_open`: where the link leads, before joining. */
  open(token: string): LinkResult<{
    callId: string;
    media: GroupCall['media'];
    creator: UserSummary;
    members: number;
    approval: boolean;
  }> {
    const target = this.target(token);
    if (!target.ok) return target;
    const { call, approval } = target;
    const creator = call.cards.get(0)?.user;
    if (!creator) return refuse('call_link_unknown');
    return {
      ok: true,
      callId: call.callId,
      media: call.media,
      creator,
      members: call.room.liveMembers.length,
      approval,
    };
  }

  /**
   * `room.link_join`: without approval the sender's device is invited at once; with approval the
   * creator's device is sent `room.knock` and the sender waits for `room.admit`.
   */
  join(party: CallParty, token: string, acknowledge: () => void): RoomResult {
    const target = this.target(token);
    if (!target.ok) return target;
    const { call, approval } = target;
    if (!approval) return this.deps.rooms.inviteThroughLink(call, party, acknowledge);
    const creatorDevice = call.room.memberOf(call.room.creatorDeviceId)?.deviceId;
    if (!creatorDevice) return refuse('call_link_unknown');
    if (this.deps.rooms.isUserBusy(party.userId)) return refuse('already_in_call');
    const knocks = this.knocks.get(call.callId) ?? new Map<string, LinkJoiner>();
    if (!knocks.has(party.username) && knocks.size >= MAX_ROOM_INVITATIONS) {
      return refuse('room_full', 'Too many people are waiting to be let into this call');
    }
    const { userId, username, displayName, deviceId } = party;
    knocks.set(username, { userId, username, displayName, deviceId });
    this.knocks.set(call.callId, knocks);
    acknowledge();
    this.send(creatorDevice, {
      v: PROTOCOL_VERSION,
      type: 'room.knock',
      callId: call.callId,
      user: { username: party.username, displayName: party.displayName },
    });
    return { ok: true };
  }

  /** `room.admit`: the creator lets a knocking user in, or turns them away. */
  admit(
    party: CallParty,
    callId: string,
    username: string,
    admit: boolean,
    acknowledge: () => void,
  ): RoomResult {
    const call = this.ofCreator(party, callId);
    if (!call.ok) return call;
    const knocks = this.knocks.get(callId);
    const knock = knocks?.get(username);
    if (!knocks || !knock) return refuse('call_state', `${username} is not waiting to join`);
    knocks.delete(username);
    if (knocks.size === 0) this.knocks.delete(callId);
    if (!admit) {
      acknowledge();
      this.send(knock.deviceId, { v: PROTOCOL_VERSION, type: 'room.knock_refused', callId });
      return { ok: true };
    }
    return this.deps.rooms.inviteThroughLink(call.call, knock, acknowledge);
  }

  /**
   * What the `room` state tells the call's creator besides the others: that it is the creator,
   * and the link that works now (which a creator back from a rejoin could not know otherwise).
   */
  creatorPartOf(
    party: CallParty,
    callId: string,
  ): Pick<ServerMessageOf<'room'>, 'creator' | 'link'> {
    if (!this.ofCreator(party, callId).ok) return {};
    const link = this.deps.store.workingOf(callId);
    return { creator: true, ...(link && { link: { token: link.token, approval: link.approval } }) };
  }

  /** The creator rejoined (a new slot, a reloaded page): whoever still knocks is shown again. */
  creatorBack(party: CallParty, callId: string): void {
    if (!this.ofCreator(party, callId).ok) return;
    for (const knock of this.knocks.get(callId)?.values() ?? []) {
      this.send(party.deviceId, {
        v: PROTOCOL_VERSION,
        type: 'room.knock',
        callId,
        user: { username: knock.username, displayName: knock.displayName },
      });
    }
  }

  /** The call whose creator (the device that made it with `room.create`) the sender is. */
  private ofCreator(
    party: CallParty,
    callId: string,
  ): { ok: true; call: GroupCall } | Exclude<RoomResult, { ok: true }> {
    const call = this.deps.rooms.groupCall(callId);
    if (!call) return refuse('unknown_call');
    const creator = call.room.memberOf(party.deviceId);
    if (call.origin !== 'created' || !creator || party.deviceId !== call.room.creatorDeviceId) {
      return refuse('not_in_call', 'Only the creator of this call may do that');
    }
    return { ok: true, call };
  }

  /** The live call a working link leads to. */
  private target(
    token: string,
  ): { ok: true; call: GroupCall; approval: boolean } | Exclude<RoomResult, { ok: true }> {
    const link = this.deps.store.find(token);
    if (!link) return refuse('call_link_unknown');
    if (link.revokedAt !== null) return refuse('call_link_revoked');
    const call = this.deps.rooms.groupCall(link.callId);
    if (!call) return refuse('call_link_unknown', 'The call this link led to has ended');
    return { ok: true, call, approval: link.approval };
  }

  private send(deviceId: string, message: ServerMessage): void {
    this.deps.directory.sendToDevice(deviceId, message);
  }
}
