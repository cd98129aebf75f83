import type { AppModel } from '../state/AppModel';
import { Avatar } from './Avatar';
import { CallLogList } from './CallLogList';
import { CallNotice } from './CallNotice';
import { ConnectionBanner } from './ConnectionBanner';
import { ContactList } from './ContactList';
import { Icon } from './icons';
import { NewCallPanel } from './NewCallPanel';
import { testIds } from './testIds';

/** The home screen: contacts or call log on the left, the new-call panel and notice on the right. */
export function HomeScreen({ app }: { app: AppModel }) {
  const user = app.session.user.value;
  const tab = app.tab.value;
  return (
    <main
      class="home"
      data-testid={tab === 'contacts' ? testIds.screenContacts : testIds.screenCallLog}
    >
      <aside class="sidebar">
        <header class="sidebar__header">
          {user && <Avatar username={user.username} displayName={user.displayName} size="sm" />}
          <div class="sidebar__who">
            <strong>{user?.displayName}</strong>
            <span class="muted" data-testid={testIds.selfUsername}>
              {user?.username}
            </span>
          </div>
          <ConnectionBanner state={app.client.state.value} />
        </header>
        <nav class="tabs" aria-label="Sections">
          <button
            class={tab === 'contacts' ? 'tab tab--active' : 'tab'}
            aria-current={tab === 'contacts' ? 'page' : undefined}
            data-testid={testIds.navContacts}
            onClick={() => (app.tab.value = 'contacts')}
          >
            Contacts
          </button>
          <button
            class={tab === 'call_log' ? 'tab tab--active' : 'tab'}
            aria-current={tab === 'call_log' ? 'page' : undefined}
            data-testid={testIds.navCallLog}
            onClick={() => {
              app.tab.value = 'call_log';
              void app.callLog.load();
            }}
          >
            Calls
          </button>
        </nav>
        {tab === 'contacts' ? (
          <ContactList contacts={app.contacts} calls={app.calls} />
        ) : (
          <CallLogList callLog={app.callLog} />
        )}
      </aside>
      <section class="pane">
        <CallNotice calls={app.calls} />
        <NewCallPanel calls={app.calls} />
        <p class="pane__footnote muted">
          <Icon name="lock" /> Calls go directly between devices.
        </p>
      </section>
    </main>
  );
}
