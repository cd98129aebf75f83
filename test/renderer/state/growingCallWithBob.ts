import type { ActiveCall } from '../../../renderer/state/ActiveCall';
import type { GrowingCall } from '../../../renderer/state/growingCall';

/**
 * Our 1:1 video call `callId` (we called: slot 0) with Bob (slot 1, device `d_bob`), as the group
 * call it grows into attaches to `activeCall`; `pair` is what its pair layer does when let go
 * (and, if given, when asked to turn our camera on: else that is no part of the test).
 */
export function growingCallWithBob(
  callId: string,
  activeCall: ActiveCall,
  pair: Pick<GrowingCall, 'detach' | 'hangUp'> & Partial<Pick<GrowingCall, 'startVideo'>>,
): GrowingCall {
  return {
    callId,
    media: 'video',
    ownSlot: 0,
    peer: {
      slot: 1,
      user: { username: 'bob', displayName: 'Bob' },
      deviceId: 'd_bob',
      identity: [],
    },
    activeCall,
    startVideo: () => Promise.reject(new Error('no camera in this test')),
    ...pair,
  };
}
