import { useSignal } from '@preact/signals';
import type { SessionModel } from '../state/SessionModel';
import { Icon } from './icons';
import { testIds } from './testIds';

export function FirstRunScreen({ session }: { session: SessionModel }) {
  const username = useSignal('');
  const displayName = useSignal('');
  if (session.firstRunMode.value === 'link') return <LinkDeviceForm session={session} />;
  const busy = session.status.value === 'registering';
  const error = session.firstRunError.value;
  const submit = (event: Event) => {
    event.preventDefault();
    void session.register(username.value, displayName.value);
  };
  return (
    <main class="first-run" data-testid={testIds.screenFirstRun}>
      <form class="first-run__card" onSubmit={submit}>
        <div class="brand">
          <div class="brand__mark">
            <Icon name="phone" />
          </div>
          <h1>Welcome to Parley</h1>
          <p class="muted">Private voice and video calls. Pick a name people can find you by.</p>
        </div>
        <label class="field">
          <span>Username</span>
          <input
            data-testid={testIds.usernameInput}
            value={username.value}
            onInput={(e) => (username.value = e.currentTarget.value)}
            placeholder="e.g. alice"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            maxLength={32}
            required
          />
          <small class="muted">3-32 characters: a-z, 0-9, _ . -</small>
        </label>
        <label class="field">
          <span>Your name</span>
          <input
            data-testid={testIds.displayNameInput}
            value={displayName.value}
            onInput={(e) => (displayName.value = e.currentTarget.value)}
            placeholder="e.g. Alice Martin"
            autocomplete="name"
            maxLength={64}
          />
        </label>
        {error && (
          <p class="form-error" role="alert" data-testid={testIds.firstRunError}>
            {error}
          </p>
        )}
        <button
          class="button button--primary"
          type="submit"
          disabled={busy}
          data-testid={testIds.registerButton}
        >
          {busy ? 'Creating your account…' : 'Continue'}
        </button>
        <button
          class="button button--plain"
          type="button"
          data-testid={testIds.linkExistingButton}
          onClick={() => (session.firstRunMode.value = 'link')}
        >
          Link to an existing account
        </button>
        <p class="first-run__footnote muted">
          <Icon name="lock" /> Your device key is created here and never leaves this device.
        </p>
      </form>
    </main>
  );
}

/** First run, linking instead: name this device, then get a code to approve elsewhere. */
function LinkDeviceForm({ session }: { session: SessionModel }) {
  const deviceName = useSignal(session.defaultDeviceName);
  const error = session.linkError.value;
  return (
    <main class="first-run" data-testid={testIds.screenFirstRun}>
      <form
        class="first-run__card"
        onSubmit={(event) => {
          event.preventDefault();
          void session.link(deviceName.value);
        }}
      >
        <div class="brand">
          <div class="brand__mark">
            <Icon name="devices" />
          </div>
          <h1>Link to your account</h1>
          <p class="muted">
            Use Parley here with an account you already have. A device already signed in approves
            this one.
          </p>
        </div>
        <label class="field">
          <span>Name for this device</span>
          <input
            data-testid={testIds.linkDeviceNameInput}
            value={deviceName.value}
            onInput={(e) => (deviceName.value = e.currentTarget.value)}
            placeholder="e.g. Work laptop"
            maxLength={64}
            required
          />
        </label>
        {error && (
          <p class="form-error" role="alert" data-testid={testIds.linkError}>
            {error}
          </p>
        )}
        <button class="button button--primary" type="submit" data-testid={testIds.linkStartButton}>
          Get a link code
        </button>
        <button
          class="button button--plain"
          type="button"
          onClick={() => {
            session.linkError.value = null;
            session.firstRunMode.value = 'register';
          }}
        >
          Create a new account instead
        </button>
      </form>
    </main>
  );
}
