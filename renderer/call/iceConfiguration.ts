import type { IceConfig } from '../../protocol';
import { UserFacingError } from '../state/UserFacingError';

/** The ICE part of an RTCPeerConnection's configuration. */
export type IceNetwork = Pick<RTCConfiguration, 'iceServers' | 'iceTransportPolicy'>;

/** A call that must be relayed, on a server that offers no TURN relay. */
export class RelayUnavailableError extends UserFacingError {
  constructor() {
    super(
      'this call must go through a relay to keep your IP address private, and the server offers none',
    );
    this.name = 'RelayUnavailableError';
  }
}

/**
 * The servers to gather candidates from and, for a relayed call, `iceTransportPolicy: 'relay'`:
 * only relay candidates are gathered, so no host or server-reflexive address of ours ever reaches
 * the other side. A relayed call without a TURN server cannot connect, so it is refused at once
 * rather than left to fail (or, worse, to connect directly).
 */
export function iceNetwork(ice: IceConfig, relayOnly: boolean): IceNetwork {
  const iceServers = ice.servers.map((server) => ({ ...server, urls: [...server.urls] }));
  if (!relayOnly) return { iceServers };
  if (!offersRelay(ice)) throw new RelayUnavailableError();
  return { iceServers, iceTransportPolicy: 'relay' };
}

/** Whether the servers include a TURN relay with credentials. */
export function offersRelay(ice: IceConfig): boolean {
  return ice.servers.some(
    (server) => server.credential && server.urls.some((url) => /^turns?:/.test(url)),
  );
}
