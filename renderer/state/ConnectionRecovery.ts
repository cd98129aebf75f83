import { signal } from '@preact/signals';

/** A connection `disconnected` this long gets an ICE restart (it may come back by itself first). */
export const RESTART_AFTER_DISCONNECTED_MS = 2_000;
/** While still not connected, another restart this long after the last one. */
export const RESTART_RETRY_MS = 5_000;
/** Without a connection this long, the call is over. */
export const GIVE_UP_AFTER_MS = 30_000;

export interface RecoveryActions {
  /** Restart ICE (we made the connection's offer) or ask the peer to (we answered it). */
  restart(): void;
  /** No connection for GIVE_UP_AFTER_MS; `everConnected`: whether this call ever had one. */
  giveUp(everConnected: boolean): void;
}

/**
 * When a call's media path needs help, from the peer connection's states: `disconnected` for
 * over 2 s or `failed` asks for an ICE restart, repeated every 5 s while not connected, and 30 s
 * without a connection gives up. The clock starts when the call starts connecting, when a
 * connection is lost, and when a new connection replaces the old one (a rejoin), and stops at
 * `connected`. `reconnecting` is what the call screen shows: media is recovering.
 */
export class ConnectionRecovery {
  readonly reconnecting = signal(false);
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private giveUpTimer: ReturnType<typeof setTimeout> | null = null;
  private everConnected = false;

  constructor(private readonly actions: RecoveryActions) {}

  /** The call's first connection starts: it has GIVE_UP_AFTER_MS to connect. */
  onConnecting(): void {
    this.startGiveUpClock();
  }

  /**
   * Media of a call already under way (a rejoin) comes over a new connection that has yet to
   * connect.
   */
  onNewConnection(): void {
    this.everConnected = true;
    this.clearRestart();
    this.reconnecting.value = true;
    this.startGiveUpClock();
  }

  onConnectionState(state: RTCPeerConnectionState): void {
    switch (state) {
      case 'connected':
        this.everConnected = true;
        this.settle();
        return;
      case 'disconnected':
        this.lost();
        this.restartTimer ??= setTimeout(() => this.restart(), RESTART_AFTER_DISCONNECTED_MS);
        return;
      case 'failed':
        this.lost();
        this.restart();
        return;
      default:
        return;
    }
  }

  /** The call ended: no timers, nothing shown, ready for the next call. */
  reset(): void {
    this.settle();
    this.everConnected = false;
  }

  /** Connected: no timers, nothing shown. */
  private settle(): void {
    this.clearRestart();
    if (this.giveUpTimer) clearTimeout(this.giveUpTimer);
    this.giveUpTimer = null;
    this.reconnecting.value = false;
  }

  private lost(): void {
    if (this.everConnected) this.reconnecting.value = true;
    this.startGiveUpClock();
  }

  private restart(): void {
    this.clearRestart();
    this.restartTimer = setTimeout(() => this.restart(), RESTART_RETRY_MS);
    this.actions.restart();
  }

  private startGiveUpClock(): void {
    this.giveUpTimer ??= setTimeout(() => {
      const everConnected = this.everConnected;
      this.reset();
      this.actions.giveUp(everConnected);
    }, GIVE_UP_AFTER_MS);
  }

  private clearRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }
}
