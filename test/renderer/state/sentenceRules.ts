import { ErrorCode } from '../../../protocol';
import type { RequestFailure } from '../../../renderer/signaling/RequestTracker';

/** Every way a request can fail: each protocol error code, and the connection's own failures. */
export const everyFailure: RequestFailure[] = [
  ...ErrorCode.options,
  'timeout',
  'disconnected',
  'bad_reply',
];

/** The generic fallback: what a code no area words gets. */
export const SERVER_FALLBACK = 'Something went wrong on the server. Try again.';

/**
 * Text a person reads: a sentence starting with a capital, with no field path ("username: …"),
 * no error code (they have underscores) and no developer wording from the server.
 */
export function expectSentence(shown: string, developerMessage: string): void {
  const text = shown.replace(/[\u2066-\u2069]/g, ''); // names are isolated in directional marks
  expect(text).toMatch(/^[A-Z“]/);
  expect(text).not.toMatch(/^[\w.[\]]+:/);
  expect(text).not.toMatch(/\w_\w/);
  expect(text).not.toContain(developerMessage);
}
