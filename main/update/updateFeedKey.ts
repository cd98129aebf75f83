/**
 * The Ed25519 public key (PEM) every update feed file must be signed with
 * (scripts/sign-update-feed.mjs; docs/deploy.md, "Desktop updates"). null: no key is pinned, and
 * the app never checks for updates. Each release line pins its operator's key here.
 */
export const UPDATE_FEED_PUBLIC_KEY: string | null = null;
