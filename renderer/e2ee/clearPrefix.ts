/**
 * The codec-dependent bytes at the front of a media frame that stay in the clear, so packetizers
 * and an SFU can still read frame boundaries and key frames. They travel as SFrame metadata:
 * authenticated, not encrypted. The receiver finds the same length in the same bytes, so the
 * length depends only on bytes that stay clear.
 *
 * Only codecs with a prefix defined here are negotiated (MEDIA_CODECS); a frame of any other
 * codec is neither sent nor accepted.
 */
export type MediaCodec = 'vp8' | 'opus' | 'other';

/** The RTP mime types of the codecs Parley negotiates: the ones with a defined clear prefix. */
export const MEDIA_CODECS = { audio: 'audio/opus', video: 'video/VP8' } as const;

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
    default:
      return 'other';
  }
}

/**
 * How many leading bytes of `frame` stay clear, or null when the frame cannot be sent or
 * accepted: a codec without a defined prefix, or a frame shorter than its prefix (an empty
 * frame included). No valid Opus packet or VP8 frame is shorter than its prefix.
 */
export function clearPrefixLength(codec: MediaCodec, frame: Uint8Array): number | null {
  const first = frame[0];
  if (first === undefined) return null;
  let length: number;
  switch (codec) {
    case 'vp8':
      // The P bit of the frame tag is 0 on key frames.
      length = (first & 0x01) === 0 ? VP8_KEY_FRAME_PREFIX : VP8_DELTA_FRAME_PREFIX;
      break;
    case 'opus':
      length = OPUS_PREFIX;
      break;
    case 'other':
      return null;
  }
  return frame.length >= length ? length : null;
}
