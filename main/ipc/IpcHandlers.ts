import {
  ipcChannels,
  type CallKeyShareInput,
  type ContactPin,
  type DesktopConfig,
  type IpcArgs,
  type IpcChannel,
  type IpcResult,
  type StoredAccount,
} from '../../protocol/ipc';
import { senderRefusal, type IpcSender } from './senderPolicy';

/** The slice of `ipcMain` main uses; the Electron adapter maps events to `IpcSender`. */
export interface IpcMainPort {
  handle(
    channel: IpcChannel,
    listener: (sender: IpcSender, args: unknown[]) => Promise<unknown>,
  ): void;
}

/** What the handlers act on. The private key stays behind `identity`: only signatures leave. */
export interface IpcServices {
  config(): DesktopConfig;
  account: {
    read(): Promise<StoredAccount | null>;
    write(account: StoredAccount): Promise<void>;
    clear(): Promise<void>;
  };
  identity: {
    publicKey(): Promise<string | null>;
    create(): Promise<string>;
    signRegisterChallenge(input: { nonce: string; username: string }): Promise<string>;
    signLoginChallenge(input: {
      nonce: string;
      username: string;
      deviceId: string;
    }): Promise<string>;
    signCallKeyShare(input: CallKeyShareInput): Promise<string>;
    signLinkRequest(input: { nonce: string }): Promise<string>;
    signLinkCertificate(input: { username: string; identityKey: string }): Promise<string>;
    destroy(): Promise<void>;
  };
  pins: {
    read(username: string): Promise<ContactPin[]>;
    put(username: string, pin: ContactPin): Promise<void>;
    clearAll(): Promise<void>;
  };
  session: {
    getSessionToken(): Promise<string | null>;
    setSessionToken(token: string): Promise<void>;
    deleteSessionToken(): Promise<boolean>;
  };
}

export class IpcRefusedError extends Error {
  constructor(channel: string, reason: string) {
    super(`Parley IPC "${channel}" refused: ${reason}`);
    this.name = 'IpcRefusedError';
  }
}

type Handlers = { [C in IpcChannel]: (...args: IpcArgs<C>) => Promise<IpcResult<C>> };

function handlersFor(services: IpcServices): Handlers {
  /**
   * The stored account, which the renderer's claims are checked against: this device signs only
   * as itself, so a compromised page cannot get a signature naming another user or device.
   */
  async function requireAccount(channel: IpcChannel): Promise<StoredAccount> {
    const account = await services.account.read();
    if (!account) throw new IpcRefusedError(channel, 'no account is stored on this device');
    return account;
  }

  return {
    'config:get': async () => services.config(),
    'account:get': () => services.account.read(),
    'account:set': async (account) => {
      await services.account.write(account);
      return null;
    },
    // Removing the account from this device forgets its secrets and its contact pins too.
    'account:clear': async () => {
      await services.session.deleteSessionToken();
      await services.identity.destroy();
      await services.pins.clearAll();
      await services.account.clear();
      return null;
    },
    'identity:public-key': () => services.identity.publicKey(),
    'identity:create': () => services.identity.create(),
    'identity:sign-register': (input) => services.identity.signRegisterChallenge(input),
    'identity:sign-login': (input) => services.identity.signLoginChallenge(input),
    'identity:sign-call-key': async (input) => {
      const account = await requireAccount('identity:sign-call-key');
      if (input.username !== account.username || input.deviceId !== account.deviceId) {
        throw new IpcRefusedError(
          'identity:sign-call-key',
          "the key share names another account or device than this device's",
        );
      }
      return services.identity.signCallKeyShare(input);
    },
    'identity:sign-link-request': (input) => services.identity.signLinkRequest(input),
    'identity:sign-link-certificate': async (input) => {
      const account = await requireAccount('identity:sign-link-certificate');
      if (input.username !== account.username) {
        throw new IpcRefusedError(
          'identity:sign-link-certificate',
          "the certificate names another account than this device's",
        );
      }
      return services.identity.signLinkCertificate(input);
    },
    // Before sign-in there are no pins (as in the web host); pinning needs an account.
    'pins:get': async () => {
      const account = await services.account.read();
      return account ? services.pins.read(account.username) : [];
    },
    'pins:put': async (pin) => {
      const account = await requireAccount('pins:put');
      await services.pins.put(account.username, pin);
      return null;
    },
    'session:get-token': () => services.session.getSessionToken(),
    'session:set-token': async (token) => {
      if (token === null) await services.session.deleteSessionToken();
      else await services.session.setSessionToken(token);
      return null;
    },
  };
}

/**
 * Registers every channel of protocol/ipc.ts, and only those. Each call is checked in order:
 * sender, then arguments against the channel's schema; a refused call throws before any service
 * is touched. Results are checked against the result schema before they leave main.
 */
export function registerIpcHandlers(
  ipc: IpcMainPort,
  services: IpcServices,
  appWebContentsId: () => number | null,
): void {
  const handlers = handlersFor(services);
  for (const channel of Object.keys(ipcChannels) as IpcChannel[]) {
    const schema = ipcChannels[channel];
    const handler = handlers[channel] as (...args: unknown[]) => Promise<unknown>;
    ipc.handle(channel, async (sender, args) => {
      const refusal = senderRefusal(sender, appWebContentsId());
      if (refusal) throw new IpcRefusedError(channel, refusal);
      const parsed = schema.args.safeParse(args);
      if (!parsed.success) {
        throw new IpcRefusedError(
          channel,
          `invalid arguments: ${describeIssues(parsed.error.issues)}`,
        );
      }
      const result = await handler(...(parsed.data as unknown[]));
      const checked = schema.result.safeParse(result);
      if (!checked.success)
        throw new Error(`Parley IPC "${channel}": main produced an invalid result`);
      return checked.data;
    });
  }
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.length
        ? `argument ${issue.path.map(String).join('.')}`
        : 'arguments';
      return `${where}: ${issue.message.slice(0, 200)}`;
    })
    .join('; ');
}
