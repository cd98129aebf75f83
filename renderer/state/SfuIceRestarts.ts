/** A transport `disconnected` this long gets an ICE restart (it may come back by itself first). */
export const SFU_RESTART_AFTER_DISCONNECTED_MS = 2_000;
/** The wait after the first restart for the transport to connect; each later wait is twice the last. */
export const SFU_RESTART_FIRST_WAIT_MS = 2_000;
/** Restarts of one transport per loss; when the last one's wait ends unconnected, the path gives up. */
export const SFU_ICE_RESTART_LIMIT = 4;

export interface SfuIceRestartActions {
  /** Asks the SFU for new ICE parameters of this transport and restarts its ICE. */
  restart(transportId: string): Promise<void>;
  /** A transport stayed unconnected through every restart: the path must be made again. */
  giveUp(): void;
}

interface TransportRecovery {
  state: RTCPeerConnectionState;
  /** Restarts since the transport was last connected. */
  restarts: number;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * When the SFU path's transports need an ICE restart (docs/protocol.md "Media through the SFU"
 * step 6), from each transport's own state: `disconnected` for over 2 s or `failed` restarts that
 * transport's ICE, and while it stays unconnected it is restarted again after 2, 4 and 8 s; when
 * 16 s after the fourth restart it is still not connected, the path gives up (about 32 s after a
 * disconnect). `connected` settles the transport and starts its count over.
 */
export class SfuIceRestarts {
  private readonly transports = new Map<string, TransportRecovery>();
  private stopped = false;

  constructor(private readonly actions: SfuIceRestartActions) {}

  onTransportState(transportId: string, state: RTCPeerConnectionState): void {
    if (this.stopped) return;
    const transport = this.transports.get(transportId) ?? { state, restarts: 0, timer: null };
    this.transports.set(transportId, transport);
    transport.state = state;
    switch (state) {
      case 'connected':
        this.clearTimer(transport);
        transport.restarts = 0;
        return;
      case 'closed':
        this.clearTimer(transport);
        this.transports.delete(transportId);
        return;
      case 'disconnected':
        transport.timer ??= setTimeout(
          () => this.attempt(transportId),
          SFU_RESTART_AFTER_DISCONNECTED_MS,
        );
        return;
      case 'failed':
        // A restart already waiting for its answer is not hurried: that is the backoff.
        if (transport.restarts > 0 && transport.timer) return;
        this.clearTimer(transport);
        this.attempt(transportId);
        return;
      default:
        return;
    }
  }

  /** The path closed: no timers, no more restarts. */
  stop(): void {
    this.stopped = true;
    for (const transport of this.transports.values()) this.clearTimer(transport);
    this.transports.clear();
  }

  private attempt(transportId: string): void {
    const transport = this.transports.get(transportId);
    if (!transport || this.stopped) return;
    transport.timer = null;
    if (transport.state === 'connected') return;
    if (transport.restarts === SFU_ICE_RESTART_LIMIT) {
      this.stop();
      this.actions.giveUp();
      return;
    }
    transport.restarts += 1;
    transport.timer = setTimeout(
      () => this.attempt(transportId),
      SFU_RESTART_FIRST_WAIT_MS * 2 ** (transport.restarts - 1),
    );
    // A refused or failed restart counts as one: the next comes when its wait ends.
    this.actions.restart(transportId).catch((error: unknown) => {
      console.warn('parley: an ICE restart of the SFU path failed', error);
    });
  }

  private clearTimer(transport: TransportRecovery): void {
    if (transport.timer) clearTimeout(transport.timer);
    transport.timer = null;
  }
}
