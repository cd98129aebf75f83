// How the SFU listens and how much it takes on: one options type, its defaults and its checks.
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';

export interface SfuOptions {
  /**
   * The local address media sockets bind to. Loopback by default, like the signaling server's
   * --host, so nothing is reachable from outside until the operator says so.
   */
  listenIp: string;
  /**
   * The address (IPv4, IPv6 or hostname) put in ICE candidates instead of listenIp, for a server
   * behind NAT or in a container whose bound address clients cannot reach. Unset: listenIp itself.
   */
  announcedAddress?: string;
  /**
   * The ports (inclusive) media sockets use, UDP and TCP alike, so a firewall needs to open one
   * known range. Each participant takes two ports (send and receive transport) per protocol.
   */
  rtcMinPort: number;
  rtcMaxPort: number;
  /** mediasoup workers to run; each is one single-threaded process, so one per core. */
  workers: number;
  /**
   * Calls one worker hosts. mediasoup puts a worker (one core) at about 500 consumers; a 4-person
   * call with audio and one video layer forwarded is 4 x 3 x 2 = 24 consumers, so 20 such calls
   * fill one. (A full 16-person call alone is 480.)
   */
  callsPerWorker: number;
  /** People in one call: the product's promise (16), which a single worker still carries. */
  participantsPerCall: number;
}

export const DEFAULT_SFU_PORT_RANGE = { min: 40000, max: 49999 } as const;
export const DEFAULT_CALLS_PER_WORKER = 20;
export const DEFAULT_PARTICIPANTS_PER_CALL = 16;

export function defaultSfuOptions(): SfuOptions {
  return {
    listenIp: '127.0.0.1',
    rtcMinPort: DEFAULT_SFU_PORT_RANGE.min,
    rtcMaxPort: DEFAULT_SFU_PORT_RANGE.max,
    workers: availableParallelism(),
    callsPerWorker: DEFAULT_CALLS_PER_WORKER,
    participantsPerCall: DEFAULT_PARTICIPANTS_PER_CALL,
  };
}

/** Bad SFU options; the message is the one line to show the operator. */
export class SfuOptionsError extends Error {}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new SfuOptionsError(
      `The SFU's ${name} must be a whole number of at least 1, not ${value}`,
    );
  }
}

function port(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new SfuOptionsError(`The SFU's ${name} must be a port from 1 to 65535, not ${value}`);
  }
}

// A hostname as DNS allows it: dot-separated labels of letters, digits and inner hyphens.
const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The defaults with `overrides` on top, checked; throws SfuOptionsError naming what is wrong. */
export function resolveSfuOptions(overrides: Partial<SfuOptions> = {}): SfuOptions {
  const options = { ...defaultSfuOptions(), ...overrides };
  if (isIP(options.listenIp) === 0) {
    throw new SfuOptionsError(
      `The SFU's listen address must be an IPv4 or IPv6 address, not "${options.listenIp}"`,
    );
  }
  const announced = options.announcedAddress;
  if (announced !== undefined && isIP(announced) === 0 && !HOSTNAME.test(announced)) {
    throw new SfuOptionsError(
      `The SFU's announced address must be an IP address or a hostname, not "${announced}"`,
    );
  }
  port('lowest port', options.rtcMinPort);
  port('highest port', options.rtcMaxPort);
  if (options.rtcMinPort > options.rtcMaxPort) {
    throw new SfuOptionsError(
      `The SFU's port range is empty: ${options.rtcMinPort} is above ${options.rtcMaxPort}`,
    );
  }
  positiveInteger('worker count', options.workers);
  positiveInteger('calls per worker', options.callsPerWorker);
  positiveInteger('participants per call', options.participantsPerCall);
  return options;
}
