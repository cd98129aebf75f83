import type { WebCallAlerts } from '../web/WebCallAlerts';
import { Icon } from './icons';
import { testIds } from './testIds';

/**
 * Asks, with the reason, whether calls may show as system notifications while this tab is in the
 * background: the browser's own prompt follows only the user's click, never the page load.
 */
export function NotificationOfferCard({ alerts }: { alerts: WebCallAlerts | null }) {
  if (!alerts?.offerNotifications.value) return null;
  return (
    <div class="card call-offer" data-testid={testIds.notificationOffer}>
      <p>
        <Icon name="phone" /> Know when someone calls while this tab is in the background: your
        browser can show calls as notifications.
      </p>
      <button
        class="button button--primary"
        data-testid={testIds.notificationOfferAccept}
        onClick={() => void alerts.turnOnNotifications()}
      >
        Turn on call notifications
      </button>
      <button
        class="button"
        data-testid={testIds.notificationOfferDismiss}
        onClick={() => alerts.notNow()}
      >
        Not now
      </button>
    </div>
  );
}
