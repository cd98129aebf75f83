/** Whose network the indicator blames: ours, the peer's, or (when neither can be told) the call's. */
export type QualityBlame = 'self' | 'peer' | 'unknown';

/** What the latest sample found wrong: with the call's media, and with our own link to the server. */
export interface QualityReasons {
  call: readonly string[];
  ownLink: readonly string[];
}

export const noQualityReasons: QualityReasons = { call: [], ownLink: [] };

export interface QualityIndicator {
  blame: QualityBlame;
  text: string;
  /**
   * Why, as of the latest sample (the details under the indicator, for the user and for support):
   * a call that stays poor names what keeps it so; one about to clear says nothing was seen.
   */
  details: string;
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
  reasons: QualityReasons,
): QualityIndicator | null {
  const details = qualityDetails(reasons);
  if (verdicts.ownLinkPoor) return { blame: 'self', text: 'Your connection is unstable', details };
  if (verdicts.peerLinkPoor) {
    // The peer's word, not a sample of ours: the details say so, beside what we measured.
    const peerSays = qualityDetails(reasons, `${peerName}'s app reports its link unstable`);
    return { blame: 'peer', text: `${peerName}'s connection is unstable`, details: peerSays };
  }
  if (verdicts.callPoor) return { blame: 'unknown', text: 'Connection is unstable', details };
  return null;
}

function qualityDetails({ call, ownLink }: QualityReasons, peerReport?: string): string {
  const parts = [
    call.length > 0 && `call: ${call.join(', ')}`,
    ownLink.length > 0 && `your link to the server: ${ownLink.join(', ')}`,
    peerReport ?? false,
  ].filter((part): part is string => part !== false);
  return parts.length > 0 ? `Last check: ${parts.join('; ')}` : 'Last check: no problem seen';
}
