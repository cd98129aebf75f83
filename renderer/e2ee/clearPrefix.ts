/**
 * The codec-dependent bytes at the front of a media frame that stay in the clear, so packetizers
 * and an SFU can still read frame boundaries and key frames. They travel as SFrame metadata:
 * authenticated, not encrypted. The receiver finds the same length in the same bytes.
 */
export type MediaCodec = 'vp8' | 'opus' | 'h264' | 'other';

/** VP8 (RFC 6386 9.1): the 3-byte frame tag, plus the 7-byte start code and size on key frames. */
const VP8_KEY_FRAME_PREFIX = 10;
const VP8_DELTA_FRAME_PREFIX = 3;
/** Opus (RFC 6716 3.1): the TOC byte. */
const OPUS_PREFIX = 1;

/** The codec named by an RTP mime type (`video/VP8`) or SDP rtpmap encoding name (`VP8`). */
export function codecFromName(name: string): MediaCodec {
  const encoding = (name.split('/').length > 1 ? name.split('/')[1] : name) ?? '';
  switch (encoding.toLowerCase()) {
    case 'vp8':
      return 'vp8';
    case 'opus':
      return 'opus';
    case 'h264':
      return 'h264';
    default:
      return 'other';
  }
}

/** How many leading bytes of `frame` stay clear; never more than the frame holds. */
export function clearPrefixLength(codec: MediaCodec, frame: Uint8Array): number {
  if (frame.length === 0) return 0;
  switch (codec) {
    case 'vp8': {
      // The P bit of the frame tag is 0 on key frames.
      const keyFrame = ((frame[0] as number) & 0x01) === 0;
      return Math.min(frame.length, keyFrame ? VP8_KEY_FRAME_PREFIX : VP8_DELTA_FRAME_PREFIX);
    }
    case 'opus':
      return OPUS_PREFIX;
    case 'h264':
      return h264ClearPrefixLength(frame);
    case 'other':
      return 0;
  }
}

/**
 * H.264 in Annex B form: everything up to and including the NAL header byte of the first VCL NAL
 * unit (types 1-5), so parameter sets and SEI stay readable and the slice data is encrypted. A
 * frame without a slice is encrypted whole.
 */
function h264ClearPrefixLength(frame: Uint8Array): number {
  for (let i = 0; i + 3 < frame.length; i++) {
    if (frame[i] !== 0 || frame[i + 1] !== 0) continue;
    let header = -1;
    if (frame[i + 2] === 1) header = i + 3;
    else if (frame[i + 2] === 0 && frame[i + 3] === 1) header = i + 4;
    if (header < 0 || header >= frame.length) continue;
    const nalType = (frame[header] as number) & 0x1f;
    if (nalType >= 1 && nalType <= 5) return header + 1;
    i = header; // skip past this NAL header; the loop's i++ moves into its payload
  }
  return 0;
}
