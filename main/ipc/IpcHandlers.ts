import type * as z from 'zod';
import {
  incomingChannels,
  type IncomingArgs,
  type IncomingCall,
  type IncomingChannel,
  type IncomingResult,
} from '../../protocol/incomingIpc';
import {
  ipcChannels,
  type CallKeyShareInput,
  type CallStateReport,
  type ContactPin,
  type DesktopConfig,
  type DesktopSettings,
  type IpcArgs,
  type IpcChannel,
  type IpcResult,
  type LinkCertificateInput,
  type MediaAccessStatus,
  type MediaInput,
  type MemberKeyShareInput,
  type ShortcutStatus,
  type StoredAccount,
} from '../../protocol/ipc';
import {
  pickerChannels,
  type PickerArgs,
  type PickerChannel,
  type PickerResult,
  type ScreenSource,
} from '../../protocol/pickerIpc';
import { LinkCertificateRefusedError } from '../linking/LinkCertifier';
import {
  incomingSenderRefusal,
  pickerSenderRefusal,
  senderRefusal,
  type IpcSender,
} from './senderPolicy';

/** The slice of `ipcMain` main uses; the Electron adapter maps events to `IpcSender`. */
export interface IpcMainPort {
  handle(
    channel: IpcChannel | IncomingChannel | PickerChannel,
    listener: (sender: IpcSender, args: unknown[]) => Promise<unknown>,
  ): void;
}

/** Which web contents may call which surface; null while that window does not exist. */
export interface IpcSenderIds {
  app(): number | null;
  incoming(): number | null;
  picker(): number | null;
}

/** What the handlers act on. The private key stays behind `identity`: only signatures leave. */
export interface IpcServices {
  config(): DesktopConfig;
  account: {
    read(): Promise<StoredAccount | null>;
    write(account: StoredAccount): Promise<void>;
    clear(): Promise<void>;
  };
  /** The user's answer, from a native dialog main shows, to removing the account here. */
  accountRemoval: { confirm(account: StoredAccount | null): Promise<boolean> };
  identity: {
    publicKey(): Promise<string | null>;
    create(): Promise<string>;
    signRegisterChallenge(input: { nonce: string; username: string }): Promise<string>;
    signLoginChallenge(input: {
      nonce: string;
      username: string;
      deviceId: string;
    }): Promise<string>;
    signResumeChallenge(input: { nonce: string; sessionId: string }): Promise<string>;
    signCallKeyShare(input: CallKeyShareInput & { signedAt: number }): Promise<string>;
    signMemberKeyShare(input: MemberKeyShareInput & { signedAt: number }): Promise<string>;
    signLinkRequest(input: { nonce: string }): Promise<string>;
    destroy(): Promise<void>;
  };
  /** Signs link certificates only after the user agreed in main's dialog, once per code. */
  linkCertificates: { certify(input: LinkCertificateInput): Promise<string> };
  pins: {
    read(username: string): Promise<ContactPin[]>;
    put(username: string, pin: ContactPin): Promise<void>;
    clearAll(): Promise<void>;
  };
  /** Main's own clock (ms since epoch): the time it signs into key shares. */
  now(): number;
  /** How many call and member key shares main signs, together; see CallKeySigningLimit. */
  callKeySigning: { take(now: number): number | null };
  callState: { report(report: CallStateReport): void };
  settings: {
    get(): DesktopSettings;
    set(settings: DesktopSettings): Promise<DesktopSettings>;
    shortcutStatus(): ShortcutStatus[];
  };
  /** The OS's camera and microphone settings (macOS asks the user once). */
  mediaAccess: { request(input: MediaInput): Promise<MediaAccessStatus> };
  screenShare: {
    sources(): Promise<ScreenSource[]>;
    choose(choice: { sourceId: string | null; audio: boolean }): void;
  };
  incoming: {
    current(): IncomingCall | null;
    accept(choice: { callId: string; media: 'audio' | 'video' }): void;
    decline(choice: { callId: string }): void;
  };
}

export class IpcRefusedError extends Error {
  constructor(channel: string, reason: string) {
    super(`Parley IPC "${channel}" refused: ${reason}`);
    this.name = 'IpcRefusedError';
  }
}

type Handlers = { [C in IpcChannel]: (...args: IpcArgs<C>) => Promise<IpcResult<C>> };
type IncomingHandlers = {
  [C in IncomingChannel]: (...args: IncomingArgs<C>) => Promise<IncomingResult<C>>;
};
type PickerHandlers = {
  [C in PickerChannel]: (...args: PickerArgs<C>) => Promise<PickerResult<C>>;
};

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

  /**
   * Checks a key share to sign (call or member share: one rate for both) and gives the time to
   * sign into it. The share must name this device, and the time is main's, never the page's: a
   * share is good for minutes from when it is made.
   */
  async function keyShareSigningTime(
    channel: 'identity:sign-call-key' | 'identity:sign-member-key',
    input: { username: string; deviceId: string },
  ): Promise<number> {
    const account = await requireAccount(channel);
    if (input.username !== account.username || input.deviceId !== account.deviceId) {
      throw new IpcRefusedError(
        channel,
        "the key share names another account or device than this device's",
      );
    }
    const signedAt = services.now();
    const retryAfterMs = services.callKeySigning.take(signedAt);
    if (retryAfterMs !== null) {
      throw new IpcRefusedError(
        channel,
        `too many call key shares signed; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
      );
    }
    return signedAt;
  }

  // Account changes run one after another, so a check and the write it allows see one state.
  let accountChange: Promise<unknown> = Promise.resolve();
  function oneAccountChangeAtATime<T>(change: () => Promise<T>): Promise<T> {
    const next = accountChange.then(change);
    accountChange = next.catch(() => undefined);
    return next;
  }
  let removalDialogOpen = false;

  return {
    'config:get': async () => services.config(),
    'account:get': () => services.account.read(),
    // Once set, the account names this device for good (main signs only as it): the renderer
    // may change the display name, never the username or device id.
    'account:set': (account) =>
      oneAccountChangeAtATime(async () => {
        const stored = await services.account.read();
        if (
          stored &&
          (stored.username !== account.username || stored.deviceId !== account.deviceId)
        ) {
          throw new IpcRefusedError(
            'account:set',
            `this device is already set up as @${stored.username}; only its display name can change (remove the account first)`,
          );
        }
        await services.account.write(account);
        return null;
      }),
    // Removing the account from this device forgets its secrets and its contact pins too, and
    // only when the user says so in main's own dialog: one dialog at a time.
    'account:clear': async () => {
      if (removalDialogOpen) {
        throw new IpcRefusedError(
          'account:clear',
          'the user is already being asked about removing the account',
        );
      }
      removalDialogOpen = true;
      try {
        return await oneAccountChangeAtATime(async () => {
          const confirmed = await services.accountRemoval.confirm(await services.account.read());
          if (!confirmed) {
            throw new IpcRefusedError(
              'account:clear',
              'the user chose to keep the account on this device',
            );
          }
          await services.identity.destroy();
          await services.pins.clearAll();
          await services.account.clear();
          return null;
        });
      } finally {
        removalDialogOpen = false;
      }
    },
    'identity:public-key': () => services.identity.publicKey(),
    'identity:create': () => services.identity.create(),
    'identity:sign-register': (input) => services.identity.signRegisterChallenge(input),
    'identity:sign-login': async (input) => {
      const account = await requireAccount('identity:sign-login');
      if (input.username !== account.username || input.deviceId !== account.deviceId) {
        throw new IpcRefusedError(
          'identity:sign-login',
          "the login names another account or device than this device's",
        );
      }
      return services.identity.signLoginChallenge(input);
    },
    // A session id is no credential: what main signs proves the key for one nonce and server.
    'identity:sign-resume': async (input) => {
      await requireAccount('identity:sign-resume');
      return services.identity.signResumeChallenge(input);
    },
    'identity:sign-call-key': async (input) => {
      const signedAt = await keyShareSigningTime('identity:sign-call-key', input);
      const signature = await services.identity.signCallKeyShare({ ...input, signedAt });
      return { signature, signedAt };
    },
    'identity:sign-member-key': async (input) => {
      const signedAt = await keyShareSigningTime('identity:sign-member-key', input);
      const signature = await services.identity.signMemberKeyShare({ ...input, signedAt });
      return { signature, signedAt };
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
      return services.linkCertificates.certify(input).catch((error: unknown) => {
        if (!(error instanceof LinkCertificateRefusedError)) throw error;
        throw new IpcRefusedError('identity:sign-link-certificate', error.reason);
      });
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
    'call-state:report': async (report) => {
      services.callState.report(report);
      return null;
    },
    'settings:get': async () => services.settings.get(),
    'settings:set': (settings) => services.settings.set(settings),
    'shortcuts:status': async () => services.settings.shortcutStatus(),
    'media-access:request': (input) => services.mediaAccess.request(input),
  };
}

/** The screen picker window lists the pending request's sources and answers it. */
function pickerHandlersFor(services: IpcServices): PickerHandlers {
  return {
    'picker:get-sources': () => services.screenShare.sources(),
    'picker:choose': async (choice) => {
      services.screenShare.choose(choice);
      return null;
    },
  };
}

/** The incoming-call window answers only the call that is ringing; main checks that too. */
function incomingHandlersFor(services: IpcServices): IncomingHandlers {
  return {
    'incoming:get-call': async () => services.incoming.current(),
    'incoming:accept': async (choice) => {
      services.incoming.accept(choice);
      return null;
    },
    'incoming:decline': async (choice) => {
      services.incoming.decline(choice);
      return null;
    },
  };
}

interface ChannelSchema {
  args: z.ZodType;
  result: z.ZodType;
}

/**
 * Registers every channel of protocol/ipc.ts (for the main window), protocol/incomingIpc.ts (for
 * the incoming-call window) and protocol/pickerIpc.ts (for the screen picker window), and only
 * those. Each call is checked in order: sender, then
 * arguments against the channel's schema; a refused call throws before any service is touched.
 * Results are checked against the result schema before they leave main.
 */
export function registerIpcHandlers(
  ipc: IpcMainPort,
  services: IpcServices,
  senders: IpcSenderIds,
): void {
  const handlers = handlersFor(services);
  for (const channel of Object.keys(ipcChannels) as IpcChannel[]) {
    register(ipc, channel, ipcChannels[channel], handlers[channel], (sender) =>
      senderRefusal(sender, senders.app()),
    );
  }
  const incomingHandlers = incomingHandlersFor(services);
  for (const channel of Object.keys(incomingChannels) as IncomingChannel[]) {
    register(ipc, channel, incomingChannels[channel], incomingHandlers[channel], (sender) =>
      incomingSenderRefusal(sender, senders.incoming()),
    );
  }
  const pickerHandlers = pickerHandlersFor(services);
  for (const channel of Object.keys(pickerChannels) as PickerChannel[]) {
    register(ipc, channel, pickerChannels[channel], pickerHandlers[channel], (sender) =>
      pickerSenderRefusal(sender, senders.picker()),
    );
  }
}

function register(
  ipc: IpcMainPort,
  channel: IpcChannel | IncomingChannel | PickerChannel,
  schema: ChannelSchema,
  handlerOfChannel: unknown,
  refusalOf: (sender: IpcSender) => string | null,
): void {
  const handler = handlerOfChannel as (...args: unknown[]) => Promise<unknown>;
  ipc.handle(channel, async (sender, args) => {
    const refusal = refusalOf(sender);
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
