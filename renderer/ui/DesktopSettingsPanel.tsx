import type { DesktopSettings, ShortcutAction } from '../../protocol';
import type { DesktopIntegration } from '../desktop/DesktopIntegration';
import { acceleratorFor } from '../desktop/keyboardShortcuts';
import { testIds } from './testIds';

const actionNames: Record<ShortcutAction, string> = {
  toggleMute: 'Mute / unmute',
  hangUp: 'Hang up',
  acceptCall: 'Accept call',
  declineCall: 'Decline call',
};

/**
 * Desktop-only settings: tray, do-not-disturb and the global shortcuts. A shortcut is recorded
 * by pressing it in its field; one the OS refused shows why, so none is silently dead.
 */
export function DesktopSettingsPanel({ desktop }: { desktop: DesktopIntegration }) {
  const settings = desktop.settings.value;
  if (!settings) return <p class="muted">{desktop.settingsError.value ?? 'Loading…'}</p>;
  const status = desktop.shortcutStatus.value;
  const save = (next: DesktopSettings) => void desktop.saveSettings(next);
  const toggle = (key: 'closeToTray' | 'doNotDisturb', label: string, testId: string) => (
    <label class="toggle">
      <input
        type="checkbox"
        role="switch"
        aria-checked={settings[key] ? 'true' : 'false'}
        checked={settings[key]}
        data-testid={testId}
        onChange={(event) => save({ ...settings, [key]: event.currentTarget.checked })}
      />
      <span>{label}</span>
    </label>
  );
  return (
    <section class="card">
      <h2>Desktop</h2>
      {toggle(
        'closeToTray',
        'Keep running in the tray when the window is closed',
        testIds.closeToTrayToggle,
      )}
      {toggle('doNotDisturb', 'Do not disturb (calls do not ring)', testIds.doNotDisturbToggle)}
      <h3>Shortcuts (work even when Parley is in the background)</h3>
      {(Object.keys(actionNames) as ShortcutAction[]).map((action) => {
        const state = status.find((s) => s.action === action);
        const accelerator = settings.shortcuts[action];
        return (
          <div class="shortcut-row" key={action}>
            <span class="field__label">{actionNames[action]}</span>
            <input
              class="input"
              readOnly
              value={accelerator ?? ''}
              placeholder="Press keys, or Backspace for none"
              data-testid={testIds.shortcutInput(action)}
              onKeyDown={(event) => {
                event.preventDefault();
                event.stopPropagation();
                const next =
                  event.key === 'Backspace' || event.key === 'Delete'
                    ? null
                    : acceleratorFor(event);
                if (next === null && event.key !== 'Backspace' && event.key !== 'Delete') return;
                save({ ...settings, shortcuts: { ...settings.shortcuts, [action]: next } });
              }}
            />
            <span
              class={state?.registered ? 'chip chip--ok' : 'chip'}
              data-testid={testIds.shortcutStatus(action)}
              data-registered={state?.registered ? 'true' : 'false'}
            >
              {state?.registered
                ? 'Active'
                : accelerator
                  ? (state?.problem ?? 'Not registered')
                  : 'Off'}
            </span>
          </div>
        );
      })}
      {desktop.settingsError.value && <p class="error">{desktop.settingsError.value}</p>}
    </section>
  );
}
