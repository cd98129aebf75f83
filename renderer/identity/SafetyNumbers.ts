import { signal } from '@preact/signals';
import type { SignalingRequests } from '../signaling/SignalingClient';
import { safetyNumber, type SafetyNumberParty } from './safetyNumber';

/**
 * Safety numbers between this account and others, computed once per pair of keys and kept in a
 * signal so screens re-render when one is ready. Our own root key comes from the server's `user`
 * record of ourselves; were the server to lie about it, the numbers would not match the peer's.
 */
export class SafetyNumbers {
  readonly self = signal<SafetyNumberParty | null>(null);
  private readonly computed = signal<ReadonlyMap<string, string>>(new Map());
  private readonly pending = new Set<string>();

  constructor(private readonly signaling: SignalingRequests) {}

  /** Learns our account's root key; call after each sign-in. */
  async loadSelf(username: string): Promise<void> {
    try {
      const user = await this.signaling.request('user.lookup', { username });
      this.self.value = { username: user.username, identityKey: user.identityKey };
    } catch (error) {
      console.warn('parley: could not read our own identity key', error);
    }
  }

  clear(): void {
    this.self.value = null;
  }

  /** The 60 digits with this peer, or null until computed (it starts computing if needed). */
  numberWith(peer: SafetyNumberParty): string | null {
    const self = this.self.value;
    if (!self) return null;
    const key = pairKey(self, peer);
    const known = this.computed.value.get(key);
    if (known !== undefined) return known;
    if (!this.pending.has(key)) {
      this.pending.add(key);
      safetyNumber(self, peer).then(
        (digits) => {
          this.pending.delete(key);
          this.computed.value = new Map(this.computed.value).set(key, digits);
        },
        (error: unknown) => {
          this.pending.delete(key);
          console.warn('parley: could not compute a safety number', error);
        },
      );
    }
    return null;
  }
}

function pairKey(a: SafetyNumberParty, b: SafetyNumberParty): string {
  return [a.username, a.identityKey, b.username, b.identityKey].join('\n');
}
