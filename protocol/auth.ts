/**
 * The exact text a device signs (Ed25519, UTF-8 bytes) to answer an `auth.challenge`. Binding the
 * nonce, the action and the account makes a signature useless for any other login or account.
 */
export function registerChallengeText(nonce: string, username: string, identityKey: string) {
  return `parley-auth-v1\nregister\n${nonce}\n${username}\n${identityKey}`;
}

export function loginChallengeText(nonce: string, username: string, deviceId: string) {
  return `parley-auth-v1\nlogin\n${nonce}\n${username}\n${deviceId}`;
}

/** What a new device signs to ask for a link code: proof that it holds the key it presents. */
export function linkRequestText(nonce: string, identityKey: string) {
  return `parley-auth-v1\nlink\n${nonce}\n${identityKey}`;
}
