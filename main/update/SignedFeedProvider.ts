import type { CancellationToken, CustomPublishOptions } from 'builder-util-runtime';
import type { OutgoingHttpHeaders } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { AppUpdater } from 'electron-updater';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import type { ProviderRuntimeOptions } from 'electron-updater/out/providers/Provider';
import {
  FEED_SIGNATURE_SUFFIX,
  FeedRefusedError,
  feedPublicKey,
  verifyFeedSignature,
} from './feedSignature';

/** electron-updater's "custom" provider configuration, naming this provider. */
export interface SignedFeedOptions extends CustomPublishOptions {
  readonly provider: 'custom';
  /** The folder the feed is served from (latest*.yml, their .sig files, the installers). */
  url: string;
  /** The Ed25519 public key (PEM) the feed files must be signed with. */
  publicKey: string;
}

export function signedFeedOptions(url: string, publicKey: string): SignedFeedOptions {
  return { provider: 'custom', updateProvider: SignedFeedProvider, url, publicKey };
}

function requireString(options: CustomPublishOptions, key: 'url' | 'publicKey'): string {
  const value: unknown = options[key as keyof CustomPublishOptions];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`the signed update feed needs a ${key}`);
  }
  return value;
}

/**
 * electron-updater's generic provider, except that the feed file (latest.yml,
 * latest-mac.yml, latest-linux.yml) is only used once its detached Ed25519 signature verifies
 * under the pinned key. The sha512 that electron-updater then checks every download against
 * comes from that signed file, so a feed host (or anyone on the way) can no longer choose the
 * installer: on Linux (AppImage) that sha512 is the only check there is.
 */
export class SignedFeedProvider extends GenericProvider {
  private readonly publicKey: KeyObject;

  constructor(
    options: CustomPublishOptions,
    updater: AppUpdater,
    runtimeOptions: ProviderRuntimeOptions,
  ) {
    super({ provider: 'generic', url: requireString(options, 'url') }, updater, runtimeOptions);
    this.publicKey = feedPublicKey(requireString(options, 'publicKey'));
  }

  /** GenericProvider fetches only the feed file through here; nothing unsigned gets through. */
  protected override async httpRequest(
    url: URL,
    headers?: OutgoingHttpHeaders | null,
    cancellationToken?: CancellationToken,
  ): Promise<string | null> {
    const text = await super.httpRequest(url, headers, cancellationToken);
    const fileName = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
    const signatureUrl = new URL(url.href);
    signatureUrl.pathname += FEED_SIGNATURE_SUFFIX;
    let signature: string | null;
    try {
      signature = await super.httpRequest(signatureUrl, headers, cancellationToken);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new FeedRefusedError(
        `${fileName}${FEED_SIGNATURE_SUFFIX} could not be fetched: ${reason}`,
      );
    }
    // The bytes as served: the feed file is UTF-8 text, which decodes and encodes back exactly.
    verifyFeedSignature(fileName, Buffer.from(text ?? '', 'utf8'), signature ?? '', this.publicKey);
    return text;
  }
}
