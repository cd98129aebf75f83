import type { Page } from 'playwright-core';

export interface TurnProbeResult {
  /** Addresses of the relay candidates gathered (an allocation coturn granted). */
  relayAddresses: string[];
  /** What the TURN server answered when it refused (RTCPeerConnectionIceErrorEvent). */
  errors: { errorCode: number; errorText: string; url: string }[];
}

/**
 * Asks one TURN server for an allocation from inside the page, as a call would (relay-only
 * gathering), and reports what came back: relay candidates, or the server's error answers.
 */
export function probeTurn(
  page: Page,
  server: { urls: string; username: string; credential: string },
): Promise<TurnProbeResult> {
  return page.evaluate(async (iceServer) => {
    const pc = new RTCPeerConnection({ iceServers: [iceServer], iceTransportPolicy: 'relay' });
    const result: TurnProbeResult = { relayAddresses: [], errors: [] };
    pc.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate?.type === 'relay') result.relayAddresses.push(candidate.address ?? '');
    });
    pc.addEventListener('icecandidateerror', (event) => {
      const { errorCode, errorText, url } = event as RTCPeerConnectionIceErrorEvent;
      result.errors.push({ errorCode, errorText, url });
    });
    const complete = new Promise<void>((resolve) =>
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') resolve();
      }),
    );
    pc.createDataChannel('probe');
    await pc.setLocalDescription();
    await complete;
    pc.close();
    return result;
  }, server);
}
