import { signal } from '@preact/signals';
import { DisplayName } from '../../protocol';
import type { SignalingRequests } from '../signaling/SignalingClient';
import { renameErrorText } from './accountErrorText';
import { refusal, type SessionModel } from './SessionModel';

/** Changing your display name: checked with the rules of registration, then saved on the server. */
export class ProfileModel {
  readonly error = signal<string | null>(null);
  readonly saving = signal(false);
  /** The name last saved, for a short "Saved" confirmation; null once edited again. */
  readonly saved = signal<string | null>(null);

  constructor(
    private readonly signaling: SignalingRequests,
    private readonly session: SessionModel,
  ) {}

  async rename(input: string): Promise<boolean> {
    const parsed = DisplayName.safeParse(input);
    if (!parsed.success) {
      this.error.value = refusal('Your name', parsed.error);
      this.saved.value = null;
      return false;
    }
    this.saving.value = true;
    try {
      await this.signaling.request('profile.update', { displayName: parsed.data });
      const user = this.session.user.value;
      if (user) this.session.user.value = { ...user, displayName: parsed.data };
      this.error.value = null;
      this.saved.value = parsed.data;
      return true;
    } catch (error) {
      console.warn('parley: could not change the display name', error);
      this.error.value = renameErrorText(error);
      return false;
    } finally {
      this.saving.value = false;
    }
  }
}
