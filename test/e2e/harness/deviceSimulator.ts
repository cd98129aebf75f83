import type { Page } from 'playwright-core';

/**
 * Unplugging a device, from outside the app: an init script wraps enumerateDevices and
 * getUserMedia so devices can be hidden, and `unplug` hides one, ends its open tracks the way
 * the browser does when a device goes (stop + 'ended') and fires 'devicechange'.
 */
interface SimulatedWindow {
  __hiddenDeviceLabels: Set<string>;
  __openTracks: MediaStreamTrack[];
}

/** Runs in the page before any of its scripts. Must stay self-contained (it is serialized). */
export function simulateDeviceUnplugging(): void {
  const hidden = new Set<string>();
  const open: MediaStreamTrack[] = [];
  const devices = navigator.mediaDevices;
  const enumerate = devices.enumerateDevices.bind(devices);
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.enumerateDevices = async () =>
    (await enumerate()).filter((device) => !hidden.has(device.label));
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    for (const track of stream.getTracks()) {
      if (hidden.has(track.label)) {
        for (const t of stream.getTracks()) t.stop();
        throw new DOMException('Requested device not found', 'NotFoundError');
      }
      open.push(track);
    }
    return stream;
  };
  Object.defineProperty(window, '__hiddenDeviceLabels', { value: hidden });
  Object.defineProperty(window, '__openTracks', { value: open });
}

/** Makes the device with this label vanish, ending every live track it feeds. */
export function unplug(page: Page, label: string): Promise<number> {
  return page.evaluate((deviceLabel) => {
    const sim = window as unknown as SimulatedWindow;
    sim.__hiddenDeviceLabels.add(deviceLabel);
    let ended = 0;
    for (const track of sim.__openTracks) {
      if (track.label !== deviceLabel || track.readyState === 'ended') continue;
      track.stop();
      // stop() fires no 'ended'; a device that goes away does.
      track.dispatchEvent(new Event('ended'));
      ended += 1;
    }
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    return ended;
  }, label);
}

/** Labels of the live local tracks the page opened, of one kind. */
export function liveTrackLabels(page: Page, kind: 'audio' | 'video'): Promise<string[]> {
  return page.evaluate(
    (wanted) =>
      (window as unknown as SimulatedWindow).__openTracks
        .filter((track) => track.kind === wanted && track.readyState === 'live')
        .map((track) => track.label),
    kind,
  );
}
