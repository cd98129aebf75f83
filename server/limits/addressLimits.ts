import type { Clock } from '../calls/timePorts';
import { AddressRateLimit } from './AddressRateLimit';

/**
 * What one remote address (an IPv4 address, or an IPv6 /64) may do. The defaults leave room for
 * a whole office behind one NAT: every device reconnecting at once after a server restart, a
 * room of people creating accounts together; they stop one machine from doing it all day.
 */
export interface AddressLimitOptions {
  /** WebSocket connections open at the same time; one more is refused with HTTP 429. */
  connections: number;
  /** `auth.login` and `session.resume` attempts, successful or not, per minute. */
  signInsPerMinute: number;
  /** `auth.register` attempts, successful or not, per hour. */
  registrationsPerHour: number;
  /** `link.request` attempts per minute. */
  linkRequestsPerMinute: number;
}

export const DEFAULT_CONNECTIONS_PER_ADDRESS = 256;
export const DEFAULT_SIGN_INS_PER_MINUTE = 256;
export const DEFAULT_REGISTRATIONS_PER_HOUR = 100;
export const DEFAULT_LINK_REQUESTS_PER_MINUTE = 60;

export const DEFAULT_ADDRESS_LIMITS: AddressLimitOptions = {
  connections: DEFAULT_CONNECTIONS_PER_ADDRESS,
  signInsPerMinute: DEFAULT_SIGN_INS_PER_MINUTE,
  registrationsPerHour: DEFAULT_REGISTRATIONS_PER_HOUR,
  linkRequestsPerMinute: DEFAULT_LINK_REQUESTS_PER_MINUTE,
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The per-address limits that message handlers apply, answered with `too_many_attempts`. */
export interface AttemptLimits {
  signIns: AddressRateLimit;
  registrations: AddressRateLimit;
  linkRequests: AddressRateLimit;
}

export function attemptLimits(options: AddressLimitOptions, clock: Clock): AttemptLimits {
  return {
    signIns: new AddressRateLimit({ count: options.signInsPerMinute, windowMs: MINUTE_MS }, clock),
    registrations: new AddressRateLimit(
      { count: options.registrationsPerHour, windowMs: HOUR_MS },
      clock,
    ),
    linkRequests: new AddressRateLimit(
      { count: options.linkRequestsPerMinute, windowMs: MINUTE_MS },
      clock,
    ),
  };
}
