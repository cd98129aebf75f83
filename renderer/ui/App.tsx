import type { AppModel } from '../state/AppModel';
import { FirstRunScreen } from './FirstRunScreen';
import { HomeScreen } from './HomeScreen';
import { InCallScreen } from './InCallScreen';
import { IncomingCallScreen } from './IncomingCallScreen';
import { CallLinkPreviewScreen } from './CallLinkPreviewScreen';
import { CallSafetyNumber } from './CallSafetyNumber';
import { GroupCallAudio } from './GroupCallAudio';
import { GroupCallScreen } from './GroupCallScreen';
import { GroupInviteScreen } from './GroupInviteScreen';
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
      return <GroupCallOrHome app={app} />;
  }
}

/**
 * Without a 1:1 call: a group call, when there is one, takes the whole window; then a group
 * call ringing here, then a call link opened here; else the home screen.
 */
function GroupCallOrHome({ app }: { app: AppModel }) {
  const rooms = app.rooms;
  const view = rooms.view.value;
  if (view) {
    return (
      <>
        <GroupCallScreen
          view={view}
          actions={rooms.actions}
          media={app.groupMedia}
          share={app.groupScreenShare}
          contacts={app.groupCallContacts.value}
        />
        <GroupCallAudio tiles={view.tiles} sinkId={app.deviceSettings.choice.value.speaker} />
      </>
    );
  }
  const invite = rooms.incoming.value;
  if (invite) {
    return (
      <GroupInviteScreen
        invite={invite}
        join={() => void rooms.join()}
        decline={() => rooms.decline()}
        alerts={app.webCallAlerts}
      />
    );
  }
  const preview = rooms.links.preview.value;
  if (preview) {
    return (
      <CallLinkPreviewScreen
        preview={preview}
        join={() => void rooms.joinPreviewedLink()}
        cancel={() => rooms.links.closePreview()}
      />
    );
  }
  return <HomeScreen app={app} />;
}
