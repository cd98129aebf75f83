import { app, dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { autoUpdater } from 'electron-updater';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFeedConfig, type FeedConfig } from './feedConfig';
import { UPDATE_FEED_PUBLIC_KEY } from './updateFeedKey';
import { configureUpdater, updaterPort } from './updaterPort';
import { UpdateController, type AskToRestart, type UpdaterPort } from './UpdateController';

/** Stands in for the updater where the controller never checks (it never calls it then). */
const unavailable: UpdaterPort = {
  check: () => Promise.reject(new Error('updates are off in this build')),
  download: () => Promise.reject(new Error('updates are off in this build')),
  installNow: () => undefined,
  installOnQuit: () => undefined,
};

const RESTART = 0;
const LATER = 1;

/** "Restart to update" or "Later", in a box main owns, modal to the main window if there is one. */
function restartQuestion(parent: () => BrowserWindow | null): AskToRestart {
  return async (version) => {
    const options: MessageBoxOptions = {
      type: 'info',
      title: 'Update ready',
      message: `Parley ${version} is ready to install.`,
      detail: 'Restart now to update, or later: the update installs when you quit Parley.',
      buttons: ['Restart to update', 'Later'],
      defaultId: RESTART,
      cancelId: LATER,
      noLink: true,
    };
    const window = parent();
    const { response } =
      window && !window.isDestroyed()
        ? await dialog.showMessageBox(window, options)
        : await dialog.showMessageBox(options);
    return response === RESTART;
  };
}

/** The feed electron-builder wrote into resources/app-update.yml, or null with the reason logged. */
async function readFeed(log: (message: string) => void): Promise<FeedConfig | null> {
  const path = join(process.resourcesPath, 'app-update.yml');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    log(`updates: no ${path}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
  const parsed = parseFeedConfig(text);
  if (!parsed.ok) {
    log(`updates: ${path} has no usable feed: ${parsed.reason}`);
    return null;
  }
  return parsed.feed;
}

/**
 * Starts the update checks of the installed app (UpdateController decides; electron-updater
 * fetches, verifies and installs). A build run from the source tree, a missing feed or a build
 * without a pinned feed key never checks.
 */
export async function startUpdates(options: {
  mainWindow(): BrowserWindow | null;
  log(message: string): void;
}): Promise<UpdateController> {
  const { log } = options;
  const packaged = app.isPackaged;
  const feed = packaged ? await readFeed(log) : null;
  const publicKey = UPDATE_FEED_PUBLIC_KEY;
  if (feed && !publicKey) log('updates: no update feed key pinned');
  let port: UpdaterPort | null = null;
  // Only a build that checks creates electron-updater's updater at all.
  if (feed && publicKey) {
    configureUpdater(autoUpdater, { url: feed.url, publicKey }, log);
    port = updaterPort(autoUpdater);
  }
  const controller = new UpdateController({
    packaged,
    feedConfigured: port !== null,
    updater: port ?? unavailable,
    askToRestart: restartQuestion(options.mainWindow),
    timers: {
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
    log,
  });
  controller.start();
  app.on('before-quit', () => controller.stop());
  return controller;
}
