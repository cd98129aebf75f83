import { randomBytes } from 'node:crypto';

/** Size of the offer a browser makes for an audio and video call (Chromium, one camera). */
export const OFFER_SDP_BYTES = 5600;
/** The answer to it is a little shorter: the answerer drops codecs it does not take. */
export const ANSWER_SDP_BYTES = 4600;

function fingerprintOf(bytes: Buffer): string {
  return `sha-256 ${[...bytes].map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
}

/**
 * An SDP shaped like a browser's (session lines, an audio and a video section with their codec
 * lines, the DTLS fingerprint), padded with codec parameter lines to `bytes`. The server relays
 * SDP as text, so only its size and the one fingerprint line matter here.
 */
function sdpText(bytes: number, fingerprint: string): string {
  const ufrag = randomBytes(3).toString('hex');
  const head = [
    'v=0',
    `o=- ${randomBytes(6).readUIntBE(0, 6)} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS stream',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${ufrag}`,
    `a=ice-pwd:${randomBytes(12).toString('base64')}`,
    'a=ice-options:trickle',
    `a=fingerprint:${fingerprint}`,
    'a=setup:actpass',
    'a=mid:0',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101 102 103 104 105 106 107 108 109 127 125',
    'c=IN IP4 0.0.0.0',
    'a=mid:1',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtcp-rsize',
  ];
  const lines = [...head];
  let length = lines.join('\r\n').length + 2;
  for (let n = 0; length < bytes; n++) {
    const pt = 96 + (n % 32);
    const line = [
      `a=rtpmap:${pt} VP8/90000`,
      `a=rtcp-fb:${pt} goog-remb`,
      `a=rtcp-fb:${pt} transport-cc`,
      `a=rtcp-fb:${pt} nack pli`,
      `a=fmtp:${pt} level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f`,
    ][n % 5]!;
    lines.push(line);
    length += line.length + 2;
  }
  return `${lines.join('\r\n').slice(0, bytes - 2)}\r\n`;
}

/**
 * A key share of the right shape (docs/protocol.md "Key shares"). Its signature is random bytes:
 * the server checks the share's form but never its signature (only the peer verifies it), so the
 * generator spends no CPU signing.
 */
function keyShare(fingerprint: string) {
  return {
    ephemeralKey: randomBytes(32).toString('base64'),
    fingerprint,
    signedAt: Date.now(),
    signature: randomBytes(64).toString('base64'),
  };
}

/** The SDP and key share of one side of a call: its offer (caller) or answer (callee). */
export function callSide(role: 'caller' | 'callee') {
  const fingerprint = fingerprintOf(randomBytes(32));
  const sdp = sdpText(role === 'caller' ? OFFER_SDP_BYTES : ANSWER_SDP_BYTES, fingerprint);
  return { sdp, keyShare: keyShare(fingerprint) };
}
