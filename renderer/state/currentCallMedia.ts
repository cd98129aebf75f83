import { computed, type ReadonlySignal } from '@preact/signals';
import type { LocalMember } from './localMember/LocalMember';

/** What the device settings drive in a call: which inputs feed it, and whether there is one. */
export type CallInputControls = Pick<LocalMember, 'useInput' | 'inCall' | 'localStream'>;

/**
 * Our member in the call on screen: the group call's while there is one (a 1:1 call that grew
 * into one hands its own member on, so it is the same object), else the 1:1 call's. A mute, a
 * screen share or a device chosen mid-call then acts on the call the user is in.
 */
export function currentCallMember(
  calls: { readonly media: LocalMember },
  rooms: { readonly member: LocalMember; readonly view: ReadonlySignal<object | null> },
): ReadonlySignal<LocalMember> {
  return computed(() => (rooms.view.value ? rooms.member : calls.media));
}

/**
 * The inputs of the call on screen (`current`, read anew each time): a device chosen or unplugged
 * mid-call then changes the call the user is in, whichever kind it is.
 */
export function currentCallMedia(current: () => LocalMember): CallInputControls {
  return {
    useInput: (kind, deviceId) => current().useInput(kind, deviceId),
    get inCall() {
      return current().inCall;
    },
    get localStream() {
      return current().localStream;
    },
  };
}
