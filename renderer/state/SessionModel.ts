import { signal } from '@preact/signals';
import type * as z from 'zod';
import { DeviceName, DisplayName, Username } from '../../protocol';
import type { NewDeviceLinkModel } from '../devices/NewDeviceLinkModel';
import type { Host } from '../host/Host';
import { registerDevice, signIn } from '../signaling/authFlow';
import { SignalingError } from '../signaling/RequestTracker';
import type { SessionReply, SignalingClient } from '../signaling/SignalingClient';
import { newDeviceLinkErrorText, registerErrorText, signInErrorText } from './accountErrorText';

export type SessionStatus =
  | 'loading'
  | 'first_run'
  | 'registering'
  | 'linking'
  | 'signing_in'
  | 'ready'
  | 'failed'
  /**
   * Another tab of this browser uses the account (web client), or this device signed in on
   * another connection (`usedElsewhere`): "Use here" takes it back.
   */
  | 'other_tab'
  | 'taking_over';

export interface SelfUser {
  username: string;
  displayName: string;
}

/** Sign-in refusals that mean the server no longer knows this device. */
const deviceGone = new Set(['auth_failed', 'unknown_user', 'session_invalid']);

/** Who we are and whether we are signed in: drives first run versus the home screen. */
export class SessionModel {
  readonly status = signal<SessionStatus>('loading');
  readonly user = signal<SelfUser | null>(null);
  readonly firstRunError = signal<string | null>(null);
  /** First run shows registering a new account, or linking this device to an existing one. */
  readonly firstRunMode = signal<'register' | 'link'>('register');
  readonly linkError = signal<string | null>(null);
  /** Why signing in failed for good (status 'failed'). */
  readonly failure = signal<string | null>(null);
  /** Whom this tab was in a call with when another tab took the account (status 'other_tab'). */
  readonly callEndedByOtherTab = signal<string | null>(null);
  /**
   * Status 'other_tab' came from the server, not from a tab of this browser: the device signed in
   * on a newer connection, so this one was closed (its calls went on there).
   */
  readonly usedElsewhere = signal(false);

  constructor(
    private readonly host: Host,
    private readonly client: Pick<SignalingClient, 'start' | 'stop'>,
    readonly newDeviceLink: NewDeviceLinkModel,
  ) {}

  /** What the host calls this device: the suggested name when linking it. */
  get defaultDeviceName(): string {
    return this.host.deviceName;
  }

  async start(): Promise<void> {
    const account = await this.host.getAccount();
    if (!account) {
      this.status.value = this.host.tabs?.inUseElsewhere() ? 'other_tab' : 'first_run';
      return;
    }
    this.user.value = { username: account.username, displayName: account.displayName };
    this.status.value = 'signing_in';
    try {
      await this.client.start(signIn(this.host), signIn(this.host));
      this.status.value = 'ready';
    } catch (error) {
      await this.onSignInRefused(error);
    }
  }

  async register(usernameInput: string, displayNameInput: string): Promise<void> {
    if (this.status.value === 'registering') return;
    const username = Username.safeParse(usernameInput.trim().toLowerCase());
    if (!username.success) {
      this.firstRunError.value = 'Choose a username of 3-32 characters: a-z, 0-9, _ . -';
      return;
    }
    const displayName = DisplayName.safeParse(displayNameInput.trim() || username.data);
    if (!displayName.success) {
      this.firstRunError.value = refusal('Your name', displayName.error);
      return;
    }
    this.firstRunError.value = null;
    this.status.value = 'registering';
    try {
      await this.client.start(
        registerDevice(this.host, { username: username.data, displayName: displayName.data }),
        signIn(this.host),
      );
      this.status.value = 'ready';
    } catch (error) {
      this.client.stop();
      this.status.value = 'first_run';
      console.warn('parley: could not register', error);
      this.firstRunError.value = registerErrorText(error);
    }
  }

  /** Links this device to an existing account: shows a code and waits for another device. */
  async link(deviceNameInput: string): Promise<void> {
    if (this.status.value === 'linking') return;
    const deviceName = DeviceName.safeParse(deviceNameInput);
    if (!deviceName.success) {
      this.linkError.value = `Name this device, e.g. “Work laptop”. ${refusal('The name', deviceName.error)}`;
      return;
    }
    this.linkError.value = null;
    this.status.value = 'linking';
    try {
      await this.client.start(this.newDeviceLink.authenticate(deviceName.data), signIn(this.host));
      this.status.value = 'ready';
    } catch (error) {
      if (this.status.value !== 'linking') return; // cancelled meanwhile
      this.client.stop();
      this.status.value = 'first_run';
      console.warn('parley: could not link this device', error);
      this.linkError.value = newDeviceLinkErrorText(error);
    } finally {
      this.newDeviceLink.reset();
    }
  }

  cancelLink(): void {
    if (this.status.value !== 'linking') return;
    this.status.value = 'first_run';
    this.client.stop();
    this.newDeviceLink.reset();
  }

  /**
   * Another tab of this browser took the account: this one stops using it (the caller ended any
   * call, with whom it names here) and offers to take it back.
   */
  leaveForOtherTab(callWith: string | null): void {
    this.client.stop();
    this.callEndedByOtherTab.value = callWith;
    this.usedElsewhere.value = false;
    this.status.value = 'other_tab';
  }

  /** The server closed this connection for a newer one of this device (the client has stopped). */
  onReplaced(): void {
    this.callEndedByOtherTab.value = null;
    this.usedElsewhere.value = true;
    this.status.value = 'other_tab';
  }

  /** "Use here": the other tab lets go of the account, and this one signs in with it. */
  async useHere(): Promise<void> {
    const tabs = this.host.tabs;
    if (this.status.value !== 'other_tab') return;
    // The device is still this tab's when the server moved it: signing in takes it back.
    const fromTab = !this.usedElsewhere.value;
    if (fromTab && !tabs) return;
    this.status.value = 'taking_over';
    this.callEndedByOtherTab.value = null;
    this.usedElsewhere.value = false;
    try {
      if (fromTab) await tabs?.useHere();
    } catch (error) {
      console.warn('parley: could not take the account back', error);
      this.failure.value = signInErrorText(error);
      this.status.value = 'failed';
      return;
    }
    await this.start();
  }

  /** Another device of the account removed this one: forget the account here. */
  async onRevoked(): Promise<void> {
    this.client.stop();
    if (!(await this.forgetAccount())) return;
    this.user.value = null;
    this.firstRunMode.value = 'register';
    this.firstRunError.value =
      'This device was removed from your account on another device. Register or link it again to use Parley here.';
    this.status.value = 'first_run';
  }

  /** This device signed itself out (the server removed it): forget the account here too. */
  async onLeft(): Promise<void> {
    this.client.stop();
    if (!(await this.forgetAccount())) return;
    this.user.value = null;
    this.firstRunMode.value = 'register';
    this.firstRunError.value =
      "You signed out. This device's key was deleted; link it again from another device to use your account here.";
    this.status.value = 'first_run';
  }

  onSession(session: SessionReply): void {
    this.user.value = session.user;
  }

  /** A sign-in (first or after reconnect) was refused. */
  async onSignInRefused(error: unknown): Promise<void> {
    this.client.stop();
    if (error instanceof SignalingError && deviceGone.has(error.code)) {
      if (!(await this.forgetAccount())) return;
      this.user.value = null;
      this.firstRunError.value =
        'This device is no longer registered with the server. Choose a username to register again.';
      this.status.value = 'first_run';
    } else {
      console.warn('parley: sign-in refused', error);
      this.failure.value = signInErrorText(error);
      this.status.value = 'failed';
    }
  }

  /**
   * Removes the account from this device. The desktop app asks the user first; one who keeps it
   * sees why nothing works, and is asked again at the next start.
   */
  private async forgetAccount(): Promise<boolean> {
    try {
      await this.host.clearAccount();
      return true;
    } catch {
      this.failure.value =
        'This device can no longer sign in to your account, and the account was kept on it. Restart Parley to be asked again whether to remove it.';
      this.status.value = 'failed';
      return false;
    }
  }
}

/** "Your name must contain a visible character.": the name rule's own words, as a sentence. */
export function refusal(subject: string, error: z.ZodError): string {
  return `${subject} ${error.issues[0]?.message ?? 'is not valid'}.`;
}
