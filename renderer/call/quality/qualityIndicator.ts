/** Whose network the indicator blames: ours, the peer's, or (when neither can be told) the call's. */
export type QualityBlame = 'self' | 'peer' | 'unknown';

export interface QualityIndicator {
  blame: QualityBlame;
  text: string;
}

export interface QualityVerdicts {
  /** The call, as this device sees it, has been poor for long enough to say so. */
  callPoor: boolean;
  /** Our own link looks poor too (what we report to the peer with call.quality). */
  ownLinkPoor: boolean;
  /** The peer's last call.quality said its own link is poor. */
  peerLinkPoor: boolean;
}

/** What the call screen shows; null while quality is fine, which is most of the time. */
export function qualityIndicator(
  verdicts: QualityVerdicts,
  peerName: string,
): QualityIndicator | null {
  if (verdicts.ownLinkPoor) return { blame: 'self', text: 'Your connection is unstable' };
  if (verdicts.peerLinkPoor) return { blame: 'peer', text: `${peerName}'s connection is unstable` };
  if (verdicts.callPoor) return { blame: 'unknown', text: 'Connection is unstable' };
  return null;
}
