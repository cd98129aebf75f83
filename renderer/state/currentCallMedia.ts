import type { LocalMember } from './localMember/LocalMember';

/** What the device settings drive in a call: which inputs feed it, and whether there is one. */
export type CallInputControls = Pick<LocalMember, 'useInput' | 'inCall' | 'localStream'>;

/**
 * The inputs of the call on screen: the group call's while there is one (a 1:1 call that grew
 * into one included), else the 1:1 call's. A device chosen or unplugged mid-call then changes
 * the call the user is in, whichever kind it is.
 */
export function currentCallMedia(
  oneToOne: LocalMember,
  group: LocalMember,
  inGroupCall: () => boolean,
): CallInputControls {
  const current = () => (inGroupCall() ? group : oneToOne);
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
