import { useSignal } from '@preact/signals';
import type { ProfileModel } from '../state/ProfileModel';
import type { SessionModel } from '../state/SessionModel';
import { testIds } from './testIds';

/** Your display name, as your contacts see it, and changing it. */
export function ProfileSettings({
  profile,
  session,
}: {
  profile: ProfileModel;
  session: SessionModel;
}) {
  const current = session.user.value?.displayName ?? '';
  const input = useSignal<string | null>(null);
  const value = input.value ?? current;
  return (
    <section class="card">
      <h2>Your name</h2>
      <form
        class="add-contact"
        onSubmit={async (event) => {
          event.preventDefault();
          if (await profile.rename(value)) input.value = null;
        }}
      >
        <input
          class="input"
          data-testid={testIds.displayNameEditInput}
          value={value}
          onInput={(e) => {
            input.value = e.currentTarget.value;
            profile.saved.value = null;
          }}
          aria-label="Your display name"
          maxLength={64}
        />
        <button
          class="button button--primary"
          type="submit"
          disabled={profile.saving.value}
          data-testid={testIds.displayNameSaveButton}
        >
          Save
        </button>
      </form>
      {profile.error.value && (
        <p
          class="form-error form-error--inline"
          role="alert"
          data-testid={testIds.displayNameEditError}
        >
          {profile.error.value}
        </p>
      )}
      {profile.saved.value !== null && (
        <p class="settings__hint" role="status" data-testid={testIds.displayNameSaved}>
          Saved. Your contacts see your new name.
        </p>
      )}
    </section>
  );
}
