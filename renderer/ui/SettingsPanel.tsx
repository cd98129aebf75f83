import type { AppModel } from '../state/AppModel';
import { DesktopSettingsPanel } from './DesktopSettingsPanel';
import { DeviceNotices } from './DeviceNotices';
import { DevicePickers } from './DevicePickers';
import { MediaVideo } from './MediaVideo';
import { testIds } from './testIds';

/** Settings: devices with a live camera preview and mic level; desktop options in the app. */
export function SettingsPanel({ app }: { app: AppModel }) {
  const devices = app.deviceSettings;
  const level = devices.meter.level.value;
  return (
    <div class="settings">
      <section class="card">
        <h2>Audio and video</h2>
        <DeviceNotices devices={devices} />
        <DevicePickers devices={devices} />
        <div class="settings__preview">
          <MediaVideo
            stream={devices.previewStream.value}
            muted
            class="settings__camera"
            testId={testIds.cameraPreview}
          />
          <div
            class="mic-level"
            role="meter"
            aria-label="Microphone level"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={level}
            data-testid={testIds.micLevel}
            data-level={String(level)}
          >
            <div class="mic-level__bar" style={{ width: `${level}%` }} />
          </div>
        </div>
      </section>
      {app.desktopIntegration.desktop && <DesktopSettingsPanel desktop={app.desktopIntegration} />}
    </div>
  );
}
