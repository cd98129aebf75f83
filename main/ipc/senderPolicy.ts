import { APP_ORIGIN, isAppUrl } from '../security/appOrigin';

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

/** The page the incoming-call window shows; nothing else may use its channels. */
export const INCOMING_PAGE_URL = `${APP_ORIGIN}/incoming.html`;

/** The page the screen picker window shows; nothing else may list or choose sources. */
export const PICKER_PAGE_URL = `${APP_ORIGIN}/picker.html`;

/**
 * The incoming-call window's channels are accepted only from that window's main frame showing
 * the incoming page; the main window (and anything else) is refused, as it is the other way round.
 */
export function incomingSenderRefusal(
  sender: IpcSender,
  incomingWebContentsId: number | null,
): string | null {
  return ownWindowRefusal(sender, incomingWebContentsId, '/incoming.html', 'the incoming-call');
}

/** The picker's channels are accepted only from the picker window's main frame on its page. */
export function pickerSenderRefusal(
  sender: IpcSender,
  pickerWebContentsId: number | null,
): string | null {
  return ownWindowRefusal(sender, pickerWebContentsId, '/picker.html', 'the screen picker');
}

function ownWindowRefusal(
  sender: IpcSender,
  windowWebContentsId: number | null,
  page: string,
  windowName: string,
): string | null {
  if (windowWebContentsId === null || sender.webContentsId !== windowWebContentsId) {
    return `the sender is not ${windowName} window`;
  }
  if (!sender.frame) return 'the sending frame is gone';
  if (!sender.frame.isMainFrame) return 'the sender is a subframe';
  if (!isAppUrl(sender.frame.url)) return 'the sender is not on the app origin';
  const { pathname, search } = new URL(sender.frame.url);
  if (pathname !== page || search !== '') return `the sender is not ${windowName} page`;
  return null;
}
