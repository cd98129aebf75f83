import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME } from '../security/appOrigin';
import { resolveAppFile } from './resolveAppFile';

/** Must run before `app` is ready: makes `app:` a standard, secure scheme (a secure context). */
export function registerAppSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the renderer bundle from `rendererDir` on `app://parley/`, every response with the CSP. */
export function serveAppProtocol(rendererDir: string, csp: string): void {
  const securityHeaders = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
  };
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET')
      return new Response(null, { status: 405, headers: securityHeaders });
    const resolution = resolveAppFile(request.url, rendererDir);
    if (resolution.kind === 'refused') {
      return new Response(null, { status: resolution.status, headers: securityHeaders });
    }
    try {
      const body = await readFile(resolution.path);
      return new Response(body, {
        headers: { ...securityHeaders, 'content-type': resolution.contentType },
      });
    } catch {
      return new Response(null, { status: 404, headers: securityHeaders });
    }
  });
}
