/** The tabs of one browser profile ask each other to let go of an account on this channel. */
const CHANNEL = 'parley-device-tabs';

interface LetGoRequest {
  type: 'let-go';
  username: string;
}

function isLetGoRequest(data: unknown): data is LetGoRequest {
  if (typeof data !== 'object' || data === null) return false;
  const request = data as Partial<LetGoRequest>;
  return request.type === 'let-go' && typeof request.username === 'string';
}

function lockName(username: string): string {
  return `parley-device:${username}`;
}

/**
 * One tab of a browser profile uses an account's device at a time, as WhatsApp Web does: the tab
 * holds a Web Lock named after the account for as long as it uses it (so a closed or crashed tab
 * frees it at once). "Use here" in another tab asks the holder over a BroadcastChannel to let go,
 * and takes the lock as soon as the holder has stopped and released it.
 */
export class DeviceTabLock {
  private held: string | null = null;
  private release: (() => void) | null = null;
  private onAskedToLetGo: (() => void) | null = null;
  private readonly channel: BroadcastChannel | null = null;

  constructor() {
    if (!navigator.locks || typeof BroadcastChannel === 'undefined') return;
    this.channel = new BroadcastChannel(CHANNEL);
    this.channel.onmessage = (event: MessageEvent) => {
      if (!isLetGoRequest(event.data) || event.data.username !== this.held) return;
      // The holder stops using the device before the lock goes, so the two never overlap.
      this.onAskedToLetGo?.();
      this.unlock();
    };
  }

  /** Runs when another tab takes the account this tab holds, just before the lock goes to it. */
  whenAskedToLetGo(listener: () => void): void {
    this.onAskedToLetGo = listener;
  }

  /** Takes the account's lock unless another tab holds it. Without Web Locks every tab may. */
  tryLock(username: string): Promise<boolean> {
    if (!navigator.locks) return Promise.resolve(true);
    return this.request(username, true);
  }

  /** Asks the tab holding the account to let go, and resolves once this tab holds it. */
  async takeOver(username: string): Promise<void> {
    if (!navigator.locks) return;
    // Queued first, so the lock comes here the moment the holder releases it.
    const granted = this.request(username, false);
    this.channel?.postMessage({ type: 'let-go', username } satisfies LetGoRequest);
    await granted;
  }

  holds(username: string): boolean {
    return this.held === username;
  }

  unlock(): void {
    this.release?.();
    this.release = null;
    this.held = null;
  }

  private request(username: string, ifAvailable: boolean): Promise<boolean> {
    return new Promise((resolve) => {
      void navigator.locks.request(lockName(username), { ifAvailable }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        this.held = username;
        resolve(true);
        return new Promise<void>((release) => {
          this.release = release;
        });
      });
    });
  }
}
