import type { ScreenShareModel } from '../media/ScreenShareModel';
import { Icon } from './icons';
import { testIds } from './testIds';

/** Says, while we share a screen, that everyone in the call sees it, with a way to stop. */
export function PresentingNotice({ share }: { share: ScreenShareModel }) {
  return (
    <div class="call-notice call-notice--info" role="status" data-testid={testIds.presentingBanner}>
      <Icon name="screenShare" />
      <span class="call-notice__text">You are presenting your screen</span>
      <button
        class="button button--plain"
        data-testid={testIds.presentingStopButton}
        onClick={() => void share.stop()}
      >
        Stop sharing
      </button>
    </div>
  );
}
