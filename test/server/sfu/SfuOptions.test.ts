import { availableParallelism } from 'node:os';
import {
  DEFAULT_CALLS_PER_WORKER,
  DEFAULT_PARTICIPANTS_PER_CALL,
  resolveSfuOptions,
  SfuOptionsError,
} from '../../../server/sfu/SfuOptions';

test('with nothing given, the SFU listens on loopback with one worker per core and 16 people a call', () => {
  expect(resolveSfuOptions()).toEqual({
    listenIp: '127.0.0.1',
    rtcMinPort: 40000,
    rtcMaxPort: 49999,
    workers: availableParallelism(),
    callsPerWorker: DEFAULT_CALLS_PER_WORKER,
    participantsPerCall: DEFAULT_PARTICIPANTS_PER_CALL,
  });
  expect(DEFAULT_PARTICIPANTS_PER_CALL).toBe(16);
});

test('given values replace the defaults', () => {
  const given = {
    listenIp: '::',
    announcedAddress: 'media.example.org',
    rtcMinPort: 50000,
    rtcMaxPort: 50000,
    workers: 3,
    callsPerWorker: 2,
    participantsPerCall: 4,
  };
  // A copy goes in: what comes out is held to the values as written.
  expect(resolveSfuOptions({ ...given })).toEqual(given);
  expect(resolveSfuOptions({ announcedAddress: '203.0.113.7' }).announcedAddress).toBe(
    '203.0.113.7',
  );
});

test.each([
  [
    { listenIp: 'localhost' },
    `The SFU's listen address must be an IPv4 or IPv6 address, not "localhost"`,
  ],
  [
    { announcedAddress: 'not a host!' },
    `The SFU's announced address must be an IP address or a hostname, not "not a host!"`,
  ],
  [
    { announcedAddress: '' },
    `The SFU's announced address must be an IP address or a hostname, not ""`,
  ],
  [{ rtcMinPort: 0 }, `The SFU's lowest port must be a port from 1 to 65535, not 0`],
  [{ rtcMaxPort: 70000 }, `The SFU's highest port must be a port from 1 to 65535, not 70000`],
  [{ rtcMinPort: 40000.5 }, `The SFU's lowest port must be a port from 1 to 65535, not 40000.5`],
  [{ rtcMinPort: 41000, rtcMaxPort: 40000 }, `The SFU's port range is empty: 41000 is above 40000`],
  [{ workers: 0 }, `The SFU's worker count must be a whole number of at least 1, not 0`],
  [
    { callsPerWorker: 1.5 },
    `The SFU's calls per worker must be a whole number of at least 1, not 1.5`,
  ],
  [
    { participantsPerCall: -1 },
    `The SFU's participants per call must be a whole number of at least 1, not -1`,
  ],
])('%j is refused with a sentence saying what is wrong', (overrides, message) => {
  expect(() => resolveSfuOptions(overrides)).toThrow(SfuOptionsError);
  expect(() => resolveSfuOptions(overrides)).toThrow(new Error(message));
});
