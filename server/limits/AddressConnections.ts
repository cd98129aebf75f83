import { limitKey } from '../frontDoor/clientAddress';

/**
 * Open WebSocket connections per address. An address is remembered only while it has one open,
 * so the map is never larger than the number of open connections.
 */
export class AddressConnections {
  private readonly open = new Map<string, number>();

  constructor(readonly maxPerAddress: number) {}

  /** Takes a place for a new connection from `address`; null when it already has the most. */
  reserve(address: string): (() => void) | null {
    const key = limitKey(address);
    const count = this.open.get(key) ?? 0;
    if (count >= this.maxPerAddress) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }

  /** Addresses with a connection open now. */
  get size(): number {
    return this.open.size;
  }
}
