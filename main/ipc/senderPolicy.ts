import { isAppUrl } from '../security/appOrigin';

/** What main knows about who sent an IPC call, taken from Electron's event by the adapter. */
export interface IpcSender {
  /** `webContents.id` of the sender. */
  webContentsId: number;
  /** The sending frame; null when it was already destroyed. */
  frame: { url: string; isMainFrame: boolean } | null;
}

/**
 * IPC is accepted only from the main frame of Parley's own window showing the app origin: not a
 * subframe, not another window, not a page that somehow navigated elsewhere.
 */
export function senderRefusal(sender: IpcSender, appWebContentsId: number | null): string | null {
  if (appWebContentsId === null || sender.webContentsId !== appWebContentsId) {
    return 'the sender is not the Parley window';
  }
  if (!sender.frame) return 'the sending frame is gone';
  if (!sender.frame.isMainFrame) return 'the sender is a subframe';
  if (!isAppUrl(sender.frame.url)) return 'the sender is not on the app origin';
  return null;
}
