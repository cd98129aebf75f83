import { clearPrefixLength, codecFromName } from '../../../renderer/e2ee/clearPrefix';
import { VP8_KEY_FRAME_HEADER } from './helpers';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('clear prefix', () => {
  // A VP8 key frame: its header, then the start of its data.
  const vp8Key = bytes(...VP8_KEY_FRAME_HEADER, 0xaa, 0xbb, 0xcc);
  // A VP8 delta frame: P=1.
  const vp8Delta = bytes(0x31, 0x0a, 0x00, 0x11, 0x22, 0x33, 0x44);

  test('VP8 keeps the 10-byte key frame header and the 3-byte delta frame tag clear', () => {
    expect(clearPrefixLength('vp8', vp8Key)).toBe(10);
    expect(clearPrefixLength('vp8', vp8Delta)).toBe(3);
  });

  test('a frame shorter than its prefix, or empty, has none: it is neither sent nor accepted', () => {
    expect(clearPrefixLength('vp8', vp8Key.subarray(0, 9))).toBeNull();
    expect(clearPrefixLength('vp8', vp8Key.subarray(0, 10))).toBe(10);
    expect(clearPrefixLength('vp8', vp8Delta.subarray(0, 2))).toBeNull();
    expect(clearPrefixLength('vp8', vp8Delta.subarray(0, 3))).toBe(3);
    expect(clearPrefixLength('vp8', new Uint8Array())).toBeNull();
    expect(clearPrefixLength('opus', new Uint8Array())).toBeNull();
  });

  test('Opus keeps its TOC byte clear, also in a TOC-only packet', () => {
    expect(clearPrefixLength('opus', bytes(0x78, 0x01, 0x02, 0x03))).toBe(1);
    expect(clearPrefixLength('opus', bytes(0xf8))).toBe(1);
  });

  test('codecs are recognised from mime types and rtpmap names', () => {
    expect(codecFromName('video/VP8')).toBe('vp8');
    expect(codecFromName('VP8')).toBe('vp8');
    expect(codecFromName('audio/opus')).toBe('opus');
  });

  test('codecs without a defined prefix (VP9, AV1, H.264) have none: never sent, never accepted', () => {
    for (const name of ['video/VP9', 'video/AV1', 'video/H264', 'audio/red', 'audio/PCMU']) {
      expect(codecFromName(name)).toBe('other');
    }
    expect(clearPrefixLength('other', vp8Key)).toBeNull();
  });
});
