import { signal } from '@preact/signals';
import type { MediaAccessStatus } from '../../protocol/ipc';
import { openChosenInputs } from '../call/LocalMedia';
import { mediaFailureReason, type FailedInput } from '../call/mediaErrors';
import type { CallInputControls } from '../state/currentCallMedia';
import {
  decideDeviceChange,
  fallbackNotice,
  type DeviceNotice,
  type DeviceRole,
  type DevicesInUse,
  type MediaDevice,
} from './deviceChanges';
import { DevicePreferences, type DeviceChoice } from './DevicePreferences';
import {
  mediaRemedy,
  type MediaGatekeeper,
  type MediaProblem,
  type MediaRemedy,
} from './mediaRemedy';
import { MicLevelMeter } from './MicLevelMeter';

/** Where the camera and microphone are refused or allowed, and (desktop) the OS's own setting. */
export interface MediaAccessRules {
  gatekeeper: MediaGatekeeper;
  /** Desktop: reads the OS setting for the input, asking the user where the OS allows it. */
  requestSystemAccess?: (input: FailedInput) => Promise<MediaAccessStatus>;
}

/**
 * Microphone, camera and speaker: the lists, the persisted choice, the settings preview (camera
 * picture and mic level) and hot-plug. During a call a choice or a fallback switches the call's
 * own input through the call's LocalMember, so the call keeps going.
 */
export class DeviceSettingsModel {
  readonly devices = signal<MediaDevice[]>([]);
  readonly choice = signal<DeviceChoice>({});
  readonly notices = signal<DeviceNotice[]>([]);
  readonly previewStream = signal<MediaStream | null>(null);
  /** Why the preview could not open, and how to fix it: shown instead of a black preview. */
  readonly previewRemedy = signal<MediaRemedy | null>(null);
  readonly meter = new MicLevelMeter();
  /** Whether output devices can be chosen (HTMLMediaElement.setSinkId exists). */
  readonly speakerSupported =
    typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  private username: string | null = null;
  private previewWanted = false;

  constructor(
    private readonly preferences: DevicePreferences,
    private readonly media: CallInputControls,
    private readonly access: MediaAccessRules,
  ) {}

  /** Loads this account's choice and starts following device changes. */
  start(username: string): void {
    this.username = username;
    this.choice.value = this.preferences.load(username);
    navigator.mediaDevices.addEventListener('devicechange', () => void this.onDeviceChange());
    void this.refresh();
  }

  /** What the next call opens: the chosen devices, defaults where none is chosen. */
  callInputs(): { microphoneId: string | undefined; cameraId: string | undefined } {
    return { microphoneId: this.choice.value.microphone, cameraId: this.choice.value.camera };
  }

  async choose(role: DeviceRole, deviceId: string | undefined): Promise<void> {
    const choice = { ...this.choice.value };
    if (deviceId) choice[role] = deviceId;
    else delete choice[role];
    this.choice.value = choice;
    if (this.username) this.preferences.save(this.username, choice);
    this.notices.value = this.notices.value.filter((notice) => notice.role !== role);
    if (role !== 'speaker') {
      await this.media.useInput(role === 'microphone' ? 'audio' : 'video', deviceId);
      if (this.previewWanted) await this.openPreview();
    }
  }

  dismissNotice(notice: DeviceNotice): void {
    this.notices.value = this.notices.value.filter((shown) => shown !== notice);
  }

  /** A call track ended by itself: the device is gone, so the call moves to the default. */
  async onTrackEnded(kind: 'audio' | 'video'): Promise<void> {
    const role: DeviceRole = kind === 'audio' ? 'microphone' : 'camera';
    this.notices.value = [
      ...this.notices.value.filter((notice) => notice.role !== role),
      fallbackNotice(role, this.inUse()[role] ?? ''),
    ];
    await this.media.useInput(kind, undefined);
    void this.refresh();
  }

  /**
   * Settings: shows the chosen camera and the chosen microphone's level (not during a call). When
   * an input cannot be opened, says which and how to fix it instead (`previewRemedy`).
   */
  async openPreview(): Promise<void> {
    this.previewWanted = true;
    this.stopPreview();
    if (this.media.inCall) return;
    let stream: MediaStream;
    try {
      stream = await openChosenInputs(true, true, this.callInputs());
    } catch (error) {
      if (this.previewWanted) this.previewRemedy.value = await this.previewRemedyFor(error);
      return;
    }
    this.previewRemedy.value = null;
    if (!this.previewWanted) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    this.previewStream.value = stream;
    this.meter.start(stream);
    // Labels are only readable once a device is open.
    await this.refresh();
  }

  /** "Try again": on the desktop the OS is asked first (macOS shows its prompt once). */
  async tryAgain(): Promise<void> {
    const remedy = this.previewRemedy.value;
    if (remedy && this.access.requestSystemAccess) {
      await this.access.requestSystemAccess(remedy.input).catch((error: unknown) => {
        console.warn('parley: could not ask the OS for media access', error);
      });
    }
    await this.openPreview();
  }

  /** What the user is told about a problem with one input, here (this browser or OS). */
  remedyFor(problem: MediaProblem): MediaRemedy {
    return mediaRemedy(problem, this.access.gatekeeper);
  }

  /**
   * "Try again" after a call failed for this input: the OS first (desktop), then the input is
   * requested again. The remedy still needed, or null once the input opens.
   */
  async recheck(input: FailedInput): Promise<MediaRemedy | null> {
    if (this.access.requestSystemAccess) {
      await this.access.requestSystemAccess(input).catch((error: unknown) => {
        console.warn('parley: could not ask the OS for media access', error);
      });
    }
    try {
      const stream = await openChosenInputs(
        input === 'microphone',
        input === 'camera',
        this.callInputs(),
      );
      for (const track of stream.getTracks()) track.stop();
      return null;
    } catch (error) {
      const denied = mediaFailureReason(error) === 'permission_denied';
      return this.remedyFor({ input, problem: denied ? 'denied' : 'missing' });
    }
  }

  /** Which input failed (the camera alone is tried to tell), and the remedy for it. */
  private async previewRemedyFor(error: unknown): Promise<MediaRemedy> {
    let input: FailedInput = 'microphone';
    let cause = error;
    try {
      const camera = await openChosenInputs(false, true, this.callInputs());
      for (const track of camera.getTracks()) track.stop();
    } catch (cameraError) {
      input = 'camera';
      cause = cameraError;
    }
    const denied = mediaFailureReason(cause) === 'permission_denied';
    return this.remedyFor({ input, problem: denied ? 'denied' : 'missing' });
  }

  closePreview(): void {
    this.previewWanted = false;
    this.stopPreview();
    this.previewRemedy.value = null;
  }

  private stopPreview(): void {
    this.meter.stop();
    for (const track of this.previewStream.value?.getTracks() ?? []) track.stop();
    this.previewStream.value = null;
  }

  private async refresh(): Promise<MediaDevice[]> {
    const list = await navigator.mediaDevices.enumerateDevices();
    const devices = list.map(({ deviceId, kind, label }) => ({ deviceId, kind, label }));
    this.devices.value = devices;
    return devices;
  }

  private async onDeviceChange(): Promise<void> {
    const before = this.devices.value;
    const after = await this.refresh();
    const decision = decideDeviceChange(before, after, this.inUse());
    const roles = new Set(decision.notices.map((notice) => notice.role));
    this.notices.value = [
      ...this.notices.value.filter((notice) => !roles.has(notice.role)),
      ...decision.notices,
    ];
    for (const role of decision.fallBack) {
      if (role === 'speaker') continue; // media elements fall back to the default output by themselves
      await this.media.useInput(role === 'microphone' ? 'audio' : 'video', undefined);
    }
    if (decision.fallBack.length > 0 && this.previewWanted) await this.openPreview();
  }

  /** The devices actually open now: the call's tracks, else the preview's, else the choice. */
  private inUse(): DevicesInUse {
    const stream = this.media.localStream.value ?? this.previewStream.value;
    const inUse: DevicesInUse = { speaker: this.choice.value.speaker };
    const microphone = stream?.getAudioTracks()[0]?.getSettings().deviceId;
    const camera = stream?.getVideoTracks()[0]?.getSettings().deviceId;
    inUse.microphone = microphone ?? this.choice.value.microphone;
    inUse.camera = camera ?? this.choice.value.camera;
    return inUse;
  }
}
