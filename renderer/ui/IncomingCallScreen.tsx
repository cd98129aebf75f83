import type { CallController } from '../state/CallController';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { testIds } from './testIds';

export function IncomingCallScreen(props: { calls: CallController; callerKeyChanged: boolean }) {
  const { calls, callerKeyChanged } = props;
  const view = calls.view.value;
  if (view.kind !== 'incoming') return null;
  return (
    <main class="call-screen" data-testid={testIds.screenIncoming}>
      <div class="call-screen__center">
        <div class="ring-pulse ring-pulse--incoming">
          <Avatar username={view.peer.username} displayName={view.peer.displayName} size="xl" />
        </div>
        <h1 data-testid={testIds.incomingCaller}>{view.peer.displayName}</h1>
        <p class="call-screen__status">
          Incoming {view.media === 'video' ? 'video' : 'voice'} call · {view.peer.username}
        </p>
        {callerKeyChanged && (
          <p class="call-screen__warning" role="alert">
            <Icon name="warning" /> {view.peer.displayName}’s safety number has changed. Compare it
            with them before you trust this call.
          </p>
        )}
      </div>
      <div class="call-controls">
        <div class="call-controls__item">
          <button
            class="round-button round-button--danger"
            data-testid={testIds.declineButton}
            aria-label="Decline"
            onClick={() => calls.decline()}
          >
            <Icon name="hangup" />
          </button>
          <span>Decline</span>
        </div>
        <div class="call-controls__item">
          <button
            class="round-button round-button--accept"
            data-testid={testIds.acceptAudioButton}
            aria-label="Accept with audio only"
            onClick={() => void calls.accept('audio')}
          >
            <Icon name="phone" />
          </button>
          <span>Audio</span>
        </div>
        {view.media === 'video' && (
          <div class="call-controls__item">
            <button
              class="round-button round-button--accept"
              data-testid={testIds.acceptVideoButton}
              aria-label="Accept with video"
              onClick={() => void calls.accept('video')}
            >
              <Icon name="video" />
            </button>
            <span>Video</span>
          </div>
        )}
      </div>
    </main>
  );
}
