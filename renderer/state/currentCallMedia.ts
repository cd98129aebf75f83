import { computed, type ReadonlySignal } from '@preact/signals';
import type { LocalMember } from './localMember/LocalMember';

/** What the device settings drive in a call: which inputs feed it, and whether there is one. */
export interface CallInputControls {
  useInput: LocalMember['useInput'];
  readonly inCall: boolean;
  readonly localStream: ReadonlySignal<MediaStream | null>;
}

/** Outside a call no input feeds one. */
const noCallStream: ReadonlySignal<MediaStream | null> = computed(() => null);

/**
 * The inputs of the call on screen (`member`: our member in the current call, read anew each
 * time; null without one): a device chosen or unplugged mid-call then changes the call the user
 * is in, whichever kind it is.
 */
export function currentCallMedia(member: () => LocalMember | null): CallInputControls {
  return {
    useInput: async (kind, deviceId) => member()?.useInput(kind, deviceId),
    get inCall() {
      return member()?.inCall ?? false;
    },
    get localStream() {
      return member()?.localStream ?? noCallStream;
    },
  };
}
