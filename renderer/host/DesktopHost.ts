import {
  ipcChannels,
  type CallKeyShareInput,
  type SignedCallKeyShare,
  type ContactPin,
  type DesktopConfig,
  type LinkCertificateInput,
  type MemberKeyShareInput,
  type ParleyBridge,
  type StoredAccount,
} from '../../protocol';
import { HostAction } from '../../protocol/ipc';
import type { DesktopCapabilities, Host } from './Host';

/**
 * The host inside the Electron window: every call goes through `window.parley`, and every result
 * is checked against the IPC result schema, since main is another process.
 */
export class DesktopHost implements Host {
  readonly kind = 'desktop';
  readonly deviceName: string;
  readonly desktop: DesktopCapabilities;

  private constructor(
    private readonly bridge: ParleyBridge,
    private readonly config: DesktopConfig,
  ) {
    this.deviceName = `Parley desktop (${config.platform})`.slice(0, 64);
    this.desktop = desktopCapabilities(bridge, config.platform);
  }

  static async create(bridge: ParleyBridge): Promise<DesktopHost> {
    const config = ipcChannels['config:get'].result.parse(await bridge.getConfig());
    return new DesktopHost(bridge, config);
  }

  async serverUrl(): Promise<string> {
    return this.config.serverUrl;
  }

  async getAccount(): Promise<StoredAccount | null> {
    return ipcChannels['account:get'].result.parse(await this.bridge.getAccount());
  }

  async setAccount(account: StoredAccount): Promise<void> {
    ipcChannels['account:set'].result.parse(await this.bridge.setAccount(account));
  }

  async clearAccount(): Promise<void> {
    ipcChannels['account:clear'].result.parse(await this.bridge.clearAccount());
  }

  async getIdentityPublicKey(): Promise<string | null> {
    return ipcChannels['identity:public-key'].result.parse(
      await this.bridge.getIdentityPublicKey(),
    );
  }

  async createIdentity(): Promise<string> {
    return ipcChannels['identity:create'].result.parse(await this.bridge.createIdentity());
  }

  async signRegisterChallenge(nonce: string, username: string): Promise<string> {
    return ipcChannels['identity:sign-register'].result.parse(
      await this.bridge.signRegisterChallenge({ nonce, username }),
    );
  }

  async signLoginChallenge(nonce: string, username: string, deviceId: string): Promise<string> {
    return ipcChannels['identity:sign-login'].result.parse(
      await this.bridge.signLoginChallenge({ nonce, username, deviceId }),
    );
  }

  async signResumeChallenge(nonce: string, sessionId: string): Promise<string> {
    return ipcChannels['identity:sign-resume'].result.parse(
      await this.bridge.signResumeChallenge({ nonce, sessionId }),
    );
  }

  async signCallKeyShare(input: CallKeyShareInput): Promise<SignedCallKeyShare> {
    return ipcChannels['identity:sign-call-key'].result.parse(
      await this.bridge.signCallKeyShare(input),
    );
  }

  async signMemberKeyShare(input: MemberKeyShareInput): Promise<SignedCallKeyShare> {
    return ipcChannels['identity:sign-member-key'].result.parse(
      await this.bridge.signMemberKeyShare(input),
    );
  }

  async signLinkRequest(nonce: string): Promise<string> {
    return ipcChannels['identity:sign-link-request'].result.parse(
      await this.bridge.signLinkRequest({ nonce }),
    );
  }

  async signLinkCertificate(input: LinkCertificateInput): Promise<string> {
    return ipcChannels['identity:sign-link-certificate'].result.parse(
      await this.bridge.signLinkCertificate(input),
    );
  }

  async getPins(): Promise<ContactPin[]> {
    return ipcChannels['pins:get'].result.parse(await this.bridge.getPins());
  }

  async putPin(pin: ContactPin): Promise<void> {
    ipcChannels['pins:put'].result.parse(await this.bridge.putPin(pin));
  }
}

/** The desktop-only methods; results are checked like every other IPC result. */
function desktopCapabilities(bridge: ParleyBridge, platform: string): DesktopCapabilities {
  return {
    platform,
    async requestMediaAccess(input) {
      return ipcChannels['media-access:request'].result.parse(
        await bridge.requestMediaAccess(input),
      );
    },
    async reportCallState(report) {
      ipcChannels['call-state:report'].result.parse(await bridge.reportCallState(report));
    },
    async getSettings() {
      return ipcChannels['settings:get'].result.parse(await bridge.getSettings());
    },
    async setSettings(settings) {
      return ipcChannels['settings:set'].result.parse(await bridge.setSettings(settings));
    },
    async getShortcutStatus() {
      return ipcChannels['shortcuts:status'].result.parse(await bridge.getShortcutStatus());
    },
    onHostAction(listener) {
      return bridge.onHostAction((action) => {
        // Main is another process: an action that does not parse is dropped, not half-run.
        const parsed = HostAction.safeParse(action);
        if (parsed.success) listener(parsed.data);
        else console.warn('parley: malformed host action ignored');
      });
    },
  };
}
