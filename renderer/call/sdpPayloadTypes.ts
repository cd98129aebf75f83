/**
 * Firefox's offer after setCodecPreferences keeps the `a=rtcp-fb` lines of the codecs it took off
 * the m-line (Firefox ESR 153: VP9's and AV1's payload types), and Chromium refuses a description
 * whose attribute lines name a payload type its m-line does not list ("Failed to parse codecs
 * correctly"), so a Firefox user could call no Chromium user. Such lines describe a format nobody
 * may send in that section, so dropping them changes nothing that is negotiated.
 */

/** `m=<media> <port> <proto> <fmt> ...`: the formats the section lists. */
const MEDIA_LINE = /^m=\S+ \S+ \S+((?: \S+)*)$/;
/** The attributes that describe one payload type: `a=rtpmap:96`, `a=fmtp:96`, `a=rtcp-fb:96`. */
const PAYLOAD_TYPE_ATTRIBUTE = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+)(?: |$)/;

/** The SDP without the payload-type attributes of formats their media section does not list. */
export function withoutUnlistedPayloadTypes(sdp: string): string {
  let listed: Set<string> | null = null;
  return sdp
    .split(/(?<=\n)/)
    .filter((line) => {
      const text = line.trimEnd();
      const media = MEDIA_LINE.exec(text);
      if (media) {
        listed = new Set(media[1]!.trim().split(' '));
        return true;
      }
      const payloadType = PAYLOAD_TYPE_ATTRIBUTE.exec(text)?.[1];
      return payloadType === undefined || listed === null || listed.has(payloadType);
    })
    .join('');
}
