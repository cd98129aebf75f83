import {
  incomingChannels,
  type IncomingChannel,
  type ParleyIncomingBridge,
} from '../protocol/incomingIpc';
import { validatingInvoke } from './bridge';

export type IncomingInvokePort = (channel: IncomingChannel, ...args: unknown[]) => Promise<unknown>;

export const incomingBridgeChannels = {
  getCall: 'incoming:get-call',
  accept: 'incoming:accept',
  decline: 'incoming:decline',
} as const satisfies Record<keyof ParleyIncomingBridge, IncomingChannel>;

/**
 * Builds `window.parleyIncoming`: read the ringing call, accept it, or decline it. Main's replies
 * are checked here too, so the page (which carries no schema library, to stay small) only ever
 * sees a well-formed call.
 */
export function createIncomingBridge(invoke: IncomingInvokePort): ParleyIncomingBridge {
  const checkedInvoke: IncomingInvokePort = async (channel, ...args) => {
    const reply = incomingChannels[channel].result.safeParse(await invoke(channel, ...args));
    if (!reply.success) {
      throw new Error(`window.parleyIncoming: main's reply on ${channel} is malformed`);
    }
    return reply.data;
  };
  const call = validatingInvoke('window.parleyIncoming', incomingChannels, checkedInvoke);
  return Object.freeze(
    Object.fromEntries(
      Object.entries(incomingBridgeChannels).map(([method, channel]) => [method, call(channel)]),
    ),
  ) as unknown as ParleyIncomingBridge;
}
