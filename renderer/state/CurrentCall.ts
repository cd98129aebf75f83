import { computed, type ReadonlySignal } from '@preact/signals';
import type { E2eeStatus } from '../call/E2eeStatusTracker';
import type { CallView } from './callStateMachine';
import type { GroupCallView } from './groupCallView';
import type { LocalMember } from './localMember/LocalMember';

/** A 1:1 call while it is the user's: dialling, connecting or in it (ringing here is not). */
export type OneToOneCallView = Extract<CallView, { kind: 'outgoing' | 'connecting' | 'in_call' }>;

interface CallOnScreen {
  readonly callId: string;
  /** Our member in it: what mute, camera, the device settings and screen share act on. */
  readonly member: LocalMember;
  /** Hangs up a 1:1 call (cancels it while dialling); leaves a group call. */
  hangUp(): void;
}

/**
 * The call the user is in, the one on screen: a 1:1 call (`e2ee`: whether the peer's audio and
 * video decrypt), or a group call, a 1:1 call that grew into one included.
 */
export type CurrentCall =
  | (CallOnScreen & {
      readonly kind: 'pair';
      readonly view: OneToOneCallView;
      readonly e2ee: E2eeStatus;
    })
  | (CallOnScreen & { readonly kind: 'group'; readonly view: GroupCallView });

/** The pair layer (call.*: CallController) as the current call reads it. */
export interface PairCallLayer {
  readonly view: ReadonlySignal<CallView>;
  /** Our member in its call (a new one for the next call once a grown call took this one on). */
  readonly media: LocalMember;
  readonly e2eeStatus: ReadonlySignal<E2eeStatus>;
  hangup(): void;
}

/** The group layer (room.*: RoomClient) as the current call reads it. */
export interface GroupCallLayer {
  readonly view: ReadonlySignal<GroupCallView | null>;
  /** Our member in its call: a grown call's is the 1:1 call's, handed on whole. */
  readonly member: LocalMember;
  leave(): void;
}

/**
 * The one answer to "which call is the user in": the group call while the group layer holds one
 * (it takes the window), else the 1:1 call while it is dialled, connecting or on; else none. A
 * 1:1 call that grows is the same ActiveCall in both layers, so its member is the same before and
 * after, and its callId is the group call's from then on.
 */
export function currentCallOf(
  pair: PairCallLayer,
  group: GroupCallLayer,
): ReadonlySignal<CurrentCall | null> {
  return computed((): CurrentCall | null => {
    const groupView = group.view.value;
    if (groupView) {
      return {
        kind: 'group',
        callId: groupView.callId,
        view: groupView,
        member: group.member,
        hangUp: () => group.leave(),
      };
    }
    const view = pair.view.value;
    if (view.kind === 'idle' || view.kind === 'incoming') return null;
    return {
      kind: 'pair',
      callId: view.callId,
      view,
      e2ee: pair.e2eeStatus.value,
      member: pair.media,
      hangUp: () => pair.hangup(),
    };
  });
}
