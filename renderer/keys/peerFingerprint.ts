import { IdentityVerificationError } from './IdentityVerificationError';
import { sdpFingerprint } from './sdpFingerprint';

/**
 * Throws unless a later SDP of the peer's (an ICE restart offer or answer) names the DTLS
 * certificate its verified key share signed: otherwise the signaling server could move the DTLS
 * handshake to a device of its own halfway through a call.
 */
export function checkPeerFingerprint(sdp: string, signedFingerprint: string): void {
  if (sdpFingerprint(sdp) === signedFingerprint) return;
  throw new IdentityVerificationError(
    'fingerprint_mismatch',
    "the peer's new SDP names a DTLS certificate other than the one its key share signed",
  );
}
