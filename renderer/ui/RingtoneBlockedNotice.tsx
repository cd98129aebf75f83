import type { WebCallAlerts } from '../web/WebCallAlerts';
import { testIds } from './testIds';

/** While a call rings in a browser that blocked its ringtone: says so, and turns sound on. */
export function RingtoneBlockedNotice({ alerts }: { alerts: WebCallAlerts | null }) {
  if (!alerts?.soundBlocked.value) return null;
  return (
    <p class="call-screen__warning" role="alert" data-testid={testIds.soundBlocked}>
      <span>Your browser blocked the ringtone.</span>
      <button
        class="button button--plain"
        data-testid={testIds.enableSoundButton}
        onClick={() => alerts.enableSound()}
      >
        Turn on sound
      </button>
    </p>
  );
}
