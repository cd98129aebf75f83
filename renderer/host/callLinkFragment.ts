import { CallLinkToken } from '../../protocol';

/**
 * The call link a web page was opened with: the server answers `/call/<token>` by sending the
 * browser to `/#call-link/<token>` (server/http/handleHttpRequest.ts), so that the page's files
 * load from `/` and the token never travels in a request again. Anything else in the fragment is
 * no call link.
 */
export function callLinkFromFragment(hash: string): string | null {
  const match = /^#call-link\/([^/]*)$/.exec(hash);
  if (!match) return null;
  const token = CallLinkToken.safeParse(match[1]);
  return token.success ? token.data : null;
}
