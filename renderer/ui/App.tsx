import type { AppModel } from '../state/AppModel';
import { FirstRunScreen } from './FirstRunScreen';
import { HomeScreen } from './HomeScreen';
import { InCallScreen } from './InCallScreen';
import { IncomingCallScreen } from './IncomingCallScreen';
import { CallSafetyNumber } from './CallSafetyNumber';
import { LinkScreen } from './LinkScreen';
import { OtherTabScreen } from './OtherTabScreen';
import { OutgoingCallScreen } from './OutgoingCallScreen';
import { StatusScreen } from './StatusScreen';

/** Picks the screen from the view models; a call, when there is one, takes the whole window. */
export function App({ app }: { app: AppModel }) {
  const status = app.session.status.value;
  if (status === 'loading') return <StatusScreen title="Parley" detail="Starting…" />;
  if (status === 'failed') {
    return <StatusScreen title="Cannot sign in" detail={app.session.failure.value ?? undefined} />;
  }
  if (status === 'first_run' || status === 'registering') {
    return <FirstRunScreen session={app.session} />;
  }
  if (status === 'linking') return <LinkScreen session={app.session} />;
  if (status === 'other_tab' || status === 'taking_over') {
    return <OtherTabScreen session={app.session} />;
  }
  const view = app.calls.view.value;
  switch (view.kind) {
    case 'outgoing':
      return <OutgoingCallScreen calls={app.calls} />;
    case 'incoming':
      return (
        <IncomingCallScreen
          calls={app.calls}
          callerKeyChanged={app.identityGuard.incomingKeyChanged(view.callId)}
          alerts={app.webCallAlerts}
        />
      );
    case 'connecting':
    case 'in_call':
      return (
        <InCallScreen
          calls={app.calls}
          devices={app.deviceSettings}
          share={app.screenShare}
          path={app.calls.quality.path.value}
          self={app.session.user.value}
          viewModes={app.callViewModes}
          safetyNumber={<CallSafetyNumber app={app} />}
        />
      );
    case 'idle':
      return <HomeScreen app={app} />;
  }
}
