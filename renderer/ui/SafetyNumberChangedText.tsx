import { Name } from './Name';

/**
 * The one sentence that says a person's root key is not the one pinned on this device: on a 1:1
 * call ringing, and on a group call's member (their tile and the participant list).
 */
export function SafetyNumberChangedText({ displayName }: { displayName: string }) {
  return (
    <span>
      <Name text={displayName} inline />
      ’s safety number has changed. Compare it with them before you trust this call.
    </span>
  );
}
