import { clearPrefixLength, codecFromName } from '../../../renderer/e2ee/clearPrefix';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('clear prefix', () => {
  // A VP8 key frame: frame tag with P=0, start code 9d 01 2a, then 14-bit width and height.
  const vp8Key = bytes(
    0x50,
    0x42,
    0x00,
    0x9d,
    0x01,
    0x2a,
    0x80,
    0x02,
    0xe0,
    0x01,
    0xaa,
    0xbb,
    0xcc,
  );
  // A VP8 delta frame: P=1.
  const vp8Delta = bytes(0x31, 0x0a, 0x00, 0x11, 0x22, 0x33, 0x44);

  test('VP8 keeps the 10-byte key frame header and the 3-byte delta frame tag clear', () => {
    expect(clearPrefixLength('vp8', vp8Key)).toBe(10);
    expect(clearPrefixLength('vp8', vp8Delta)).toBe(3);
  });

  test('a frame shorter than its prefix stays whole, never past its end', () => {
    expect(clearPrefixLength('vp8', vp8Key.subarray(0, 6))).toBe(6);
    expect(clearPrefixLength('vp8', new Uint8Array())).toBe(0);
  });

  test('Opus keeps its TOC byte clear', () => {
    expect(clearPrefixLength('opus', bytes(0x78, 0x01, 0x02, 0x03))).toBe(1);
  });

  test('H.264 keeps parameter sets clear up to and including the first slice NAL header', () => {
    // SPS (7), PPS (8) with 4-byte start codes, then an IDR slice (5) with a 3-byte one.
    const idr = bytes(
      ...[0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1f],
      ...[0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80],
      ...[0, 0, 1, 0x65, 0x88, 0x84, 0x21],
    );
    expect(clearPrefixLength('h264', idr)).toBe(20);
    expect(idr[19]).toBe(0x65);
    // A non-IDR slice (1) alone.
    const delta = bytes(0, 0, 0, 1, 0x41, 0x9a, 0x02, 0x03);
    expect(clearPrefixLength('h264', delta)).toBe(5);
  });

  test('H.264 without any slice is encrypted whole', () => {
    expect(clearPrefixLength('h264', bytes(0, 0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x68, 0xce))).toBe(0);
  });

  test('codecs are recognised from mime types and rtpmap names', () => {
    expect(codecFromName('video/VP8')).toBe('vp8');
    expect(codecFromName('audio/opus')).toBe('opus');
    expect(codecFromName('H264')).toBe('h264');
    expect(codecFromName('video/AV1')).toBe('other');
    expect(clearPrefixLength('other', vp8Key)).toBe(0);
  });
});
