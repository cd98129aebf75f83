import { createHmac } from 'node:crypto';

/** A TURN username and password in the shape RTCIceServer takes them. */
export interface TurnCredential {
  username: string;
  credential: string;
}

/**
 * A TURN REST credential (the scheme coturn checks with `use-auth-secret`): the username is
 * `<expiry, unix seconds>:<user id>` and the password is base64(HMAC-SHA1(secret, username)).
 * coturn recomputes the password from the username, so nothing is stored, and it refuses the
 * username once its expiry has passed.
 */
export function mintTurnCredential(
  secret: string,
  userId: number,
  expiresAtSeconds: number,
): TurnCredential {
  const username = `${expiresAtSeconds}:${userId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}
