import {
  HostAction,
  hostActionChannel,
  ipcChannels,
  type IpcChannel,
  type ParleyBridge,
} from '../protocol/ipc';

/** `ipcRenderer.invoke`, as the bridge needs it. */
export type InvokePort = (channel: IpcChannel, ...args: unknown[]) => Promise<unknown>;

/**
 * `ipcRenderer.on(hostActionChannel, ...)` as the bridge needs it: the listener gets each raw
 * message; the returned function removes the subscription.
 */
export type HostActionSubscribePort = (
  channel: typeof hostActionChannel,
  listener: (payload: unknown) => void,
) => () => void;

/** Which channel each invoking `window.parley` method calls: the whole IPC surface, one line each. */
export const bridgeChannels = {
  getConfig: 'config:get',
  getAccount: 'account:get',
  setAccount: 'account:set',
  clearAccount: 'account:clear',
  getIdentityPublicKey: 'identity:public-key',
  createIdentity: 'identity:create',
  signRegisterChallenge: 'identity:sign-register',
  signLoginChallenge: 'identity:sign-login',
  signResumeChallenge: 'identity:sign-resume',
  signCallKeyShare: 'identity:sign-call-key',
  signMemberKeyShare: 'identity:sign-member-key',
  signLinkRequest: 'identity:sign-link-request',
  signLinkCertificate: 'identity:sign-link-certificate',
  getPins: 'pins:get',
  putPin: 'pins:put',
  reportCallState: 'call-state:report',
  getSettings: 'settings:get',
  setSettings: 'settings:set',
  getShortcutStatus: 'shortcuts:status',
  requestMediaAccess: 'media-access:request',
} as const satisfies Record<Exclude<keyof ParleyBridge, 'onHostAction'>, IpcChannel>;

type ParseOutcome = {
  success: boolean;
  data?: unknown;
  error?: { issues: readonly { message: string }[] };
};

/** Checks arguments against a channel's schema, so bad calls fail here with a clear error. */
export function validatingInvoke<C extends string>(
  surface: string,
  schemas: Record<C, { args: { safeParse(value: unknown): ParseOutcome } }>,
  invoke: (channel: C, ...args: unknown[]) => Promise<unknown>,
) {
  return (channel: C) =>
    (...args: unknown[]): Promise<unknown> => {
      const parsed = schemas[channel].args.safeParse(args);
      if (!parsed.success) {
        const detail = (parsed.error?.issues ?? [])
          .slice(0, 3)
          .map((issue) => issue.message.slice(0, 200))
          .join('; ');
        return Promise.reject(new Error(`${surface}: invalid arguments for ${channel}: ${detail}`));
      }
      return invoke(channel, ...(parsed.data as unknown[]));
    };
}

/**
 * Builds `window.parley`. Every method checks its arguments against the channel's schema before
 * anything is sent (main checks again); every host action from main is checked against the
 * HostAction schema before it reaches the page's listener.
 */
export function createParleyBridge(
  invoke: InvokePort,
  subscribe: HostActionSubscribePort,
): ParleyBridge {
  const call = validatingInvoke('window.parley', ipcChannels, invoke);
  const methods = Object.fromEntries(
    Object.entries(bridgeChannels).map(([method, channel]) => [method, call(channel)]),
  );
  const onHostAction = (listener: (action: HostAction) => void): (() => void) => {
    if (typeof listener !== 'function') {
      throw new TypeError('window.parley: onHostAction needs a listener function');
    }
    let active = true;
    const unsubscribe = subscribe(hostActionChannel, (payload) => {
      const action = HostAction.safeParse(payload);
      if (active && action.success) listener(action.data);
    });
    return () => {
      if (!active) return;
      active = false;
      unsubscribe();
    };
  };
  return Object.freeze({ ...methods, onHostAction }) as unknown as ParleyBridge;
}
