import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { CallLinkToken } from '../../protocol';
import type { Refusal } from '../frontDoor/hostCheck';
import { securityHeaders } from './securityHeaders';
import { findStaticFile } from './staticFiles';

/**
 * Plain HTTP: `GET /healthz`, call links (`/call/<token>`) and the web client's static files. The
 * WebSocket is elsewhere.
 */
export interface HttpOptions {
  webRoot: string;
  tls: boolean;
  logger: Logger;
  /** Turns away requests the server must not answer (a foreign `Host`): see FrontDoor. */
  checkRequest: (request: IncomingMessage) => Refusal | null;
}

export function createHttpHandler(options: HttpOptions) {
  const headers = securityHeaders(options.tls);
  return (request: IncomingMessage, response: ServerResponse): void => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    const refusal = options.checkRequest(request);
    if (refusal) {
      sendText(response, refusal.status, `${refusal.reason}\n`);
      return;
    }
    serve(request, response, options).catch((error: unknown) => {
      options.logger.error({ err: error, url: request.url }, 'http request failed');
      if (!response.headersSent) sendText(response, 500, 'internal error');
      else response.destroy();
    });
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  options: HttpOptions,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return sendText(response, 405, 'method not allowed');
  }
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/healthz') {
    response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    response.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  const callLink = CALL_LINK_PATH.exec(path);
  if (callLink) return openCallLink(response, callLink[1]!);
  const file = await findStaticFile(options.webRoot, path);
  if (!file) return sendText(response, 404, 'not found');
  response.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.size,
    'Cache-Control': 'no-cache',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(file.path).on('error', reject).on('end', resolve).pipe(response);
  });
}

const CALL_LINK_PATH = /^\/call\/([^/]*)$/;

/**
 * A call link (docs/protocol.md "Call links") opens the web client with the token in the
 * fragment, which the client reads and removes: the page's own files load from `/` as always,
 * and the token is not sent again with any later request.
 */
function openCallLink(response: ServerResponse, rawToken: string): void {
  const token = CallLinkToken.safeParse(rawToken);
  if (!token.success) return sendText(response, 404, 'not a call link');
  response.writeHead(303, { Location: `/#call-link/${token.data}`, 'Cache-Control': 'no-store' });
  response.end();
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}
