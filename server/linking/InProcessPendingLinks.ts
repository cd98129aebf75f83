import type { Clock, Scheduler } from '../calls/timePorts';
import { newLinkCode } from './linkCode';
import type { LinkRequestDetails, LinkWaiter, PendingLink, PendingLinks } from './PendingLinks';

/** How long a link code stays valid. */
export const LINK_CODE_TTL_MS = 5 * 60_000;

interface Entry {
  link: PendingLink;
  waiter: LinkWaiter;
  cancelExpiry: () => void;
}

/** The single-node pending links: codes in a map, each with an expiry timer. */
export class InProcessPendingLinks implements PendingLinks {
  private readonly byCode = new Map<string, Entry>();
  private readonly byWaiter = new Map<LinkWaiter, string>();

  constructor(
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly ttlMs = LINK_CODE_TTL_MS,
  ) {}

  open(waiter: LinkWaiter, details: LinkRequestDetails): PendingLink {
    this.drop(waiter);
    let code = newLinkCode();
    while (this.byCode.has(code)) code = newLinkCode();
    const link: PendingLink = { ...details, code, expiresAt: this.clock.now() + this.ttlMs };
    const cancelExpiry = this.scheduler.schedule(this.ttlMs, () => {
      if (this.remove(code)) waiter.linkRejected(code, 'expired');
    });
    this.byCode.set(code, { link, waiter, cancelExpiry });
    this.byWaiter.set(waiter, code);
    return link;
  }

  find(code: string): PendingLink | undefined {
    const entry = this.byCode.get(code);
    return entry && this.clock.now() < entry.link.expiresAt ? entry.link : undefined;
  }

  take(code: string): { link: PendingLink; waiter: LinkWaiter } | undefined {
    if (!this.find(code)) return undefined;
    const entry = this.remove(code);
    return entry && { link: entry.link, waiter: entry.waiter };
  }

  drop(waiter: LinkWaiter): void {
    const code = this.byWaiter.get(waiter);
    if (code !== undefined) this.remove(code);
  }

  private remove(code: string): Entry | undefined {
    const entry = this.byCode.get(code);
    if (!entry) return undefined;
    entry.cancelExpiry();
    this.byCode.delete(code);
    this.byWaiter.delete(entry.waiter);
    return entry;
  }
}
