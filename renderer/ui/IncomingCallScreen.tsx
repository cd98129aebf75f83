import { useEffect, useRef } from 'preact/hooks';
import type { CallController } from '../state/CallController';
import type { WebCallAlerts } from '../web/WebCallAlerts';
import { Avatar } from './Avatar';
import { CallControl } from './CallControl';
import { Icon } from './icons';
import { Name } from './Name';
import { RingtoneBlockedNotice } from './RingtoneBlockedNotice';
import { SafetyNumberChangedText } from './SafetyNumberChangedText';
import { testIds } from './testIds';

export function IncomingCallScreen(props: {
  calls: CallController;
  callerKeyChanged: boolean;
  /** The web client's ringtone, which the browser may have blocked (null in the desktop app). */
  alerts: WebCallAlerts | null;
}) {
  const { calls, callerKeyChanged, alerts } = props;
  const view = calls.view.value;
  const controls = useRef<HTMLDivElement>(null);
  const callId = view.kind === 'incoming' ? view.callId : null;
  // The call takes the keyboard: the first stop is Accept (the first control), never Decline.
  useEffect(() => {
    controls.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [callId]);
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
            <SafetyNumberChangedText displayName={view.peer.displayName} />
          </p>
        )}
      </div>
      <RingtoneBlockedNotice alerts={alerts} />
      {/* Accept comes first for the keyboard; Decline still shows on the left (CSS order). */}
      <div class="call-controls call-controls--incoming" ref={controls}>
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
        <CallControl
          tone="accept"
          icon="phone"
          label="Accept with audio only"
          caption="Audio"
          testId={testIds.acceptAudioButton}
          onClick={() => void calls.accept('audio')}
        />
        <CallControl
          tone="danger"
          icon="hangup"
          label="Decline"
          caption="Decline"
          testId={testIds.declineButton}
          onClick={() => calls.decline()}
        />
      </div>
    </main>
  );
}
