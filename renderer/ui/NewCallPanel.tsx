import { useSignal } from '@preact/signals';
import type { CallMedia } from '../../protocol';
import type { CallIdentityGuard } from '../identity/CallIdentityGuard';
import { Icon } from './icons';
import { testIds } from './testIds';

/** Call anyone by username, contact or not. */
export function NewCallPanel({ guard }: { guard: CallIdentityGuard }) {
  const username = useSignal('');
  const call = (media: CallMedia) => {
    if (username.value.trim()) void guard.call(username.value, media);
  };
  return (
    <form
      class="card new-call"
      onSubmit={(event) => {
        event.preventDefault();
        call('video');
      }}
    >
      <h2>Start a call</h2>
      <p class="muted">Enter a username to call someone, even if they are not in your contacts.</p>
      <div class="new-call__row">
        <input
          class="input"
          data-testid={testIds.callUsernameInput}
          value={username.value}
          onInput={(e) => (username.value = e.currentTarget.value)}
          placeholder="Username"
          autocapitalize="none"
          spellcheck={false}
          aria-label="Username to call"
        />
        <button
          type="button"
          class="round-button round-button--accept round-button--sm"
          data-testid={testIds.callAudioButton}
          aria-label="Voice call"
          title="Voice call"
          onClick={() => call('audio')}
        >
          <Icon name="phone" />
        </button>
        <button
          type="submit"
          class="round-button round-button--accept round-button--sm"
          data-testid={testIds.callVideoButton}
          aria-label="Video call"
          title="Video call"
        >
          <Icon name="video" />
        </button>
      </div>
    </form>
  );
}
