import type { CameraFailure } from '../call/LocalMedia';
import type { ScreenShareModel } from '../media/ScreenShareModel';
import type { LocalMember } from '../state/localMember/LocalMember';
import { Icon } from './icons';
import { testIds } from './testIds';

/** Why the camera is off in a video call that went ahead with sound only. */
const cameraFailureText: Record<CameraFailure, string> = {
  camera_denied: 'Camera blocked: allow it in your browser or system settings',
  camera_unavailable: 'No camera available: the call goes on with sound only',
};

/** Mutes and unmutes the microphone: while it rings (applied as it connects) and in the call. */
export function MuteButton({ media }: { media: LocalMember }) {
  const muted = media.muted.value;
  return (
    <button
      class={muted ? 'round-button round-button--toggled' : 'round-button'}
      data-testid={testIds.muteButton}
      aria-pressed={muted ? 'true' : 'false'}
      aria-label={muted ? 'Unmute microphone' : 'Mute microphone'}
      title={muted ? 'Unmute' : 'Mute'}
      onClick={() => media.toggleMute()}
    >
      <Icon name={muted ? 'micOff' : 'mic'} />
    </button>
  );
}

/** Turns the camera off and on, or says why there is none in this call. */
export function CameraButton({ media }: { media: LocalMember }) {
  const cameraOff = media.cameraOff.value;
  const canUseCamera = media.canUseCamera.value;
  const cameraFailure = media.cameraFailure.value;
  const failureText = cameraFailure ? cameraFailureText[cameraFailure] : null;
  return (
    <button
      class={cameraOff ? 'round-button round-button--toggled' : 'round-button'}
      data-testid={testIds.cameraButton}
      data-camera-failure={cameraFailure ?? undefined}
      aria-pressed={cameraOff ? 'true' : 'false'}
      aria-label={
        failureText ??
        (canUseCamera ? (cameraOff ? 'Turn camera on' : 'Turn camera off') : 'Switch to video')
      }
      title={
        failureText ?? (canUseCamera ? (cameraOff ? 'Camera on' : 'Camera off') : 'Switch to video')
      }
      onClick={() => media.toggleCamera()}
    >
      <Icon name={cameraOff || !canUseCamera ? 'videoOff' : 'video'} />
    </button>
  );
}

/** Shares a screen (another one while sharing) and stops sharing; none in a call without video. */
export function ScreenShareButtons({
  media,
  share,
}: {
  media: LocalMember;
  share: ScreenShareModel;
}) {
  const sharing = media.sharingScreen.value;
  return (
    <>
      {media.canUseCamera.value && (
        <button
          class={sharing ? 'round-button round-button--toggled' : 'round-button'}
          data-testid={testIds.screenShareButton}
          aria-label={sharing ? 'Share another screen' : 'Share screen'}
          title={sharing ? 'Share another screen' : 'Share screen'}
          onClick={() => void share.start()}
        >
          <Icon name="screenShare" />
        </button>
      )}
      {sharing && (
        <button
          class="round-button"
          data-testid={testIds.stopShareButton}
          aria-label="Stop sharing"
          title="Stop sharing"
          onClick={() => void share.stop()}
        >
          <Icon name="close" />
        </button>
      )}
    </>
  );
}
