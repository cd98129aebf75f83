import type { Page } from 'playwright-core';

/**
 * A peer connection that fails on cue, from outside the app: an init script makes the newest
 * connection report `failed` (as Chromium does when a link drops for good) until ICE has really
 * restarted, i.e. the connection's local ICE credentials changed and ICE is connected again on
 * them. Loopback cannot lose a link, and the real link drops are the namespace lab's; this
 * drives the app's recovery through a real ICE restart deterministically.
 */

interface FailingWindow {
  __failNewestConnection(): void;
  /** How many times a simulated failure ended with ICE connected on new credentials. */
  __iceRestartsSeen: number;
}

/** Runs in the page before any of its scripts. Must stay self-contained (it is serialized). */
export function simulateIceFailure(): void {
  const Base = window.RTCPeerConnection;
  // The native getter, below the subclasses other init scripts (the connection tracker) made.
  let proto: object | null = Base.prototype;
  while (proto && !Object.getOwnPropertyDescriptor(proto, 'connectionState')) {
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  const stateOf = Object.getOwnPropertyDescriptor(proto, 'connectionState')!.get!;
  const created: RTCPeerConnection[] = [];
  const failedOnUfrag = new Map<RTCPeerConnection, string>();
  const ufragOf = (pc: RTCPeerConnection) =>
    /^a=ice-ufrag:(\S+)/m.exec(pc.localDescription?.sdp ?? '')?.[1] ?? '';
  let restartsSeen = 0;

  class FailingPeerConnection extends Base {
    constructor(config?: RTCConfiguration) {
      super(config);
      created.push(this);
    }

    override get connectionState(): RTCPeerConnectionState {
      return failedOnUfrag.has(this) ? 'failed' : (stateOf.call(this) as RTCPeerConnectionState);
    }
  }
  window.RTCPeerConnection = FailingPeerConnection;

  const watch = (pc: RTCPeerConnection) => {
    const failedUfrag = failedOnUfrag.get(pc);
    if (failedUfrag === undefined || pc.signalingState === 'closed') return;
    const restarted = ufragOf(pc) !== failedUfrag && pc.signalingState === 'stable';
    const iceUp = pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
    if (restarted && iceUp) {
      failedOnUfrag.delete(pc);
      restartsSeen += 1;
      pc.dispatchEvent(new Event('connectionstatechange'));
      return;
    }
    setTimeout(() => watch(pc), 50);
  };

  Object.defineProperty(window, '__failNewestConnection', {
    value: () => {
      const pc = created[created.length - 1];
      if (!pc) throw new Error('no peer connection to fail');
      failedOnUfrag.set(pc, ufragOf(pc));
      pc.dispatchEvent(new Event('connectionstatechange'));
      watch(pc);
    },
  });
  Object.defineProperty(window, '__iceRestartsSeen', { get: () => restartsSeen });
}

/** Makes the page's newest peer connection report `failed` until ICE restarts. */
export function failNewestConnection(page: Page): Promise<void> {
  return page.evaluate(() => (window as unknown as FailingWindow).__failNewestConnection());
}

export function readIceRestartsSeen(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as FailingWindow).__iceRestartsSeen);
}
