import { useEffect, useRef } from 'preact/hooks';
import type { IncomingRoomInvite } from '../state/RoomClient';
import type { WebCallAlerts } from '../web/WebCallAlerts';
import { Avatar } from './Avatar';
import { CallControl } from './CallControl';
import { Name } from './Name';
import { RingtoneBlockedNotice } from './RingtoneBlockedNotice';
import { testIds } from './testIds';

/**
 * A group call ringing here, like a 1:1 incoming call: who invites, who is in the call now,
 * Join or Decline (which stops every device of ours ringing).
 */
export function GroupInviteScreen(props: {
  invite: IncomingRoomInvite;
  join(): void;
  decline(): void;
  /** The web client's ringtone, which the browser may have blocked (null in the desktop app). */
  alerts: WebCallAlerts | null;
}) {
  const { invite, alerts } = props;
  const controls = useRef<HTMLDivElement>(null);
  // The call takes the keyboard: the first stop is Join, never Decline.
  useEffect(() => {
    controls.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [invite.callId]);
  return (
    <main class="call-screen" data-testid={testIds.screenGroupInvite}>
      <div class="call-screen__center">
        <div class="ring-pulse ring-pulse--incoming">
          <Avatar username={invite.from.username} displayName={invite.from.displayName} size="xl" />
        </div>
        <h1 data-testid={testIds.groupInviteFrom}>
          <Name text={invite.from.displayName} />
        </h1>
        <p class="call-screen__status">
          Invites you to a group {invite.media === 'video' ? 'video' : 'voice'} call
        </p>
        <ul class="group-invite__members" aria-label="In the call">
          {invite.members.map((member) => (
            <li
              key={member.slot}
              data-testid={testIds.groupInviteMember}
              data-username={member.user.username}
            >
              <Avatar
                username={member.user.username}
                displayName={member.user.displayName}
                size="sm"
              />
              <Name text={member.user.displayName} />
            </li>
          ))}
        </ul>
      </div>
      <RingtoneBlockedNotice alerts={alerts} />
      {/* Join comes first for the keyboard; Decline still shows on the left (CSS order). */}
      <div class="call-controls call-controls--incoming" ref={controls}>
        <CallControl
          tone="accept"
          icon={invite.media === 'video' ? 'video' : 'phone'}
          label="Join the call"
          caption="Join"
          testId={testIds.groupJoinButton}
          onClick={() => props.join()}
        />
        <CallControl
          tone="danger"
          icon="hangup"
          label="Decline"
          caption="Decline"
          testId={testIds.groupDeclineButton}
          onClick={() => props.decline()}
        />
      </div>
    </main>
  );
}
