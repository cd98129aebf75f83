import type { Page } from 'playwright-core';

/**
 * Records every text frame the page's WebSockets receive: what the other side's signaling
 * delivered to this page (invites, answers, call.ice), read back with `readSignalingReceived`.
 * Pass `recordSignalingReceived` in ClientOptions.initScripts.
 */
export function recordSignalingReceived(): void {
  const received: string[] = [];
  Object.defineProperty(window, '__signalingReceived', { value: received });
  const Native = window.WebSocket;
  class RecordingWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data === 'string') received.push(event.data);
      });
    }
  }
  window.WebSocket = RecordingWebSocket;
}

export function readSignalingReceived(page: Page): Promise<string[]> {
  return page.evaluate(
    () => (window as unknown as { __signalingReceived: string[] }).__signalingReceived,
  );
}

/** The ICE candidate lines in the frames (call.ice candidates and SDP a=candidate lines). */
export function candidateLines(frames: string[]): string[] {
  return frames.flatMap((frame) => frame.match(/candidate:[^"\\]+/g) ?? []);
}
