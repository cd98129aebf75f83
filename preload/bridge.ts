import { ipcChannels, type IpcChannel, type ParleyBridge } from '../protocol/ipc';

/** `ipcRenderer.invoke`, as the bridge needs it. */
export type InvokePort = (channel: IpcChannel, ...args: unknown[]) => Promise<unknown>;

/** Which channel each `window.parley` method calls: the whole IPC surface, one line each. */
export const bridgeChannels = {
  getConfig: 'config:get',
  getAccount: 'account:get',
  setAccount: 'account:set',
  clearAccount: 'account:clear',
  getIdentityPublicKey: 'identity:public-key',
  createIdentity: 'identity:create',
  signRegisterChallenge: 'identity:sign-register',
  signLoginChallenge: 'identity:sign-login',
  signCallKeyShare: 'identity:sign-call-key',
  signLinkRequest: 'identity:sign-link-request',
  signLinkCertificate: 'identity:sign-link-certificate',
  getPins: 'pins:get',
  putPin: 'pins:put',
  getSessionToken: 'session:get-token',
  setSessionToken: 'session:set-token',
} as const satisfies Record<keyof ParleyBridge, IpcChannel>;

/**
 * Builds `window.parley`. Every method checks its arguments against the channel's schema before
 * anything is sent, so bad calls fail in the renderer with a clear error (main checks again).
 */
export function createParleyBridge(invoke: InvokePort): ParleyBridge {
  const call =
    (channel: IpcChannel) =>
    (...args: unknown[]): Promise<unknown> => {
      const parsed = ipcChannels[channel].args.safeParse(args);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .slice(0, 3)
          .map((issue) => issue.message.slice(0, 200))
          .join('; ');
        return Promise.reject(
          new Error(`window.parley: invalid arguments for ${channel}: ${detail}`),
        );
      }
      return invoke(channel, ...(parsed.data as unknown[]));
    };
  const bridge = Object.fromEntries(
    Object.entries(bridgeChannels).map(([method, channel]) => [method, call(channel)]),
  );
  return Object.freeze(bridge) as unknown as ParleyBridge;
}
