import * as crypto from 'node:crypto';

/** A DTLS certificate fingerprint as SDP writes it, the same for the same seed. */
export function fingerprintOf(seed: number): string {
  const bytes = crypto.createHash('sha256').update(String(seed)).digest();
  return (
    'sha-256 ' + [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')
  );
}

/**
 * A minimal SDP of the shape browsers send: one audio section whose `a=fingerprint` line names
 * the sender's DTLS certificate, which its key share must name too.
 */
export function sdp(kind: 'offer' | 'answer', fingerprint: string): string {
  return [
    'v=0',
    `o=- ${kind === 'offer' ? 4611 : 7302} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    `a=ice-ufrag:${kind === 'offer' ? 'abcd' : 'wxyz'}`,
    'a=ice-pwd:0123456789abcdefghijklmn',
    `a=fingerprint:${fingerprint}`,
    `a=setup:${kind === 'offer' ? 'actpass' : 'active'}`,
    'a=mid:0',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    '',
  ].join('\r\n');
}
