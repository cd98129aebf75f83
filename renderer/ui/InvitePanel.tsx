import { useSignal } from '@preact/signals';
import { MAX_CALL_TILES } from '../state/callLayout';
import type { GroupCallActions, GroupCallView } from '../state/groupCallView';
import { invitationStateText } from '../state/groupCallText';
import { inviteCandidates, invitePlaces, type InviteContact } from '../state/inviteCandidates';
import { Icon } from './icons';
import { ContactChecklist, useContactChoice } from './ContactChoice';
import { Name } from './Name';
import { testIds } from './testIds';

/**
 * Inviting more people during the call: contacts to pick (each rings on all their devices), the
 * invitations and how they stand, and the call's link while one exists.
 */
export function InvitePanel({
  view,
  contacts,
  actions,
}: {
  view: Pick<GroupCallView, 'tiles' | 'invited' | 'canInvite' | 'link' | 'canCreateLink'>;
  contacts: readonly InviteContact[];
  actions: Pick<GroupCallActions, 'invite' | 'createLink' | 'revokeLink'>;
}) {
  const candidates = inviteCandidates(contacts, view);
  // Someone picked who joined or is being rung meanwhile is no longer offered: dropped.
  const { chosen, toggle, clear } = useContactChoice(candidates);
  const places = invitePlaces(view);
  const full = chosen.length >= places;
  return (
    <section class="group-panel" data-testid={testIds.invitePanel} aria-label="Invite people">
      <h2>Invite people</h2>
      {places === 0 ? (
        <p class="muted" data-testid={testIds.inviteLimit}>
          The call is full: it takes {MAX_CALL_TILES} people, counting those being rung.
        </p>
      ) : (
        full && (
          <p class="muted" data-testid={testIds.inviteLimit}>
            {places === 1 ? 'One more person fits' : `${places} more people fit`} in this call.
          </p>
        )
      )}
      {candidates.length === 0 ? (
        <p class="muted">Every contact is in the call or being rung.</p>
      ) : (
        <ContactChecklist
          contacts={candidates}
          chosen={chosen}
          full={full}
          toggle={toggle}
          testId={testIds.inviteContact}
        />
      )}
      <button
        class="button button--primary"
        data-testid={testIds.inviteSendButton}
        disabled={chosen.length === 0}
        onClick={() => {
          actions.invite(chosen);
          clear();
        }}
      >
        {chosen.length > 1 ? `Invite ${chosen.length} people` : 'Invite'}
      </button>
      {view.invited.length > 0 && (
        <>
          <h3>Invited</h3>
          <ul class="list invitation-list">
            {view.invited.map((person) => (
              <li
                key={person.username}
                class="invitation-row"
                data-testid={testIds.invitationRow}
                data-username={person.username}
                data-state={person.state}
              >
                <Name text={person.displayName} />
                <span class="muted">{invitationStateText[person.state]}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {view.canCreateLink && <CallLinkSection link={view.link} actions={actions} />}
    </section>
  );
}

/** The creator's own: the call's link to copy and revoke, or the button that makes one. */
function CallLinkSection({
  link,
  actions,
}: {
  link: GroupCallView['link'];
  actions: Pick<GroupCallActions, 'createLink' | 'revokeLink'>;
}) {
  const approval = useSignal(false);
  return (
    <>
      <h3>Call link</h3>
      {link ? (
        <div class="call-link">
          <input
            class="input"
            data-testid={testIds.callLink}
            readOnly
            value={link.url}
            aria-label="Call link"
            onFocus={(event) => event.currentTarget.select()}
          />
          <p class="muted">
            {link.approval
              ? 'Any Parley user with this link can ask to join; you let each one in or not.'
              : 'Any Parley user with this link can join.'}{' '}
            Revoke it to stop that.
          </p>
          <button
            class="button button--plain"
            data-testid={testIds.revokeCallLinkButton}
            onClick={() => actions.revokeLink()}
          >
            Revoke link
          </button>
        </div>
      ) : (
        <div class="call-link">
          <label class="toggle">
            <input
              type="checkbox"
              role="switch"
              aria-checked={approval.value ? 'true' : 'false'}
              checked={approval.value}
              data-testid={testIds.callLinkApprovalToggle}
              onChange={(event) => (approval.value = event.currentTarget.checked)}
            />
            <span>Ask me before letting people in</span>
          </label>
          <button
            class="button button--plain call-link__create"
            data-testid={testIds.createCallLinkButton}
            onClick={() => actions.createLink(approval.value)}
          >
            <Icon name="link" /> Create a call link
          </button>
        </div>
      )}
    </>
  );
}
