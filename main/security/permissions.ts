import { isAppUrl } from './appOrigin';

/**
 * The whole permission allowlist: what a call needs (camera/mic, screen share, ring
 * notifications), for the app's own origin in its main frame. Everything else is denied.
 */
const allowedPermissions: ReadonlySet<string> = new Set([
  'media',
  'display-capture',
  'notifications',
]);

export interface PermissionQuery {
  permission: string;
  /** The URL or origin of the frame asking. */
  requestingUrl: string;
  isMainFrame: boolean;
}

export function isPermissionAllowed(query: PermissionQuery): boolean {
  return (
    allowedPermissions.has(query.permission) && query.isMainFrame && isAppUrl(query.requestingUrl)
  );
}
