import { signal } from '@preact/signals';
import { Username, type CallMedia, type ServerMessageOf } from '../../protocol';
import type { PinsModel } from './PinsModel';

/** A contact whose root key differs from the pin, waiting for "call anyway" or "cancel". */
export interface ChangedIdentityWarning {
  username: string;
  displayName: string;
  identityKey: string;
  media: CallMedia;
}

export interface KnownIdentity {
  displayName: string;
  /** The account's root identity key, as the contact list carries it. */
  identityKey: string;
}

/**
 * Stands before calls: calling a contact whose safety number changed first shows a warning, and
 * only "continue" re-pins the new key (unverified) and places the call. For incoming calls it
 * remembers each invite's root key so the ringing screen can say when the caller's changed.
 */
export class CallIdentityGuard {
  readonly warning = signal<ChangedIdentityWarning | null>(null);
  private readonly inviteRoots = signal<ReadonlyMap<string, { username: string; rootKey: string }>>(
    new Map(),
  );

  constructor(
    private readonly deps: {
      pins: PinsModel;
      /** The contact's name and root key; null for someone not in the contact list. */
      knownIdentity(username: string): KnownIdentity | null;
      placeCall(username: string, media: CallMedia): Promise<void>;
    },
  ) {}

  async call(input: string, media: CallMedia): Promise<void> {
    const username = input.trim().toLowerCase();
    const known = Username.safeParse(username).success ? this.deps.knownIdentity(username) : null;
    if (known) {
      await this.deps.pins.load(); // fresh: the call path may have pinned meanwhile
      if (this.deps.pins.identityStatus(username, known.identityKey) === 'changed') {
        this.warning.value = { username, media, ...known };
        return;
      }
      await this.deps.pins.pinIfNew(username, known.identityKey);
    }
    await this.deps.placeCall(username, media);
  }

  /** The user read the warning and calls anyway: the new key becomes the pin, unverified. */
  async continueCall(): Promise<void> {
    const warning = this.warning.value;
    if (!warning) return;
    this.warning.value = null;
    await this.deps.pins.acceptChangedKey(warning.username, warning.identityKey);
    await this.deps.placeCall(warning.username, warning.media);
  }

  cancel(): void {
    this.warning.value = null;
  }

  /** Remembers the root of the caller's chain (call.invite from.identity[0]). */
  onInvite(message: ServerMessageOf<'call.invite'>): void {
    const root = message.from.identity[0];
    if (!root) return;
    const next = new Map(this.inviteRoots.value);
    // Only the ringing call matters; keep a few in case invites overlap.
    for (const old of [...next.keys()].slice(0, Math.max(0, next.size - 7))) next.delete(old);
    next.set(message.callId, { username: message.from.username, rootKey: root.identityKey });
    this.inviteRoots.value = next;
  }

  /**
   * The root key of a call's peer: the invite's chain for an incoming call, else the pin (the
   * call path refuses a peer whose root differs from it), else the contact list's.
   */
  peerRootKey(callId: string, username: string): string | null {
    return (
      this.inviteRoots.value.get(callId)?.rootKey ??
      this.deps.pins.get(username)?.identityKey ??
      this.deps.knownIdentity(username)?.identityKey ??
      null
    );
  }

  /** Whether this incoming call comes from a key other than the one pinned for the caller. */
  incomingKeyChanged(callId: string): boolean {
    const invite = this.inviteRoots.value.get(callId);
    return (
      invite !== undefined &&
      this.deps.pins.identityStatus(invite.username, invite.rootKey) === 'changed'
    );
  }
}
