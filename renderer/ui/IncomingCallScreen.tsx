import type { CallController } from '../state/CallController';
import { Avatar } from './Avatar';
import { CallControl } from './CallControl';
import { Icon } from './icons';
import { Name } from './Name';
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
        <h1 data-testid={testIds.incomingCaller}>
          <Name text={view.peer.displayName} />
        </h1>
        <p class="call-screen__status">
          Incoming {view.media === 'video' ? 'video' : 'voice'} call ·{' '}
          <Name text={view.peer.username} inline />
        </p>
        {callerKeyChanged && (
          <p class="call-screen__warning" role="alert">
            <Icon name="warning" />
            <span>
              <Name text={view.peer.displayName} inline />
              ’s safety number has changed. Compare it with them before you trust this call.
            </span>
          </p>
        )}
      </div>
      <div class="call-controls">
        <CallControl
          tone="danger"
          icon="hangup"
          label="Decline"
          caption="Decline"
          testId={testIds.declineButton}
          onClick={() => calls.decline()}
        />
        <CallControl
          tone="accept"
          icon="phone"
          label="Accept with audio only"
          caption="Audio"
          testId={testIds.acceptAudioButton}
          onClick={() => void calls.accept('audio')}
        />
        {view.media === 'video' && (
          <CallControl
            tone="accept"
            icon="video"
            label="Accept with video"
            caption="Video"
            testId={testIds.acceptVideoButton}
            onClick={() => void calls.accept('video')}
          />
        )}
      </div>
    </main>
  );
}
