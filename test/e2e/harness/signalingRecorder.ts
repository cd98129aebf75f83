import type { Page } from 'playwright-core';

/**
 * Records every signaling message the page receives, as the server sent it (resends included),
 * so a test can count the distinct notices of a kind. Test-only: installed as an init script.
 */

interface RecordingWindow {
  __signalingReceived: unknown[];
}

/** Runs in the page before any of its scripts. Must stay self-contained (it is serialized). */
export function recordSignaling(): void {
  const received: unknown[] = [];
  Object.defineProperty(window, '__signalingReceived', { value: received });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data !== 'string') return;
        try {
          received.push(JSON.parse(event.data));
        } catch {
          // not JSON: the app's own validation deals with it
        }
      });
    }
  };
}

export type ReceivedMessage = { type: string; seq?: number } & Record<string, unknown>;

export function readSignalingReceived(page: Page): Promise<ReceivedMessage[]> {
  return page.evaluate(
    () => (window as unknown as RecordingWindow).__signalingReceived as ReceivedMessage[],
  );
}
