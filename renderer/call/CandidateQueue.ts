/**
 * Holds items until a consumer is ready, then passes them on in order. ICE candidates need this
 * both ways: remote ones wait for the remote description, local ones wait until the call exists
 * on the other side (caller: the accept; callee: its own accept sent).
 */
export class CandidateQueue<T> {
  private held: T[] = [];
  private deliver: ((item: T) => void) | null = null;

  push(item: T): void {
    if (this.deliver) this.deliver(item);
    else this.held.push(item);
  }

  /** Delivers everything held, then each later item at once. */
  open(deliver: (item: T) => void): void {
    this.deliver = deliver;
    const held = this.held;
    this.held = [];
    for (const item of held) deliver(item);
  }

  get isOpen(): boolean {
    return this.deliver !== null;
  }

  get heldCount(): number {
    return this.held.length;
  }

  clear(): void {
    this.held = [];
    this.deliver = null;
  }
}
