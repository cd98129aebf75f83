import type { BrowserContext, Page } from 'playwright-core';

/**
 * When a page's getUserMedia calls resolved (its Date.now()): the moment its camera and
 * microphone were open and the page could use them. Read apart from the app, by an init script,
 * as the connection tracker does.
 */

interface CameraWindow {
  __cameraOpenedAt: number[];
}

/** Runs in the page before any of its scripts. Must stay self-contained (it is serialized). */
export function recordCameraOpens(): void {
  const openedAt: number[] = [];
  Object.defineProperty(window, '__cameraOpenedAt', { value: openedAt });
  const devices = navigator.mediaDevices;
  const open = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = await open(constraints);
    openedAt.push(Date.now());
    return stream;
  };
}

export async function recordCameraOpensIn(context: BrowserContext): Promise<void> {
  await context.addInitScript(recordCameraOpens);
}

/** When the page's camera and microphone were first open at or after `since` (Date.now()). */
export async function cameraOpenedSince(page: Page, since: number): Promise<number> {
  const openedAt = await page.evaluate(
    (from) => (window as unknown as CameraWindow).__cameraOpenedAt.find((at) => at >= from),
    since,
  );
  if (openedAt === undefined) throw new Error('the camera was not opened after the accept');
  return openedAt;
}
