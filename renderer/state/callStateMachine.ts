import type { CallMedia } from '../../protocol';

/**
 * The client's view of one call, as the screens need it. The server's CallStateMachine is the
 * authority on how a call ends; this one only tracks what to show, so every event names its call
 * and an event for another call (late, duplicated, or from a call already ended) changes nothing.
 */
export interface CallPeer {
  username: string;
  displayName: string;
}

export type CallDirection = 'outgoing' | 'incoming';

/** Why the last call ended; the values are the `data-reason` of testIds.callNotice. */
export const callEndReasons = [
  'identity_failed',
  // The peer could not go ahead, and said why (a call failure, docs/protocol.md).
  'peer_microphone_denied',
  'peer_microphone_unavailable',
  'peer_camera_denied',
  'peer_camera_unavailable',
  'peer_identity_failed',
  'declined',
  'busy',
  'cancelled',
  'missed',
  'no_answer',
  'hangup',
  'remote_hangup',
  'connection_lost',
  'callee_offline',
  'unknown_user',
  'permission_denied',
  'no_device',
  'connection_failed',
  'answered_elsewhere',
  'glare',
  'too_many_calls',
  'error',
] as const;
export type CallEndReason = (typeof callEndReasons)[number];

interface CallBase {
  callId: string;
  peer: CallPeer;
  media: CallMedia;
  direction: CallDirection;
}

export type CallView =
  | { kind: 'idle' }
  | (CallBase & { kind: 'outgoing'; phase: 'calling' | 'ringing' })
  | (CallBase & { kind: 'incoming' })
  | (CallBase & { kind: 'connecting' })
  | (CallBase & { kind: 'in_call'; connectedAt: number });

export interface EndedCall {
  callId: string;
  reason: CallEndReason;
  peer: CallPeer;
  direction: CallDirection;
  media: CallMedia;
  /** Time spent connected; 0 when the call never connected. */
  durationMs: number;
  /** Extra wording: for 'error' the server's message, for 'too_many_calls' when to try again. */
  detail?: string;
}

export type CallEvent =
  | { type: 'dial'; callId: string; peer: CallPeer; media: CallMedia }
  | { type: 'invited'; callId: string; peer: CallPeer; media: CallMedia }
  | { type: 'ringing'; callId: string }
  | { type: 'peer_renamed'; callId: string; displayName: string }
  /** The callee accepted (caller side) or this device accepted (callee side). */
  | { type: 'accepted'; callId: string }
  | { type: 'connected'; callId: string; at: number }
  /**
   * This device comes back into a call that went on without it (page reload, app restart): in
   * the call again at once, its timer counting from when the call was answered.
   */
  | {
      type: 'rejoin';
      callId: string;
      peer: CallPeer;
      media: CallMedia;
      direction: CallDirection;
      connectedAt: number;
    }
  | { type: 'ended'; callId: string; reason: CallEndReason; at: number; detail?: string }
  /** The call grew into a group call, which goes on in the group call's screen: no notice. */
  | { type: 'grown'; callId: string };

export interface CallMachineState {
  view: CallView;
  lastEnded: EndedCall | null;
}

export const initialCallState: CallMachineState = { view: { kind: 'idle' }, lastEnded: null };

/** Pure transition: returns the same object when the event does not apply. */
export function nextCallState(state: CallMachineState, event: CallEvent): CallMachineState {
  const { view } = state;
  if (event.type === 'dial' || event.type === 'invited') {
    if (view.kind !== 'idle') return state;
    const base = { callId: event.callId, peer: event.peer, media: event.media };
    return {
      ...state,
      view:
        event.type === 'dial'
          ? { ...base, kind: 'outgoing', direction: 'outgoing', phase: 'calling' }
          : { ...base, kind: 'incoming', direction: 'incoming' },
    };
  }
  if (event.type === 'rejoin') {
    if (view.kind !== 'idle') return state;
    const { callId, peer, media, direction, connectedAt } = event;
    return { ...state, view: { kind: 'in_call', callId, peer, media, direction, connectedAt } };
  }
  if (view.kind === 'idle' || view.callId !== event.callId) return state;
  switch (event.type) {
    case 'ringing':
      if (view.kind !== 'outgoing' || view.phase === 'ringing') return state;
      return { ...state, view: { ...view, phase: 'ringing' } };
    case 'peer_renamed':
      return {
        ...state,
        view: { ...view, peer: { ...view.peer, displayName: event.displayName } },
      };
    case 'accepted':
      if (view.kind !== 'outgoing' && view.kind !== 'incoming') return state;
      return {
        ...state,
        view: {
          kind: 'connecting',
          callId: view.callId,
          peer: view.peer,
          media: view.media,
          direction: view.direction,
        },
      };
    case 'connected':
      if (view.kind !== 'connecting') return state;
      return { ...state, view: { ...view, kind: 'in_call', connectedAt: event.at } };
    case 'grown':
      return view.kind === 'in_call' ? { ...state, view: { kind: 'idle' } } : state;
    case 'ended': {
      const durationMs = view.kind === 'in_call' ? Math.max(0, event.at - view.connectedAt) : 0;
      const lastEnded: EndedCall = {
        callId: view.callId,
        reason: event.reason,
        peer: view.peer,
        direction: view.direction,
        media: view.media,
        durationMs,
      };
      if (event.detail !== undefined) lastEnded.detail = event.detail;
      return { view: { kind: 'idle' }, lastEnded };
    }
  }
}
