import { computed, effect, signal } from '@preact/signals';
import type { ReadonlySignal } from '@preact/signals';
import type { CallController } from '../state/CallController';
import type { IncomingRoomInvite, RoomInviteEnded } from '../state/RoomClient';
import { testIds } from '../ui/testIds';
import { tabAttention } from './tabAttention';

/** Set once the user answered the notification card (either way): it is not offered again. */
const NOTIFICATIONS_PUT_OFF = 'parley.notificationsPutOff';

function notificationOfferPending(): boolean {
  return (
    'Notification' in window &&
    Notification.permission === 'default' &&
    window.localStorage.getItem(NOTIFICATIONS_PUT_OFF) === null
  );
}

/** Calls `changed` whenever the notification permission may have changed outside the page. */
function watchNotificationPermission(changed: () => void): void {
  window.addEventListener('focus', changed);
  document.addEventListener('visibilitychange', changed);
  navigator.permissions
    ?.query({ name: 'notifications' })
    .then((status) => status.addEventListener('change', changed))
    .catch(() => undefined);
}

/** The favicons of the tab: Parley's icon, and the same with a badge (ringing, or missed calls). */
const ICON = 'assets/icon.svg';
const BADGE_ICON = 'assets/icon-badge.svg';

/** Whether the user has this tab in front of them. */
function isLookedAt(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/**
 * The web client's side of what the desktop app's main does for an incoming call: the ringtone
 * plays while a call rings (stopping on answer, decline, cancel or an answer elsewhere), the
 * tab's title and icon show the ringing call, and a system notification names the caller when
 * the user is not looking at this tab (if they allowed notifications). Browsers may refuse to
 * play sound before the user has clicked in the page: then `soundBlocked` says so, once, until
 * `enableSound`.
 */
export class WebCallAlerts {
  readonly soundBlocked = signal(false);
  /**
   * Whether to offer system notifications of calls: never on its own at load, only as a card the
   * user answers (their click asks the browser), and not again once answered or put off.
   */
  readonly offerNotifications = computed(() => {
    // Read again whenever the answer may have changed: the user can allow or block
    // notifications in the browser's site settings at any time, not only through the card.
    void this.permissionChecked.value;
    return notificationOfferPending();
  });
  private readonly permissionChecked = signal(0);
  private readonly ringtone: HTMLAudioElement;
  private soundAllowed = false;
  private notification: Notification | null = null;
  /** Calls missed while the user was not looking at this tab, until they look again. */
  private readonly missedUnseen = signal(0);
  private lastCounted: string | null = null;
  private lastCountedGroup: string | null = null;

  constructor(
    private readonly calls: CallController,
    /** A group call ringing here, which rings like a 1:1 incoming call. */
    private readonly groupInvite: ReadonlySignal<IncomingRoomInvite | null>,
    /** How the last group call that rang here stopped: a missed one is counted as a 1:1 call is. */
    private readonly groupInviteEnded: ReadonlySignal<RoomInviteEnded | null>,
  ) {
    this.ringtone = document.createElement('audio');
    this.ringtone.src = 'assets/ringtone.wav';
    this.ringtone.loop = true;
    this.ringtone.dataset.testid = testIds.ringtone;
    this.ringtone.hidden = true;
  }

  start(): void {
    document.body.append(this.ringtone);
    watchNotificationPermission(() => (this.permissionChecked.value += 1));
    const seen = () => {
      if (isLookedAt()) this.missedUnseen.value = 0;
    };
    window.addEventListener('focus', seen);
    document.addEventListener('visibilitychange', seen);
    effect(() => {
      const ended = this.calls.machine.value.lastEnded;
      if (!ended || ended.callId === this.lastCounted) return;
      this.lastCounted = ended.callId;
      if (ended.reason === 'missed' && !isLookedAt()) this.missedUnseen.value += 1;
    });
    effect(() => {
      const ended = this.groupInviteEnded.value;
      if (!ended || ended.invite.callId === this.lastCountedGroup) return;
      this.lastCountedGroup = ended.invite.callId;
      if (ended.endedAs === 'missed' && !isLookedAt()) this.missedUnseen.value += 1;
    });
    effect(() => {
      const view = this.calls.view.value;
      const invite = this.groupInvite.value;
      const attention = tabAttention(view, this.missedUnseen.value, invite);
      document.title = attention.title;
      this.showIcon(attention.badge ? BADGE_ICON : ICON);
      if (attention.ringing && view.kind === 'incoming') {
        this.ring();
        this.notify(view.callId, view.peer.displayName, view.media);
      } else if (attention.ringing && invite) {
        this.ring();
        this.notify(invite.callId, invite.from.displayName, invite.media);
      } else {
        this.silence();
      }
    });
  }

  /** The user's answer to the card: the browser asks them (this click is the gesture it needs). */
  async turnOnNotifications(): Promise<void> {
    window.localStorage.setItem(NOTIFICATIONS_PUT_OFF, '1');
    this.permissionChecked.value += 1;
    await Notification.requestPermission();
  }

  notNow(): void {
    window.localStorage.setItem(NOTIFICATIONS_PUT_OFF, '1');
    this.permissionChecked.value += 1;
  }

  /** A system notification of the ringing call, unless the user is looking at this tab. */
  private notify(callId: string, caller: string, media: 'audio' | 'video'): void {
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    if (isLookedAt()) return;
    if (this.notification?.tag === callId) return;
    this.notification?.close();
    const notification = new Notification(`${caller} is calling`, {
      body: `Incoming ${media === 'video' ? 'video' : 'voice'} call`,
      tag: callId,
      icon: ICON,
      requireInteraction: true,
    });
    // Clicking it brings this tab forward, on the incoming call screen.
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
    this.notification = notification;
  }

  /** The user's click: sound is allowed from now on, and a call ringing now is heard. */
  enableSound(): void {
    this.soundAllowed = true;
    this.soundBlocked.value = false;
    if (this.calls.view.value.kind === 'incoming' || this.groupInvite.value) this.ring();
  }

  private ring(): void {
    this.ringtone.play().catch((error: unknown) => {
      // Only the autoplay rule is the user's to lift; say so once.
      if (error instanceof DOMException && error.name === 'NotAllowedError' && !this.soundAllowed) {
        this.soundBlocked.value = true;
      }
    });
  }

  private silence(): void {
    this.ringtone.pause();
    this.ringtone.currentTime = 0;
    this.notification?.close();
    this.notification = null;
  }

  private showIcon(href: string): void {
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (link && link.getAttribute('href') !== href) link.setAttribute('href', href);
  }
}
