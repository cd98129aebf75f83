import * as z from 'zod';
import './zodMessages';

/**
 * Stable error codes carried by the `error` message. Clients switch on these, so a code is never
 * renamed or reused; new failures get new codes.
 */
export const ErrorCode = z.enum([
  'bad_json',
  'bad_message',
  'unsupported_version',
  'too_large',
  'not_authenticated',
  'already_authenticated',
  'no_challenge',
  'challenge_expired',
  'auth_failed',
  'username_taken',
  'session_invalid',
  'unknown_user',
  'callee_offline',
  'already_in_call',
  'cannot_call_self',
  'unknown_call',
  'not_in_call',
  'call_state',
  'glare',
  'rate_limited',
  'link_code_invalid',
  'unknown_device',
  'device_is_current',
  'last_device',
  'bad_certificate',
  'contacts_full',
  'blocks_full',
  'too_many_calls',
  'too_many_attempts',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Wording a client may show when it has nothing better; the server sends its own `message`. */
export const errorCodeText: Record<ErrorCode, string> = {
  bad_json: 'The message was not valid JSON.',
  bad_message: 'The message does not match the protocol schema.',
  unsupported_version: 'This protocol version is not supported.',
  too_large: 'The message is larger than 64 KiB.',
  not_authenticated: 'Sign in first.',
  already_authenticated: 'This connection is already signed in.',
  no_challenge: 'Ask for a challenge with hello first.',
  challenge_expired: 'The sign-in challenge expired or was already used.',
  auth_failed: 'The signature did not verify.',
  username_taken: 'That username is taken.',
  session_invalid: 'The session expired or was revoked.',
  unknown_user: 'No such user.',
  callee_offline: 'They are offline.',
  already_in_call: 'You are already in a call.',
  cannot_call_self: 'You cannot call yourself.',
  unknown_call: 'No such call.',
  not_in_call: 'You are not part of this call.',
  call_state: 'The call is not in a state that allows this.',
  glare: 'They are calling you at the same moment; their call rings instead.',
  rate_limited: 'Too many messages; slow down.',
  link_code_invalid: 'That link code is wrong or has expired.',
  unknown_device: 'No such device on this account.',
  device_is_current: 'To remove this device, sign out instead.',
  last_device: 'This is the only device of the account.',
  bad_certificate: 'The device certificate does not verify.',
  contacts_full: 'Your contact list is full.',
  blocks_full: 'You have blocked as many people as this server allows.',
  too_many_calls: 'You are calling too often; wait a moment and try again.',
  too_many_attempts: 'Too many attempts from this network; wait a moment and try again.',
  internal: 'Something went wrong on the server.',
};
