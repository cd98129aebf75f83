import type { CallRole, KeyShare } from '../../protocol';
import type { Host } from '../host/Host';
import { CallKeyAgreement } from './CallKeyAgreement';
import { createKeyShare } from './callKeyShare';
import type { KeyShareReplayGuard } from './KeyShareReplayGuard';
import type { CallBaseKeys } from './keyDerivation';
import { sdpFingerprint } from './sdpFingerprint';
import { type PeerCallOffer, type PeerIdentity, verifyPeer } from './verifyPeer';

export type KeyExchangeHost = Pick<Host, 'getAccount' | 'signCallKeyShare' | 'getPins' | 'putPin'>;

/**
 * This device's half of one call's key agreement: it signs our share for our SDP and checks the
 * peer's share (identity chain, pin, signature, fingerprint) before anything of the peer's is
 * used, then derives both senders' SFrame base keys.
 */
export class CallKeyExchange {
  private constructor(
    readonly role: CallRole,
    readonly callId: string,
    private readonly agreement: CallKeyAgreement,
    private readonly host: KeyExchangeHost,
  ) {}

  static async start(role: CallRole, callId: string, host: KeyExchangeHost) {
    return new CallKeyExchange(role, callId, await CallKeyAgreement.create(), host);
  }

  /** Our key share, binding our ephemeral key to the DTLS fingerprint of our own SDP. */
  async share(ownSdp: string): Promise<KeyShare> {
    const account = await this.host.getAccount();
    if (!account) throw new Error('Sign in before calling');
    const fingerprint = sdpFingerprint(ownSdp);
    if (!fingerprint) throw new Error('This browser made an SDP without one SHA-256 fingerprint');
    const context = {
      role: this.role,
      callId: this.callId,
      username: account.username,
      deviceId: account.deviceId,
    };
    return createKeyShare(this.host, context, this.agreement.publicKey, fingerprint);
  }

  /** Throws IdentityVerificationError unless the peer passes every check. */
  async acceptPeer(
    peer: Omit<PeerCallOffer, 'callId' | 'role'>,
    options: { allowChangedKey: boolean; now: number; replays: KeyShareReplayGuard },
  ): Promise<{ identity: PeerIdentity; keys: CallBaseKeys }> {
    const peerRole: CallRole = this.role === 'caller' ? 'callee' : 'caller';
    const identity = await verifyPeer(
      { ...peer, callId: this.callId, role: peerRole },
      this.host,
      options,
    );
    const keys = await this.agreement.deriveBaseKeys(peer.keyShare.ephemeralKey, this.callId);
    return { identity, keys };
  }
}
