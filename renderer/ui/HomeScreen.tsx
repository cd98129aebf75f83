import type { AppModel } from '../state/AppModel';
import { Avatar } from './Avatar';
import { CallLogList } from './CallLogList';
import { CallNotice } from './CallNotice';
import { GroupCallEndNotice } from './GroupCallEndNotice';
import { MediaRemedyCard } from './MediaRemedyCard';
import { ConnectionBanner } from './ConnectionBanner';
import { ContactList } from './ContactList';
import { ContactPage } from './ContactPage';
import { DeviceList } from './DeviceList';
import { GroupCallPanel } from './GroupCallPanel';
import { Icon } from './icons';
import { Name } from './Name';
import { IdentityChangedDialog } from './IdentityChangedDialog';
import { LinkApprovalPanel } from './LinkApprovalPanel';
import { CallOfferCard } from './CallOfferCard';
import { NewCallPanel } from './NewCallPanel';
import { NotificationOfferCard } from './NotificationOfferCard';
import { SettingsPanel } from './SettingsPanel';
import { testIds } from './testIds';

const screenIds = {
  contacts: testIds.screenContacts,
  call_log: testIds.screenCallLog,
  devices: testIds.screenDevices,
  settings: testIds.screenSettings,
} as const;

/**
 * The home screen: contacts, call log or devices on the left; on the right the last call's
 * notice and the new-call panel, an open contact's page, or linking a new device. A narrow window
 * shows one column, navigation first; the contact, new-call and settings panes open over the list
 * with a back control (`data-narrow-pane`, laid out in styles.css).
 */
export function HomeScreen({ app }: { app: AppModel }) {
  const user = app.session.user.value;
  const tab = app.tab.value;
  const openUsername = app.contactPage.username.value;
  const openContact = openUsername ? app.contacts.byUsername(openUsername) : null;
  return (
    <main
      class="home"
      data-testid={screenIds[tab]}
      data-tab={tab}
      data-narrow-pane={app.narrowPane.value ?? 'none'}
    >
      <aside class="sidebar">
        <header class="sidebar__header">
          {user && <Avatar username={user.username} displayName={user.displayName} size="sm" />}
          <div class="sidebar__who">
            <strong>{user && <Name text={user.displayName} />}</strong>
            <span class="muted" data-testid={testIds.selfUsername}>
              {user?.username}
            </span>
          </div>
          <ConnectionBanner state={app.client.state.value} />
          <button
            class="icon-button home__new-call"
            data-testid={testIds.newCallButton}
            aria-label="New call"
            title="New call"
            onClick={() => app.openNewCall()}
          >
            <Icon name="phone" />
          </button>
        </header>
        <nav class="tabs" aria-label="Sections">
          <button
            class={tab === 'contacts' ? 'tab tab--active' : 'tab'}
            aria-current={tab === 'contacts' ? 'page' : undefined}
            data-testid={testIds.navContacts}
            onClick={() => app.openTab('contacts')}
          >
            Contacts
          </button>
          <button
            class={tab === 'call_log' ? 'tab tab--active' : 'tab'}
            aria-current={tab === 'call_log' ? 'page' : undefined}
            data-testid={testIds.navCallLog}
            onClick={() => {
              app.openTab('call_log');
              void app.callLog.load();
            }}
          >
            Calls
            {app.callLog.missedUnseen.value > 0 && (
              <span
                class="tab__badge"
                data-testid={testIds.missedCallsBadge}
                aria-label={`${app.callLog.missedUnseen.value} missed`}
              >
                {app.callLog.missedUnseen.value}
              </span>
            )}
          </button>
          <button
            class={tab === 'devices' ? 'tab tab--active' : 'tab'}
            aria-current={tab === 'devices' ? 'page' : undefined}
            data-testid={testIds.navDevices}
            onClick={() => {
              app.openTab('devices');
              void app.devices.load();
            }}
          >
            Linked devices
          </button>
          <button
            class={tab === 'settings' ? 'tab tab--active' : 'tab'}
            aria-current={tab === 'settings' ? 'page' : undefined}
            aria-label="Settings"
            title="Settings"
            data-testid={testIds.navSettings}
            onClick={() => app.openTab('settings')}
          >
            <Icon name="settings" />
          </button>
        </nav>
        {tab === 'contacts' && (
          <ContactList
            contacts={app.contacts}
            guard={app.identityGuard}
            onOpen={(username) => app.openContact(username)}
          />
        )}
        {tab === 'call_log' && (
          <CallLogList
            callLog={app.callLog}
            guard={app.identityGuard}
            callGroup={(media, usernames) => app.rooms.create(media, usernames)}
          />
        )}
        {tab === 'devices' && <DeviceList devices={app.devices} signOut={app.signOut} />}
        {tab === 'settings' && (
          <p class="muted sidebar__hint">Choose your devices and shortcuts.</p>
        )}
      </aside>
      <section class="pane">
        <div class="pane__notices">
          <CallNotice calls={app.calls} guard={app.identityGuard} />
          <GroupCallEndNotice rooms={app.rooms} />
          {app.calls.visibleNotice.value && app.callMediaRemedy.value && (
            <MediaRemedyCard
              remedy={app.callMediaRemedy.value}
              onTryAgain={() => void app.retryCallMedia()}
            />
          )}
          <CallOfferCard offer={app.callOffer} guard={app.identityGuard} />
          <NotificationOfferCard alerts={app.webCallAlerts} />
        </div>
        <div class="pane__main">
          <button
            class="button button--plain pane__back"
            data-testid={testIds.paneBackButton}
            onClick={() => app.closeNarrowPane()}
          >
            <Icon name="back" /> Back
          </button>
          {tab === 'settings' ? (
            <SettingsPanel app={app} />
          ) : tab === 'devices' ? (
            <LinkApprovalPanel approval={app.linkApproval} />
          ) : tab === 'contacts' && openContact ? (
            <ContactPage
              contact={openContact}
              page={app.contactPage}
              pins={app.pins}
              safetyNumbers={app.safetyNumbers}
              guard={app.identityGuard}
              contacts={app.contacts}
            />
          ) : (
            <>
              <NewCallPanel guard={app.identityGuard} />
              {app.rooms.available.value && (
                <GroupCallPanel
                  contacts={app.groupCallContacts.value}
                  start={(media, usernames) => void app.rooms.create(media, usernames)}
                  error={app.rooms.error.value}
                  waitingFor={app.rooms.links.waitingFor.value}
                  stopWaiting={() => app.rooms.links.stopWaiting()}
                />
              )}
            </>
          )}
          <p class="pane__footnote muted">
            <Icon name="lock" /> Calls are end-to-end encrypted and go directly between devices.
          </p>
        </div>
      </section>
      <IdentityChangedDialog guard={app.identityGuard} />
    </main>
  );
}
