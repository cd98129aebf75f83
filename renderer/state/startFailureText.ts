import { UserFacingError } from './UserFacingError';

/**
 * What the "Parley could not start" screen says: the reason when start-up knew it in words, or
 * what to do next. A developer's exception message is never shown (it stays in the console).
 */
export function startFailureText(error: unknown, where: 'web' | 'desktop'): string {
  if (error instanceof UserFacingError) return error.message;
  return where === 'web'
    ? 'Something went wrong while it was starting. Reload the page to try again.'
    : 'Something went wrong while it was starting. Quit Parley and open it again.';
}
