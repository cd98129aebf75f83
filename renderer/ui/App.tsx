import type { AppModel } from '../state/AppModel';
import type { GroupCallView } from '../state/groupCallView';
import type { LocalMember } from '../state/localMember/LocalMember';
import { FirstRunScreen } from './FirstRunScreen';
import { HomeScreen } from './HomeScreen';
import { InCallScreen } from './InCallScreen';
import { GroupRejoinFailedNotice } from './GroupRejoinFailedNotice';
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
  // A group call (one that grew from the 1:1 call under way too) takes the window first.
  const current = app.currentCall.value;
  if (current?.kind === 'group') {
    return <GroupCall app={app} view={current.view} member={current.member} />;
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
          groupRejoinFailure={<GroupRejoinFailedNotice rooms={app.rooms} callId={view.callId} />}
          addPeople={
            app.rooms.available.value
              ? {
                  contacts: app.groupCallContacts.value,
                  invite: (usernames) => void app.rooms.invite(usernames),
                  error: app.rooms.error.value,
                }
              : null
          }
        />
      );
    case 'idle':
      return <IdleScreen app={app} />;
  }
}

/** The group call's screen (`member`: our member in it), and the sound of everyone in it. */
function GroupCall({
  app,
  view,
  member,
}: {
  app: AppModel;
  view: GroupCallView;
  member: LocalMember;
}) {
  return (
    <>
      <GroupCallScreen
        view={view}
        actions={app.rooms.actions}
        media={member}
        share={app.screenShare}
        devices={app.deviceSettings}
        contacts={app.groupCallContacts.value}
      />
      <GroupCallAudio tiles={view.tiles} sinkId={app.deviceSettings.choice.value.speaker} />
    </>
  );
}

/** Without a call: a group call ringing here, then a call link opened here; else the home screen. */
function IdleScreen({ app }: { app: AppModel }) {
  const rooms = app.rooms;
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
