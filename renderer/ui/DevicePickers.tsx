import type { DeviceRole } from '../media/deviceChanges';
import type { DeviceSettingsModel } from '../media/DeviceSettingsModel';
import { testIds } from './testIds';

const pickers: { role: DeviceRole; kind: MediaDeviceKind; label: string; testId: string }[] = [
  { role: 'microphone', kind: 'audioinput', label: 'Microphone', testId: testIds.micSelect },
  { role: 'camera', kind: 'videoinput', label: 'Camera', testId: testIds.cameraSelect },
  { role: 'speaker', kind: 'audiooutput', label: 'Speaker', testId: testIds.speakerSelect },
];

/** Microphone, camera and speaker choices; the speaker only where setSinkId exists. */
export function DevicePickers({ devices }: { devices: DeviceSettingsModel }) {
  const list = devices.devices.value;
  const choice = devices.choice.value;
  return (
    <div class="device-pickers">
      {pickers
        .filter((picker) => picker.role !== 'speaker' || devices.speakerSupported)
        .map((picker) => {
          const options = list.filter(
            (device) => device.kind === picker.kind && device.deviceId !== 'default',
          );
          const chosen = choice[picker.role];
          const value = chosen && options.some((o) => o.deviceId === chosen) ? chosen : '';
          return (
            <label class="field" key={picker.role}>
              <span class="field__label">{picker.label}</span>
              <select
                class="input"
                data-testid={picker.testId}
                value={value}
                onChange={(event) => {
                  const id = event.currentTarget.value;
                  void devices.choose(picker.role, id || undefined).catch((error: unknown) => {
                    console.warn(`parley: could not switch ${picker.role}`, error);
                  });
                }}
              >
                <option value="">System default</option>
                {options.map((device, index) => (
                  <option key={device.deviceId} value={device.deviceId}>
                    {device.label || `${picker.label} ${index + 1}`}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
    </div>
  );
}
