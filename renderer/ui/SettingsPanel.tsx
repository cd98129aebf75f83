import type { AppModel } from '../state/AppModel';
import { DesktopSettingsPanel } from './DesktopSettingsPanel';
import { DeviceNotices } from './DeviceNotices';
import { DevicePickers } from './DevicePickers';
import { MediaRemedyCard } from './MediaRemedyCard';
import { MediaVideo } from './MediaVideo';
import { ProfileSettings } from './ProfileSettings';
import { testIds } from './testIds';

/**
 * Settings: your display name, devices with a live camera preview and mic level, relay-only calls; desktop options
 * in the app.
 */
export function SettingsPanel({ app }: { app: AppModel }) {
  const devices = app.deviceSettings;
  const level = devices.meter.level.value;
  const alwaysRelay = app.callPrivacy.alwaysRelay.value;
  const remedy = devices.previewRemedy.value;
  return (
    <div class="settings">
      <ProfileSettings profile={app.profile} session={app.session} />
      <section class="card">
        <h2>Audio and video</h2>
        <DeviceNotices devices={devices} />
        <DevicePickers devices={devices} />
        {remedy ? (
          <MediaRemedyCard remedy={remedy} onTryAgain={() => void devices.tryAgain()} />
        ) : (
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
        )}
      </section>
      <section class="card">
        <h2>Privacy</h2>
        <label class="toggle">
          <input
            type="checkbox"
            role="switch"
            aria-checked={alwaysRelay ? 'true' : 'false'}
            checked={alwaysRelay}
            data-testid={testIds.alwaysRelayToggle}
            onChange={(event) => app.callPrivacy.setAlwaysRelay(event.currentTarget.checked)}
          />
          <span>Protect my IP address in calls</span>
        </label>
        <p class="settings__hint">
          Every call goes through the server's relay, so the other side never sees your IP address;
          call quality may be a little lower. Calls with people who are not in your contacts are
          always relayed.
        </p>
      </section>
      {app.desktopIntegration.desktop && <DesktopSettingsPanel desktop={app.desktopIntegration} />}
    </div>
  );
}
