/**
 * The DTLS certificate fingerprint an SDP commits to, as protocol's DtlsFingerprint writes it:
 * `sha-256 ` and upper-case hex pairs. Null when the SDP has no SHA-256 fingerprint, or names more
 * than one certificate (then no single value could be signed for it).
 */
export function sdpFingerprint(sdp: string): string | null {
  const values = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    const match = /^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/.exec(line);
    if (!match) continue;
    const [, algorithm, hex] = match as unknown as [string, string, string];
    if (algorithm.toLowerCase() !== 'sha-256') return null;
    values.add(`sha-256 ${hex.toUpperCase()}`);
  }
  if (values.size !== 1) return null;
  const [value] = values;
  return value ?? null;
}
