/**
 * The longest a call's old path stays open once the new one is being made, whatever the two ends
 * said (PathSwitch). A safety net only: on a quiet machine both ends say so within a second or
 * two. It is generous because a busy machine can take well over ten seconds before the SFU's
 * first frames decrypt, and closing the old path earlier cuts the picture meanwhile; and it is
 * bounded because a peer that never says (an older client, or one whose SFU path failed) must
 * not keep a second connection, sending our media, open for the rest of the call.
 */
export const PATH_SWITCH_SAFETY_MS = 30_000;

export interface PathSwitchDeps {
  /** Tells the peer that its media reaches us over the new path (`room.carried`). */
  tellPeer(): void;
  /** Closes the old path: the new one carries both directions, or the safety bound passed. */
  closeOld(why: 'carried' | 'safety_bound'): void;
  /** PATH_SWITCH_SAFETY_MS unless a test shortens it. */
  safetyMs?: number;
}

/**
 * Make-before-break from one media path to the next (GROUP-CALLS.md "PathSwitch"; docs/protocol.md
 * "Moving a grown call to the SFU"). The old path stays open, still sending, until both
 * directions run over the new one: we receive the peer over it, and the peer said it receives us
 * over it. Each end decides for itself, so neither cuts the other off; the safety bound closes
 * the old path anyway. Made when the move starts, which starts the bound.
 */
export class PathSwitch {
  private receiving = false;
  private peerReceiving = false;
  private timer: ReturnType<typeof setTimeout> | null;

  constructor(private readonly deps: PathSwitchDeps) {
    this.timer = setTimeout(
      () => this.close('safety_bound'),
      deps.safetyMs ?? PATH_SWITCH_SAFETY_MS,
    );
  }

  /** Whether the old path is still open (closed: by both ends' word, the bound, or `stop`). */
  get open(): boolean {
    return this.timer !== null;
  }

  /** The peer's media reaches us over the new path: the peer is told, once. */
  receivingPeer(): void {
    if (!this.open || this.receiving) return;
    this.receiving = true;
    this.deps.tellPeer();
    this.closeWhenBoth();
  }

  /** The peer said our media reaches it over the new path. */
  peerReceivesUs(): void {
    if (!this.open) return;
    this.peerReceiving = true;
    this.closeWhenBoth();
  }

  /** The call is over for us: the old path is closed elsewhere, nothing more happens here. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private closeWhenBoth(): void {
    if (this.receiving && this.peerReceiving) this.close('carried');
  }

  private close(why: 'carried' | 'safety_bound'): void {
    if (!this.open) return;
    this.stop();
    this.deps.closeOld(why);
  }
}
