import { asDtlsServer } from '../../../renderer/call/dtlsRole';

const answer = (setup: string) =>
  [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    `a=setup:${setup}`,
    'a=mid:0',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    `a=setup:${setup}`,
    'a=mid:1',
    '',
  ].join('\r\n');

test("every section of the callee's answer takes the DTLS server role", () => {
  expect(asDtlsServer(answer('active'))).toBe(answer('passive'));
});

test('an answer already passive, and anything but the setup line, is left as it is', () => {
  expect(asDtlsServer(answer('passive'))).toBe(answer('passive'));
  const other = 'a=fingerprint:sha-256 AB:CD\r\na=x-setup:active\r\n';
  expect(asDtlsServer(other)).toBe(other);
});
