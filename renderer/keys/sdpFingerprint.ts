/**
 * The DTLS certificate fingerprint an SDP commits to, by the rule of docs/protocol.md ("Key
 * shares"). RFC 8122 lets an SDP carry several `a=fingerprint` lines, at session and media level
 * and with different hash functions. Parley signs the SHA-256 one, so:
 *
 * - the SDP must have at least one `sha-256` line, and all its `sha-256` lines name one value;
 * - lines of other hash functions are allowed, and removed (signedFingerprintLinesOnly) before
 *   the browser sees the SDP, so the browser checks the certificate against the signed value
 *   and nothing else (it would otherwise pick the hash function it prefers);
 * - any `a=fingerprint` line that is not `hash-func SP hex pairs` makes the SDP unusable.
 */

/** RFC 8122 3.4: `a=fingerprint:<hash-func> <2 hex digits>(:<2 hex digits>)*`. */
const FINGERPRINT_LINE =
  /^a=fingerprint:([A-Za-z0-9!#$%&'*+.^_`{|}~-]+) ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*)$/;
const SHA256_BYTES = 32;

/**
 * The SHA-256 fingerprint as protocol's DtlsFingerprint writes it (`sha-256 ` and upper-case hex
 * pairs), or null when the SDP breaks the rule above.
 */
export function sdpFingerprint(sdp: string): string | null {
  const values = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.startsWith('a=fingerprint:')) continue;
    const match = FINGERPRINT_LINE.exec(line.trimEnd());
    if (!match) return null;
    const [, hashFunction, hex] = match as unknown as [string, string, string];
    if (hashFunction.toLowerCase() !== 'sha-256') continue;
    if (hex.split(':').length !== SHA256_BYTES) return null;
    values.add(`sha-256 ${hex.toUpperCase()}`);
  }
  if (values.size !== 1) return null;
  const [value] = values;
  return value ?? null;
}

/** The SDP without its `a=fingerprint` lines of hash functions other than SHA-256. */
export function signedFingerprintLinesOnly(sdp: string): string {
  return sdp.replace(/^a=fingerprint:(\S+) [^\r\n]*(\r?\n|$)/gm, (line, hashFunction: string) =>
    hashFunction.toLowerCase() === 'sha-256' ? line : '',
  );
}
