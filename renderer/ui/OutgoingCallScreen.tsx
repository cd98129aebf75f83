import type { CallController } from '../state/CallController';
import { Avatar } from './Avatar';
import { CallControl } from './CallControl';
import { Icon } from './icons';
import { CameraButton, MuteButton } from './MediaToggles';
import { Name } from './Name';
import { MediaVideo } from './MediaVideo';
import { testIds } from './testIds';

export function OutgoingCallScreen({ calls }: { calls: CallController }) {
  const view = calls.view.value;
  if (view.kind !== 'outgoing') return null;
  const local = calls.media.localStream.value;
  return (
    <main class="call-screen" data-testid={testIds.screenOutgoing}>
      {view.media === 'video' && local && !calls.media.cameraOff.value && (
        <MediaVideo
          stream={local}
          muted
          class="call-screen__backdrop"
          testId={testIds.localVideo}
        />
      )}
      <div class="call-screen__center">
        <div class="ring-pulse">
          <Avatar username={view.peer.username} displayName={view.peer.displayName} size="xl" />
        </div>
        <h1 data-testid={testIds.outgoingPeer}>
          <Name text={view.peer.displayName} />
        </h1>
        <p class="call-screen__status" data-testid={testIds.outgoingStatus} data-state={view.phase}>
          {view.phase === 'ringing' ? 'Ringing…' : 'Calling…'}
        </p>
        <p class="call-screen__hint">
          <Icon name="lock" /> {view.media === 'video' ? 'Video call' : 'Voice call'}
        </p>
      </div>
      <div class="call-controls">
        <MuteButton media={calls.media} />
        {view.media === 'video' && <CameraButton media={calls.media} />}
        <CallControl
          tone="danger"
          icon="hangup"
          label="Cancel call"
          caption="Cancel"
          testId={testIds.cancelButton}
          onClick={() => calls.cancel()}
        />
      </div>
    </main>
  );
}
