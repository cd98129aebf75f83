import type { AppUpdater } from 'electron-updater';
import { signedFeedOptions } from './SignedFeedProvider';
import type { UpdaterPort } from './UpdateController';

/**
 * Points electron-updater at the signed feed and hands the decisions to UpdateController:
 * nothing downloads, installs or notifies on its own, and its log goes to main's.
 */
export function configureUpdater(
  updater: AppUpdater,
  feed: { url: string; publicKey: string },
  log: (message: string) => void,
): void {
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  // Never to an older version, whatever a feed says (electron-updater's default, made explicit).
  updater.allowDowngrade = false;
  updater.logger = {
    info: (message?: unknown) => log(`updater: ${String(message)}`),
    warn: (message?: unknown) => log(`updater warning: ${String(message)}`),
    error: (message?: unknown) => log(`updater error: ${String(message)}`),
  };
  updater.setFeedURL(signedFeedOptions(feed.url, feed.publicKey));
}

/** The UpdaterPort UpdateController drives, over a configured electron-updater instance. */
export function updaterPort(updater: AppUpdater): UpdaterPort {
  let installOnQuit = false;
  return {
    async check() {
      const result = await updater.checkForUpdates();
      // null: electron-updater skipped the check (not packaged, or not an installed AppImage).
      if (result === null) throw new Error('this install cannot be updated in place');
      return result.isUpdateAvailable ? { version: result.updateInfo.version } : null;
    },
    async download() {
      // electron-updater registers its install-on-quit handler only if this is on when the
      // download completes; the user's choice switches it off again right after.
      updater.autoInstallOnAppQuit = true;
      try {
        await updater.downloadUpdate();
      } finally {
        updater.autoInstallOnAppQuit = installOnQuit;
      }
    },
    installNow() {
      // Silent install, then the new version starts: "Restart to update" restarts.
      updater.quitAndInstall(true, true);
    },
    installOnQuit(enabled) {
      installOnQuit = enabled;
      updater.autoInstallOnAppQuit = enabled;
    },
  };
}
