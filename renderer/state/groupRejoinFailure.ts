import { isolateName } from '../../protocol';
import { SignalingError } from '../signaling/RequestTracker';
import type { UserSummary } from './roomCallState';

/**
 * The group side of a grown call that could not be taken back after a reload, said on the screen
 * of its 1:1 call, which goes on: the call it belongs to and the sentence, names marked by
 * isolateName.
 */
export interface GroupRejoinFailure {
  callId: string;
  text: string;
}

/** Why the group call could not be rejoined, and that the call with `peer` goes on. */
export function groupRejoinFailureText(peer: UserSummary, error: unknown): string {
  const goesOn = `Your call with ${isolateName(peer.displayName)} goes on.`;
  const code = error instanceof SignalingError ? error.code : null;
  switch (code) {
    case 'not_in_call':
      return `You are no longer in the group call, so it could not be rejoined. ${goesOn}`;
    case 'timeout':
    case 'disconnected':
      return `The group call could not be rejoined: Parley couldn't reach the server. ${goesOn}`;
    default:
      return `The group call could not be rejoined. ${goesOn}`;
  }
}
