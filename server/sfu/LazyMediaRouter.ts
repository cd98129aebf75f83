import type { CallMedia, CallMediaEvents, MediaRouter } from './MediaRouter';

/**
 * A MediaRouter started on the first call that needs it (the mediasoup workers of a server most
 * of whose calls are 1:1 need not run from start-up). A start that fails fails that call only;
 * the next call tries again.
 */
export class LazyMediaRouter implements MediaRouter {
  private starting: Promise<MediaRouter> | null = null;
  private closed = false;

  constructor(private readonly start: () => Promise<MediaRouter>) {}

  /** Whether the real router has been asked to start (for the operator's logs and the tests). */
  get started(): boolean {
    return this.starting !== null;
  }

  async openCall(callId: string, events: CallMediaEvents): Promise<CallMedia> {
    if (this.closed) throw new Error('The SFU has shut down');
    if (!this.starting) {
      const starting = this.start();
      this.starting = starting;
      starting.catch(() => {
        if (this.starting === starting) this.starting = null;
      });
    }
    const router = await this.starting;
    if (this.closed) {
      router.close();
      throw new Error('The SFU has shut down');
    }
    return router.openCall(callId, events);
  }

  close(): void {
    this.closed = true;
    void this.starting?.then((router) => router.close()).catch(() => {});
    this.starting = null;
  }
}
