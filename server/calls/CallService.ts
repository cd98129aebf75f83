import type { Logger } from 'pino';
import {
  type ClientMessageOf,
  type ErrorCode,
  type IdentityChain,
  type LiveCall,
  type ServerMessage,
} from '../../protocol';
import type { AccountStore, UserRecord } from '../db/AccountStore';
import type { CallLogStore } from '../db/CallLogStore';
import type { ContactStore } from '../db/ContactStore';
import type { PresenceService } from '../presence/PresenceService';
import type { DeviceDirectory } from '../routing/DeviceDirectory';
import { refuse, type RoomResult } from '../rooms/roomResult';
import { CallRegistry, type ActiveCall } from './CallRegistry';
import type { InviteLimits } from './InviteLimits';
import type { CallEvent } from './CallStateMachine';
import type { Clock, Scheduler } from './timePorts';

/**
 * Routes call messages between the caller's device and the callee's devices, on top of the pure
 * call state machines: it turns their events into notices, call-log rows, contacts and presence.
 * Devices are reached only through the DeviceDirectory.
 */
export interface CallParty {
  userId: number;
  username: string;
  displayName: string;
  deviceId: string;
  /** The device's identity chain, sent with its invite or accept so the peer can verify it. */
  identityChain: IdentityChain;
}

export type InviteCheck =
  | { ok: true; callee: UserRecord; calleeDeviceIds: string[] }
  | Exclude<RoomResult, { ok: true }>;

export interface CallServiceDeps {
  clock: Clock;
  scheduler: Scheduler;
  ringTimeoutMs: number;
  /** Most people a call may grow to (members plus ringing invitations). */
  maxCallMembers?: number;
  directory: DeviceDirectory;
  accounts: AccountStore;
  contacts: ContactStore;
  callLog: CallLogStore;
  inviteLimits: InviteLimits;
  presence: () => PresenceService;
  /**
   * A party comes back into its call with `call.rejoin`, checked and not yet relayed: a call that
   * grew into a group call drops what the party lost (RoomService.partyRejoining).
   */
  partyRejoining: (callId: string, deviceId: string) => void;
  logger: Logger;
}

/** The types of the messages relayed between the two parties of an accepted call. */
export type InCallMessageType =
  | 'call.rekey'
  | 'call.offer'
  | 'call.answer'
  | 'call.restart'
  | 'call.quality'
  | 'call.rejoin'
  | 'call.rejoined';

/** Messages relayed between the two parties of an accepted call. */
type InCallMessage = Extract<ServerMessage, { type: InCallMessageType }>;

const ok: RoomResult = { ok: true };

export class CallService {
  readonly registry: CallRegistry;

  constructor(private readonly deps: CallServiceDeps) {
    this.registry = new CallRegistry({
      clock: deps.clock,
      scheduler: deps.scheduler,
      ringTimeoutMs: deps.ringTimeoutMs,
      ...(deps.maxCallMembers !== undefined ? { maxParticipants: deps.maxCallMembers } : {}),
      onEvent: (event, call) => this.onCallEvent(event, call),
    });
  }

  isUserInAcceptedCall(userId: number): boolean {
    return this.registry.isUserInAcceptedCall(userId);
  }

  /**
   * Every reason to refuse an invite, checked before anything changes. An invite that passes them
   * all counts against the caller's invite limits (InviteLimits).
   */
  checkInvite(caller: CallParty, invite: ClientMessageOf<'call.invite'>): InviteCheck {
    if (invite.to === caller.username) return refuse('cannot_call_self');
    const callee = this.deps.accounts.userByName(invite.to);
    if (!callee) return refuse('unknown_user', `no user named ${invite.to}`);
    if (this.deps.callLog.exists(invite.callId)) {
      return refuse('call_state', 'callId: this call id was already used');
    }
    const check = this.registry.checkInvite(invite.callId, caller.userId, callee.id);
    if (!check.ok) {
      return refuse(
        check.code,
        check.code === 'call_state' ? 'callId: this call id was already used' : undefined,
      );
    }
    const calleeDeviceIds = this.deps.directory.connectedDevicesOf(callee.id);
    if (calleeDeviceIds.length === 0) return refuse('callee_offline');
    // Last, so that only an invite that will ring (or be logged busy) uses up the allowance.
    const allowance = this.deps.inviteLimits.take(caller.userId, callee.id, this.deps.clock.now());
    if (!allowance.ok) {
      return { ...refuse('too_many_calls'), retryAfterMs: allowance.retryAfterMs };
    }
    return { ok: true, callee, calleeDeviceIds };
  }

  /**
   * Starts a checked call: records it, has the caller told (`acknowledge`, once it is on disk),
   * then rings every device of the callee, or ends at once as busy.
   */
  startCall(
    caller: CallParty,
    invite: ClientMessageOf<'call.invite'>,
    callee: UserRecord,
    calleeDeviceIds: string[],
    acknowledge: () => void,
  ): void {
    const now = this.deps.clock.now();
    this.deps.callLog.start({
      callId: invite.callId,
      callerId: caller.userId,
      callerDeviceId: caller.deviceId,
      calleeId: callee.id,
      media: invite.media,
      startedAt: now,
    });
    // A caller whose contact list is full still calls; the callee is just not added.
    if (this.deps.contacts.add(caller.userId, callee.id, now) === 'added') {
      this.deps.presence().publishTo(caller.userId, callee.id);
    }
    // A blocked caller hears busy, as from a callee in another call: none of the callee's
    // devices ring, and nothing tells the caller they are blocked.
    const blocked = this.deps.contacts.isBlocked(callee.id, caller.userId);
    acknowledge();
    const call = this.registry.open(
      {
        callId: invite.callId,
        callerUserId: caller.userId,
        callerDeviceId: caller.deviceId,
        calleeUserId: callee.id,
        calleeDeviceIds,
        media: invite.media,
      },
      blocked,
    );
    if (call.machine.phase !== 'ringing') return;
    this.deps.logger.info({ callId: call.callId, devices: calleeDeviceIds.length }, 'call ringing');
    this.sendAll(call.machine.ringingDeviceIds, {
      v: 1,
      type: 'call.invite',
      callId: invite.callId,
      from: {
        username: caller.username,
        // The name as it is now: the caller may have changed it since signing in.
        displayName: this.deps.accounts.userById(caller.userId)?.displayName ?? caller.displayName,
        deviceId: caller.deviceId,
        identity: caller.identityChain,
      },
      media: invite.media,
      sdp: invite.sdp,
      keyShare: invite.keyShare,
    });
  }

  ringing(party: CallParty, callId: string): RoomResult {
    return this.act(callId, (call) => {
      const result = call.machine.ringingOn(party.deviceId);
      if (result.ok) this.send(call.machine.callerDeviceId, { v: 1, type: 'call.ringing', callId });
      return result;
    });
  }

  accept(party: CallParty, accept: ClientMessageOf<'call.accept'>): RoomResult {
    return this.act(accept.callId, (call) => {
      // The machine's `accepted` event has written the answer by the time the caller is told.
      const result = call.machine.accept(party.deviceId);
      if (result.ok) {
        this.send(call.machine.callerDeviceId, {
          v: 1,
          type: 'call.accept',
          callId: accept.callId,
          media: accept.media,
          sdp: accept.sdp,
          deviceId: party.deviceId,
          identity: party.identityChain,
          keyShare: accept.keyShare,
        });
      }
      return result;
    });
  }

  /** Relays a ringing device's early answer to the caller, with the device and its identity. */
  preconnect(party: CallParty, preconnect: ClientMessageOf<'call.preconnect'>): RoomResult {
    return this.act(preconnect.callId, (call) => {
      const target = call.machine.preconnect(party.deviceId);
      if (!target.ok) return target;
      for (const deviceId of target.targetDeviceIds) {
        this.send(deviceId, {
          v: 1,
          type: 'call.preconnect',
          callId: preconnect.callId,
          sdp: preconnect.sdp,
          keyShare: preconnect.keyShare,
          deviceId: party.deviceId,
          identity: party.identityChain,
        });
      }
      return target;
    });
  }

  /** Tells the ringing device whose early answer the caller took that it may connect now. */
  preconnected(party: CallParty, message: ClientMessageOf<'call.preconnected'>): RoomResult {
    return this.act(message.callId, (call) => {
      const target = call.machine.preconnectTaken(party.deviceId, message.deviceId);
      if (!target.ok) return target;
      for (const deviceId of target.targetDeviceIds) {
        this.send(deviceId, { v: 1, type: 'call.preconnected', callId: message.callId });
      }
      return target;
    });
  }

  /**
   * Relays `call.ice` to the other side of the call; a candidate of a ringing device that
   * pre-connected goes to the caller naming that device.
   */
  relayIce(party: CallParty, message: ClientMessageOf<'call.ice'>): RoomResult {
    return this.act(message.callId, (call) => {
      const targets = call.machine.iceTargets(party.deviceId);
      if (!targets.ok) return targets;
      const relayed = targets.preconnecting ? { ...message, deviceId: party.deviceId } : message;
      for (const deviceId of targets.targetDeviceIds) this.send(deviceId, relayed);
      return targets;
    });
  }

  decline(party: CallParty, decline: ClientMessageOf<'call.decline'>): RoomResult {
    return this.act(decline.callId, (call) =>
      call.machine.decline(party.deviceId, decline.reason ?? null),
    );
  }

  cancel(party: CallParty, callId: string): RoomResult {
    return this.act(callId, (call) => call.machine.cancel(party.deviceId));
  }

  hangup(party: CallParty, hangup: ClientMessageOf<'call.hangup'>): RoomResult {
    return this.act(hangup.callId, (call) =>
      call.machine.hangup(party.deviceId, hangup.reason ?? null),
    );
  }

  /** Relays `call.media` to the other side of the call, unchanged. */
  relay(party: CallParty, message: ClientMessageOf<'call.media'>): RoomResult {
    return this.act(message.callId, (call) => {
      const targets = call.machine.relayTargets(party.deviceId);
      if (targets.ok) this.sendAll(targets.targetDeviceIds, message);
      return targets;
    });
  }

  /** Relays a message between the two parties of an accepted call, unchanged. */
  relayInCall(party: CallParty, message: InCallMessage): RoomResult {
    return this.act(message.callId, (call) => {
      const target = call.machine.inCallTarget(party.deviceId);
      if (target.ok) this.sendAll(target.targetDeviceIds, message);
      return target;
    });
  }

  /**
   * Relays `call.rejoin` or `call.rejoined` to the other party with the sender's identity. A
   * `call.rejoin` that may be relayed is first told to `partyRejoining`, whose changes are made
   * before the other party hears of it. (`call.rejoined` comes from the party that kept its keys.)
   */
  rejoin(
    party: CallParty,
    message: ClientMessageOf<'call.rejoin'> | ClientMessageOf<'call.rejoined'>,
  ): RoomResult {
    return this.act(message.callId, (call) => {
      const target = call.machine.inCallTarget(party.deviceId);
      if (!target.ok) return target;
      if (message.type === 'call.rejoin') {
        this.deps.partyRejoining(message.callId, party.deviceId);
      }
      this.sendAll(target.targetDeviceIds, {
        ...message,
        deviceId: party.deviceId,
        identity: party.identityChain,
      });
      return target;
    });
  }

  /**
   * The device is gone (signed out, removed, or away past the reconnect grace) and has been since
   * `since`: its calls end (or, ringing on other devices too, stop ringing on it).
   */
  deviceGone(deviceId: string, since = this.deps.clock.now()): void {
    for (const call of this.registry.callsOfDevice(deviceId)) {
      call.machine.connectionLost(deviceId, since);
    }
  }

  /**
   * The calls this device takes part in that have not ended: as caller (ringing or accepted) or
   * as the device that answered.
   */
  liveCallsOf(deviceId: string): LiveCall[] {
    const live: LiveCall[] = [];
    for (const call of this.registry.callsOfDevice(deviceId)) {
      const { machine } = call;
      const role = deviceId === machine.callerDeviceId ? 'caller' : 'callee';
      if (role === 'callee' && deviceId !== machine.acceptedDeviceId) continue;
      const peer = this.deps.accounts.userById(
        role === 'caller' ? call.calleeUserId : call.callerUserId,
      );
      if (!peer || machine.phase === 'ended') continue;
      live.push({
        callId: call.callId,
        peer: { username: peer.username, displayName: peer.displayName },
        media: call.media,
        role,
        state: machine.phase,
        answeredAt: machine.answeredAt,
      });
    }
    return live;
  }

  /**
   * At start-up: takes the answered calls the last run left open back in, as accepted calls whose
   * two devices are away from now (they have the reconnect grace to come back).
   */
  restoreLiveCalls(): number {
    const open = this.deps.callLog.answeredOpen();
    for (const logged of open) {
      const call = this.registry.restore({
        callId: logged.callId,
        callerUserId: logged.callerId,
        callerDeviceId: logged.callerDeviceId,
        calleeUserId: logged.calleeId,
        answeredDeviceId: logged.answeredDeviceId,
        media: logged.media,
        startedAt: logged.startedAt,
        answeredAt: logged.answeredAt,
      });
      this.deps.directory.expectBack(call.callerUserId, logged.callerDeviceId);
      this.deps.directory.expectBack(call.calleeUserId, logged.answeredDeviceId);
    }
    return open.length;
  }

  private act(
    callId: string,
    action: (call: ActiveCall) => { ok: true } | { ok: false; code: ErrorCode },
  ): RoomResult {
    const call = this.registry.get(callId);
    if (!call) return refuse('unknown_call');
    const result = action(call);
    return result.ok ? ok : refuse(result.code);
  }

  private onCallEvent(event: CallEvent, call: ActiveCall): void {
    const { machine, callId } = call;
    const log = this.deps.logger.child({ callId });
    switch (event.kind) {
      case 'ringing':
        log.debug({ deviceId: event.deviceId }, 'callee device ringing');
        return;
      case 'accepted': {
        const at = machine.answeredAt ?? this.deps.clock.now();
        // On disk before anyone is told (the caller's call.accept follows this event).
        this.deps.callLog.answered(callId, event.deviceId, at);
        this.deps.contacts.add(call.calleeUserId, call.callerUserId, at);
        this.sendAll(event.otherCalleeDeviceIds, {
          v: 1,
          type: 'call.cancel',
          callId,
          reason: 'answered_elsewhere',
        });
        this.publishPresence(call);
        log.info({ deviceId: event.deviceId }, 'call accepted');
        return;
      }
      case 'ended':
        // On disk before anyone is told, so that a restart cannot bring back a call they saw end.
        this.deps.callLog.ended(callId, event.outcome, machine.endedAt ?? this.deps.clock.now());
        this.notifyEnd(event, call);
        if (event.endedFrom === 'accepted') this.publishPresence(call);
        log.info({ reason: event.reason, outcome: event.outcome }, 'call ended');
        return;
    }
  }

  /** Tells everyone still in the call how it ended; the device that ended it already knows. */
  private notifyEnd(event: Extract<CallEvent, { kind: 'ended' }>, call: ActiveCall): void {
    // A call that grew into a group call on the SFU ends as one: RoomService tells its members.
    // Until the third joins (path p2p) it ends as the 1:1 call it still is.
    if (call.machine.grown && call.machine.callRoom.path === 'sfu') return;
    const { callId } = call;
    const caller = call.machine.callerDeviceId;
    const ringing = event.ringingDeviceIds.filter((d) => d !== event.byDeviceId);
    switch (event.reason) {
      case 'busy':
        // A waiting call that rang out: the callee's devices stop as for any unanswered call.
        this.sendAll(ringing, { v: 1, type: 'call.timeout', callId });
        return this.send(caller, { v: 1, type: 'call.busy', callId });
      case 'declined': {
        // Why the callee could not answer is for the caller; the callee's other devices stop.
        if (!event.failure) {
          return this.sendAll([caller, ...ringing], { v: 1, type: 'call.decline', callId });
        }
        this.send(caller, { v: 1, type: 'call.decline', callId, reason: event.failure });
        return this.sendAll(ringing, { v: 1, type: 'call.decline', callId });
      }
      case 'cancelled':
        return this.sendAll(ringing, { v: 1, type: 'call.cancel', callId, reason: 'cancelled' });
      case 'timeout':
        return this.sendAll([caller, ...ringing], { v: 1, type: 'call.timeout', callId });
      case 'hangup':
      case 'connection_lost': {
        // Only the last ringing callee device dropping ends a call from ringing this way.
        if (event.endedFrom === 'ringing')
          return this.send(caller, { v: 1, type: 'call.timeout', callId });
        const otherParty = event.byDeviceId === caller ? event.acceptedDeviceId : caller;
        const reason = event.failure ?? event.reason;
        if (otherParty) this.send(otherParty, { v: 1, type: 'call.hangup', callId, reason });
        return;
      }
    }
  }

  private publishPresence(call: ActiveCall): void {
    const presence = this.deps.presence();
    presence.publish(call.callerUserId);
    presence.publish(call.calleeUserId);
  }

  private send(deviceId: string, message: ServerMessage): void {
    this.deps.directory.sendToDevice(deviceId, message);
  }

  /** One message to several devices, serialised once. */
  private sendAll(deviceIds: Iterable<string>, message: ServerMessage): void {
    this.deps.directory.sendToDevices(deviceIds, message);
  }
}
