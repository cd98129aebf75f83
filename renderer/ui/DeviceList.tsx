import type { DevicesModel } from '../devices/DevicesModel';
import type { SignOutModel } from '../state/SignOutModel';
import { isolateName } from '../../protocol';
import { Icon } from './icons';
import { Name } from './Name';
import { testIds } from './testIds';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * This account's devices; every device but this one can be removed, and this one signed out,
 * once the user confirms.
 */
export function DeviceList({ devices, signOut }: { devices: DevicesModel; signOut: SignOutModel }) {
  const list = devices.devices.value;
  const error = devices.error.value;
  return (
    <div class="contacts">
      {error && (
        <p class="form-error form-error--inline" role="alert">
          {error}
        </p>
      )}
      <ul class="list">
        {list.map((device) => (
          <li
            key={device.deviceId}
            class="list__row"
            data-testid={testIds.deviceRow}
            data-device-id={device.deviceId}
            data-current={device.current ? 'true' : 'false'}
            data-online={device.online ? 'true' : 'false'}
          >
            <div class="presence-avatar">
              <span class="device-icon">
                <Icon name="devices" />
              </span>
              <span class={`presence-dot presence-dot--${device.online ? 'online' : 'offline'}`} />
            </div>
            <div class="list__main">
              <strong class="name-row">
                <Name text={device.deviceName} />
                {device.current && <small class="name-row__suffix">(this device)</small>}
              </strong>
              <span class="muted">
                {device.online ? 'Online' : 'Offline'} · linked{' '}
                {dateFormat.format(new Date(device.createdAt))}
              </span>
            </div>
            {!device.current && (
              <button
                class="icon-button"
                data-testid={testIds.removeDeviceButton(device.deviceId)}
                aria-label={`Remove ${isolateName(device.deviceName)}`}
                title="Remove this device"
                disabled={devices.removing.value === device.deviceId}
                onClick={() => {
                  const question = `Remove ${isolateName(device.deviceName)}? It is signed out at once and can no longer make or receive calls as you.`;
                  if (window.confirm(question)) void devices.remove(device.deviceId);
                }}
              >
                <Icon name="close" />
              </button>
            )}
          </li>
        ))}
      </ul>
      {signOut.error.value && (
        <p class="form-error form-error--inline" role="alert" data-testid={testIds.signOutError}>
          {signOut.error.value}
        </p>
      )}
      <button
        class="button"
        data-testid={testIds.signOutButton}
        disabled={signOut.busy.value}
        onClick={() => {
          if (window.confirm(signOut.question())) void signOut.signOut();
        }}
      >
        Sign out of this device
      </button>
    </div>
  );
}
