import type { DeviceSettingsModel } from '../media/DeviceSettingsModel';
import { Icon } from './icons';
import { testIds } from './testIds';

/** "New microphone: … — use it?" and "Your camera was disconnected; …". */
export function DeviceNotices({ devices }: { devices: DeviceSettingsModel }) {
  const notices = devices.notices.value;
  if (notices.length === 0) return null;
  return (
    <div class="device-notices">
      {notices.map((notice) => (
        <div
          key={`${notice.kind}-${notice.role}-${notice.deviceId}`}
          class={`call-notice call-notice--${notice.kind === 'fallback' ? 'alert' : 'info'}`}
          role="status"
          data-testid={testIds.deviceNotice}
          data-kind={notice.kind}
          data-role={notice.role}
        >
          <Icon name={notice.role === 'camera' ? 'video' : 'mic'} />
          <span class="call-notice__text">{notice.text}</span>
          {notice.kind === 'added' && (
            <button
              class="button"
              data-testid={testIds.deviceNoticeUse}
              onClick={() => void devices.choose(notice.role, notice.deviceId)}
            >
              Use it
            </button>
          )}
          <button
            class="icon-button"
            aria-label="Dismiss"
            data-testid={testIds.deviceNoticeDismiss}
            onClick={() => devices.dismissNotice(notice)}
          >
            <Icon name="close" />
          </button>
        </div>
      ))}
    </div>
  );
}
