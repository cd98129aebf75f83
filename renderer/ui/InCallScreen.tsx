import type { ComponentChildren } from 'preact';
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import type { DeviceSettingsModel } from '../media/DeviceSettingsModel';
import type { ScreenShareModel } from '../media/ScreenShareModel';
import type { CallViewModes } from '../media/CallViewModes';
import { callPathText, type CallPath } from '../call/callPath';
import type { CallController } from '../state/CallController';
import type { CallPeer } from '../state/callStateMachine';
import { AddPeoplePanel, type AddPeople } from './AddPeoplePanel';
import { CallWaitingBanner } from './CallWaitingBanner';
import { DeviceNotices } from './DeviceNotices';
import { CameraButton, MuteButton, ScreenShareButtons } from './MediaToggles';
import { PresentingNotice } from './PresentingNotice';
import { ReconnectingNotice } from './ReconnectingNotice';
import { DevicePickers } from './DevicePickers';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { IsolatedText } from './IsolatedText';
import { Name } from './Name';
import { MediaVideo } from './MediaVideo';
import { testIds } from './testIds';

const connectionText: Record<RTCPeerConnectionState, string> = {
  new: 'Connecting…',
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnected: 'Reconnecting…',
  failed: 'Reconnecting…', // recovery restarts ICE, and ends the call if that does not help
  closed: 'Ended',
};

/** Connecting and connected: remote video large, our preview small, controls below. */

export function InCallScreen({
  calls,
  devices,
  share,
  path,
  self,
  viewModes,
  safetyNumber,
  addPeople,
  groupRejoinFailure,
}: {
  calls: CallController;
  devices: DeviceSettingsModel;
  share: ScreenShareModel;
  /** Direct or relayed, over which transport; null until known. */
  path: CallPath | null;
  /** Who we are: our preview shows our avatar while our camera is off. */
  self: CallPeer | null;
  viewModes: CallViewModes;
  /** The safety number with the peer (rendered by the identity side). */
  safetyNumber?: ComponentChildren;
  /** Adding people, which grows the call into a group call; null where the server has no SFU. */
  addPeople?: AddPeople | null;
  /** That the group call this call grew into could not be rejoined (rendered by the group side). */
  groupRejoinFailure?: ComponentChildren;
}) {
  const showDevices = useSignal(false);
  const showAddPeople = useSignal(false);
  const screen = useRef<HTMLElement>(null);
  const view = calls.view.value;
  if (view.kind !== 'connecting' && view.kind !== 'in_call') return null;
  const connection = calls.connectionState.value;
  const showRemoteVideo = calls.remoteHasVideo.value && !calls.peer.cameraOff.value;
  const cameraOff = calls.media.cameraOff.value;
  const canUseCamera = calls.media.canUseCamera.value;
  const sharing = calls.media.sharingScreen.value;
  const quality = calls.quality.indicator.value;
  return (
    <main class="call-screen call-screen--live" data-testid={testIds.screenInCall} ref={screen}>
      <MediaVideo
        stream={calls.remoteStream.value}
        muted={false}
        class={showRemoteVideo ? 'remote-video' : 'remote-video remote-video--hidden'}
        testId={testIds.remoteVideo}
        sinkId={devices.choice.value.speaker}
      />
      {!showRemoteVideo && (
        <div class="call-screen__center">
          <Avatar username={view.peer.username} displayName={view.peer.displayName} size="xl" />
        </div>
      )}
      <header class="call-topbar">
        <h1 data-testid={testIds.inCallPeer}>
          <Name text={view.peer.displayName} />
        </h1>
        <div class="call-topbar__status">
          <span data-testid={testIds.callTimer}>{calls.timerText.value}</span>
          <span
            class={`connection-state connection-state--${connection}`}
            data-testid={testIds.connectionState}
            data-state={connection}
          >
            {connectionText[connection]}
          </span>
          {path && (
            <span
              class={`call-path call-path--${path.route}`}
              data-testid={testIds.callPath}
              data-route={path.route}
              data-transport={path.transport}
              title={
                path.route === 'relayed'
                  ? 'Media goes through the relay server: the other side does not see your IP address'
                  : 'Media goes straight between the two devices'
              }
            >
              {callPathText(path)}
            </span>
          )}
          <span
            class={`e2ee-status e2ee-status--${calls.e2eeState.value}`}
            data-testid={testIds.e2eeStatus}
            data-state={calls.e2eeState.value}
            data-audio-state={calls.e2eeStatus.value.audio}
            data-video-state={calls.e2eeStatus.value.video}
            role="status"
          >
            {calls.e2eeState.value === 'encrypted' && <Icon name="lock" />}{' '}
            <span>
              <IsolatedText text={calls.e2eeText.value} />
            </span>
          </span>
        </div>
        {safetyNumber}
        <div class="call-topbar__flags">
          {calls.peer.muted.value && (
            <span class="chip" data-testid={testIds.remoteMuted}>
              <Icon name="micOff" />
              <span>
                <Name text={view.peer.displayName} inline /> is muted
              </span>
            </span>
          )}
          {quality && (
            <span
              class="chip chip--warning"
              data-testid={testIds.qualityIndicator}
              data-blame={quality.blame}
              title={quality.details}
              role="status"
            >
              <Icon name="warning" />
              <span>
                <IsolatedText text={quality.text} />
              </span>
            </span>
          )}
          {calls.peer.cameraOff.value && (
            <span class="chip" data-testid={testIds.remoteCameraOff}>
              <Icon name="videoOff" /> Camera off
            </span>
          )}
        </div>
      </header>
      {canUseCamera && !cameraOff ? (
        <MediaVideo
          stream={calls.media.localStream.value}
          muted
          class="local-video"
          testId={testIds.localVideo}
        />
      ) : (
        view.media === 'video' &&
        self && (
          <div class="local-video local-video--avatar" data-testid={testIds.localAvatar}>
            <Avatar username={self.username} displayName={self.displayName} size="md" />
          </div>
        )
      )}
      <div class="call-side">
        <CallWaitingBanner calls={calls} />
        {groupRejoinFailure}
        {sharing && <PresentingNotice share={share} />}
        {calls.signalingLost.value && <ReconnectingNotice testId={testIds.signalingReconnecting} />}
        {calls.mediaReconnecting.value && !calls.signalingLost.value && (
          <ReconnectingNotice testId={testIds.mediaReconnecting} />
        )}
        <DeviceNotices devices={devices} />
        {share.error.value && (
          <div class="call-notice call-notice--alert" data-testid={testIds.screenShareError}>
            {share.error.value}
          </div>
        )}
        {showDevices.value && (
          <div class="card call-devices">
            <DevicePickers devices={devices} />
          </div>
        )}
        {showAddPeople.value && addPeople && view.kind === 'in_call' && (
          <AddPeoplePanel peer={view.peer.username} add={addPeople} />
        )}
      </div>
      <div class="call-controls call-controls--bar" data-testid={testIds.callControlBar}>
        <MuteButton media={calls.media} />
        <CameraButton media={calls.media} />
        {viewModes.pictureInPictureSupported && showRemoteVideo && (
          <button
            class={
              viewModes.pictureInPicture.value
                ? 'round-button round-button--toggled'
                : 'round-button'
            }
            data-testid={testIds.pictureInPictureButton}
            aria-pressed={viewModes.pictureInPicture.value ? 'true' : 'false'}
            aria-label="Picture in picture"
            title="Picture in picture"
            onClick={() => void viewModes.togglePictureInPicture()}
          >
            <Icon name="pictureInPicture" />
          </button>
        )}
        {viewModes.fullScreenSupported && (
          <button
            class="round-button"
            data-testid={testIds.fullScreenButton}
            aria-pressed={viewModes.fullScreen.value ? 'true' : 'false'}
            aria-label={viewModes.fullScreen.value ? 'Exit full screen' : 'Full screen'}
            title={viewModes.fullScreen.value ? 'Exit full screen' : 'Full screen'}
            onClick={() => screen.current && void viewModes.toggleFullScreen(screen.current)}
          >
            <Icon name={viewModes.fullScreen.value ? 'fullScreenExit' : 'fullScreen'} />
          </button>
        )}
        <ScreenShareButtons media={calls.media} share={share} />
        <button
          class={showDevices.value ? 'round-button round-button--toggled' : 'round-button'}
          data-testid={testIds.inCallDevicesButton}
          aria-pressed={showDevices.value ? 'true' : 'false'}
          aria-label="Camera, microphone and speaker"
          title="Microphone, camera and speaker"
          onClick={() => (showDevices.value = !showDevices.value)}
        >
          <Icon name="settings" />
        </button>
        {addPeople && view.kind === 'in_call' && (
          <button
            class={showAddPeople.value ? 'round-button round-button--toggled' : 'round-button'}
            data-testid={testIds.addPeopleButton}
            aria-expanded={showAddPeople.value ? 'true' : 'false'}
            aria-label="Add people"
            title="Add people"
            onClick={() => (showAddPeople.value = !showAddPeople.value)}
          >
            <Icon name="personAdd" />
          </button>
        )}
        <button
          class="round-button round-button--danger"
          data-testid={testIds.hangupButton}
          aria-label="Hang up"
          title="Hang up"
          onClick={() => calls.hangup()}
        >
          <Icon name="hangup" />
        </button>
      </div>
    </main>
  );
}
