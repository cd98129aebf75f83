/**
 * The codec of one transform's frames, from their metadata. Chromium builds a video frame's
 * metadata afresh on every getMetadata() call (dependencies, decode targets and all), so a video
 * stream's codec is read on its first frame and again on every key frame only: a video stream
 * changes codec only at a key frame, the only place a decoder of the new codec can start, and
 * Parley negotiates one video codec anyway. Audio frames have no key frames: each is read.
 */
import { type MediaCodec, codecFromName } from '../clearPrefix';
import type { MediaKind } from './messages';

export type EncodedFrame = RTCEncodedVideoFrame | RTCEncodedAudioFrame;

export class StreamCodec {
  private videoCodec: MediaCodec | null = null;

  constructor(private readonly mediaKind: MediaKind) {}

  of(frame: EncodedFrame): MediaCodec {
    if (!('type' in frame)) return this.read(frame);
    if (this.videoCodec === null || frame.type === 'key') this.videoCodec = this.read(frame);
    return this.videoCodec;
  }

  /** The codec the frame's metadata names; Parley's codecs when the browser omits it. */
  private read(frame: EncodedFrame): MediaCodec {
    const mimeType = frame.getMetadata().mimeType;
    if (mimeType) return codecFromName(mimeType);
    return this.mediaKind === 'audio' ? 'opus' : 'vp8';
  }
}
