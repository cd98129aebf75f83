import type { IceConfig } from '../../protocol';
import type { Clock, Scheduler } from '../calls/timePorts';
import { mintTurnCredential } from './turnCredential';

/** The STUN/TURN servers the server hands out, as `--turn-urls`, `--turn-secret`, `--turn-ttl`. */
export interface TurnOptions {
  /** stun:, turn: and turns: URLs; turn: and turns: ones need `secret`. */
  urls: string[];
  /** The `static-auth-secret` shared with coturn. */
  secret?: string;
  /** How long a minted credential lasts. */
  ttlSeconds: number;
}

/** A few hours: long enough for any call's ICE restarts, short enough to expire on its own. */
export const DEFAULT_TURN_TTL_SECONDS = 6 * 60 * 60;
/** Fresh credentials go out when this share of the previous ones' lifetime has passed. */
const REFRESH_AT = 0.8;

/**
 * Mints each signed-in device's ICE servers (STUN without credentials, TURN with a TURN REST
 * credential for its user) and keeps them fresh: a device's ICE restart needs a valid credential
 * (an allocation already made keeps working after expiry, a new one does not).
 */
export class IceIssuer {
  constructor(
    private readonly turn: TurnOptions | undefined,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
  ) {}

  issue(userId: number): IceConfig {
    const turn = this.turn;
    if (!turn || turn.urls.length === 0) return { servers: [], expiresAt: null };
    const stun = turn.urls.filter((url) => url.startsWith('stun:'));
    const relays = turn.urls.filter((url) => !url.startsWith('stun:'));
    const servers: IceConfig['servers'] = stun.length > 0 ? [{ urls: stun }] : [];
    if (relays.length === 0 || !turn.secret) return { servers, expiresAt: null };
    const expiresAtSeconds = Math.floor(this.clock.now() / 1000) + turn.ttlSeconds;
    const credential = mintTurnCredential(turn.secret, userId, expiresAtSeconds);
    servers.push({ urls: relays, ...credential });
    return { servers, expiresAt: expiresAtSeconds * 1000 };
  }

  /**
   * Calls `push` with fresh servers before each set `issued` expires, until the returned function
   * is called. Nothing is scheduled when nothing expires.
   */
  keepFresh(userId: number, issued: IceConfig, push: (ice: IceConfig) => void): () => void {
    let cancel = () => {};
    const plan = (current: IceConfig) => {
      if (current.expiresAt === null) return;
      const lifetime = current.expiresAt - this.clock.now();
      cancel = this.scheduler.schedule(Math.max(0, lifetime * REFRESH_AT), () => {
        const fresh = this.issue(userId);
        push(fresh);
        plan(fresh);
      });
    };
    plan(issued);
    return () => cancel();
  }
}
