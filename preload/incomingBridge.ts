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

/** Builds `window.parleyIncoming`: read the ringing call, accept it, or decline it. */
export function createIncomingBridge(invoke: IncomingInvokePort): ParleyIncomingBridge {
  const call = validatingInvoke('window.parleyIncoming', incomingChannels, invoke);
  return Object.freeze(
    Object.fromEntries(
      Object.entries(incomingBridgeChannels).map(([method, channel]) => [method, call(channel)]),
    ),
  ) as unknown as ParleyIncomingBridge;
}
