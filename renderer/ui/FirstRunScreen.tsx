import { useSignal } from '@preact/signals';
import type { SessionModel } from '../state/SessionModel';
import { Icon } from './icons';
import { testIds } from './testIds';

export function FirstRunScreen({ session }: { session: SessionModel }) {
  const username = useSignal('');
  const displayName = useSignal('');
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
        <p class="first-run__footnote muted">
          <Icon name="lock" /> Your device key is created here and never leaves this device.
        </p>
      </form>
    </main>
  );
}
