import { Notification } from 'electron';
import type { NotificationPort } from './CallAlerts';

/**
 * Native notifications. Each is held until closed: Electron drops the click handler of a
 * notification the garbage collector has taken.
 */
export function createElectronNotifications(iconPath: string): NotificationPort {
  const live = new Set<Notification>();
  return {
    show(content, onClick) {
      if (!Notification.isSupported()) return { close: () => undefined };
      const notification = new Notification({ ...content, icon: iconPath, silent: true });
      live.add(notification);
      notification.on('click', onClick);
      notification.on('close', () => live.delete(notification));
      notification.show();
      return {
        close() {
          notification.close();
          live.delete(notification);
        },
      };
    },
  };
}
