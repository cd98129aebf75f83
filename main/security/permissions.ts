import { isAppUrl } from './appOrigin';

/**
 * The whole permission allowlist: what a call needs (camera/mic, screen share, ring
 * notifications), for the app's own origin in the main window's main frame. Everything else is
 * denied, including to the incoming-call window: it is on the same origin, but it only rings.
 */
const allowedPermissions: ReadonlySet<string> = new Set([
  'media',
  'display-capture',
  'notifications',
]);

export interface PermissionQuery {
  permission: string;
  /** `webContents.id` of the contents asking; null when Electron names none (checks may omit it). */
  webContentsId: number | null;
  /** The URL or origin of the frame asking. */
  requestingUrl: string;
  isMainFrame: boolean;
}

/** `appWebContentsId` is the main window's `webContents.id`, or null while there is no window. */
export function isPermissionAllowed(
  query: PermissionQuery,
  appWebContentsId: number | null,
): boolean {
  return (
    allowedPermissions.has(query.permission) &&
    appWebContentsId !== null &&
    query.webContentsId === appWebContentsId &&
    query.isMainFrame &&
    isAppUrl(query.requestingUrl)
  );
}
