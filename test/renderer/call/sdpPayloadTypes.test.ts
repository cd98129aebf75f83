import { withoutUnlistedPayloadTypes } from '../../../renderer/call/sdpPayloadTypes';

/** Firefox ESR 153's offer after setCodecPreferences(VP8, rtx, ulpfec, red), shortened. */
const firefoxOffer = [
  'v=0',
  'o=mozilla...THIS_IS_SDPARTA-99.0 9064874463700054038 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 109',
  'a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1',
  'a=mid:0',
  'a=rtcp-fb:109 transport-cc',
  'a=rtpmap:109 opus/48000/2',
  'm=video 9 UDP/TLS/RTP/SAVPF 120 124 123 122 119',
  'a=fmtp:120 max-fs=12288;max-fr=60',
  'a=fmtp:124 apt=120',
  'a=fmtp:119 apt=122',
  'a=mid:1',
  'a=rtcp-fb:120 nack',
  'a=rtcp-fb:120 nack pli',
  'a=rtcp-fb:121 nack',
  'a=rtcp-fb:121 nack pli',
  'a=rtcp-fb:99 nack',
  'a=rtcp-fb:99 transport-cc',
  'a=rtcp-fb:* ccm fir',
  'a=rtcp-fb:122 nack',
  'a=rtpmap:120 VP8/90000',
  'a=rtpmap:124 rtx/90000',
  'a=rtpmap:123 ulpfec/90000',
  'a=rtpmap:122 red/90000',
  'a=rtpmap:119 rtx/90000',
  '',
].join('\r\n');

describe('payload-type attributes of formats a media section does not list', () => {
  test('the feedback lines Firefox keeps for the codecs it took off the m-line are dropped, nothing else', () => {
    const expected = firefoxOffer
      .split('\r\n')
      .filter((line) => !/^a=rtcp-fb:(121|99) /.test(line))
      .join('\r\n');
    expect(withoutUnlistedPayloadTypes(firefoxOffer)).toBe(expected);
  });

  test('a payload type counts only in the section that lists it', () => {
    const sdp = [
      'v=0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:96 VP8/90000',
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:96 VP8/90000',
      '',
    ].join('\n');
    expect(withoutUnlistedPayloadTypes(sdp)).toBe(
      [
        'v=0',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'a=rtpmap:111 opus/48000/2',
        'm=video 9 UDP/TLS/RTP/SAVPF 96',
        'a=rtpmap:96 VP8/90000',
        '',
      ].join('\n'),
    );
  });

  test('an SDP where every attribute names a listed format comes back unchanged', () => {
    const chromiumLike = firefoxOffer
      .split('\r\n')
      .filter((line) => !/^a=rtcp-fb:(121|99) /.test(line))
      .join('\r\n');
    expect(withoutUnlistedPayloadTypes(chromiumLike)).toBe(chromiumLike);
  });
});
