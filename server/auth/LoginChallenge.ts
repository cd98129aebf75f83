import { randomBytes } from 'node:crypto';

/** How long a client has to answer an `auth.challenge`. */
export const CHALLENGE_TTL_MS = 60_000;

export type ChallengeCheck = 'valid' | 'no_challenge' | 'challenge_expired';

/**
 * The sign-in challenge of one connection: a fresh 32-byte nonce, valid for one answer within
 * 60 s. It lives with the connection, so a nonce issued to another connection never matches.
 */
export class LoginChallenge {
  private nonce: string | null = null;
  private expiresAt = 0;
  private used = false;

  issue(now: number): { nonce: string; expiresAt: number } {
    this.nonce = randomBytes(32).toString('base64');
    this.expiresAt = now + CHALLENGE_TTL_MS;
    this.used = false;
    return { nonce: this.nonce, expiresAt: this.expiresAt };
  }

  /**
   * Uses up the current nonce if `nonce` is it and still fresh. A nonce can be used once: the
   * answer is checked after this, and a failed check does not give the nonce back.
   */
  consume(nonce: string, now: number): ChallengeCheck {
    if (this.nonce === null) return 'no_challenge';
    if (this.used || nonce !== this.nonce || now >= this.expiresAt) return 'challenge_expired';
    this.used = true;
    return 'valid';
  }
}
