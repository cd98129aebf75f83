import type { MediaDevice } from '../../../renderer/media/deviceChanges';

/**
 * Browser media under Node: getUserMedia and enumerateDevices do not exist here, so
 * `installFakeMediaDevices` puts a minimal navigator.mediaDevices on globalThis (and `restore`
 * takes it away again). The fake opens tracks of the devices it lists, the system default where
 * no device is asked for, and refuses a device it does not list, as a browser does.
 */
export class FakeTrack extends EventTarget {
  readyState: 'live' | 'ended' = 'live';

  constructor(
    readonly kind: 'audio' | 'video',
    readonly deviceId: string,
  ) {
    super();
  }

  get label(): string {
    return this.deviceId;
  }

  getSettings(): MediaTrackSettings {
    return { deviceId: this.deviceId };
  }

  stop(): void {
    this.readyState = 'ended';
  }
}

export function fakeStream(tracks: FakeTrack[]): MediaStream {
  return {
    getTracks: () => [...tracks],
    getAudioTracks: () => tracks.filter((track) => track.kind === 'audio'),
    getVideoTracks: () => tracks.filter((track) => track.kind === 'video'),
  } as unknown as MediaStream;
}

/** The device id a fake track gets when the constraints name none. */
export const defaultDeviceIds = { audio: 'default-mic', video: 'default-cam' } as const;

/** Two microphones and two cameras: a desk with a headset and a USB camera plugged in. */
export const TWO_MICS_TWO_CAMERAS: readonly MediaDevice[] = [
  { deviceId: 'mic-1', kind: 'audioinput', label: 'Desk mic' },
  { deviceId: 'mic-2', kind: 'audioinput', label: 'Headset mic' },
  { deviceId: 'cam-1', kind: 'videoinput', label: 'Built-in camera' },
  { deviceId: 'cam-2', kind: 'videoinput', label: 'USB camera' },
];

export class FakeMediaDevices extends EventTarget {
  devices: MediaDevice[] = [];
  readonly requests: MediaStreamConstraints[] = [];
  readonly opened: FakeTrack[] = [];
  /** Kinds the browser or OS refuses, as a user who clicked "Block" (NotAllowedError). */
  readonly blocked = new Set<'audio' | 'video'>();

  async enumerateDevices(): Promise<MediaDevice[]> {
    return this.devices.map((device) => ({ ...device }));
  }

  async getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    this.requests.push(constraints);
    const tracks: FakeTrack[] = [];
    for (const kind of ['audio', 'video'] as const) {
      const wanted = constraints[kind];
      if (!wanted) continue;
      if (this.blocked.has(kind)) throw new DOMException('Permission denied', 'NotAllowedError');
      const exact = typeof wanted === 'object' ? exactDeviceId(wanted) : undefined;
      const listKind = kind === 'audio' ? 'audioinput' : 'videoinput';
      if (exact && !this.devices.some((d) => d.kind === listKind && d.deviceId === exact)) {
        throw new DOMException('Requested device not found', 'NotFoundError');
      }
      tracks.push(new FakeTrack(kind, exact ?? defaultDeviceIds[kind]));
    }
    this.opened.push(...tracks);
    return fakeStream(tracks);
  }

  /** Unplugs a device: it leaves the list and 'devicechange' fires. */
  unplug(deviceId: string): void {
    this.devices = this.devices.filter((device) => device.deviceId !== deviceId);
    this.dispatchEvent(new Event('devicechange'));
  }
}

function exactDeviceId(constraints: MediaTrackConstraints): string | undefined {
  const deviceId = constraints.deviceId;
  if (deviceId && typeof deviceId === 'object' && !Array.isArray(deviceId)) {
    const exact = deviceId.exact;
    return typeof exact === 'string' ? exact : undefined;
  }
  return undefined;
}

/** Installs the fake as navigator.mediaDevices; call the returned function to restore. */
export function installFakeMediaDevices(devices: FakeMediaDevices): () => void {
  const previous = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', {
    value: { mediaDevices: devices },
    configurable: true,
    writable: true,
  });
  return () => {
    if (previous) Object.defineProperty(globalThis, 'navigator', previous);
    else delete (globalThis as { navigator?: unknown }).navigator;
  };
}

/** Waits for the model's fire-and-forget work (device events, refreshes) to land. */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}
