import { pickerChannels, type ParleyPickerBridge, type PickerChannel } from '../protocol/pickerIpc';
import { validatingInvoke } from './bridge';

export type PickerInvokePort = (channel: PickerChannel, ...args: unknown[]) => Promise<unknown>;

export const pickerBridgeChannels = {
  getSources: 'picker:get-sources',
  choose: 'picker:choose',
} as const satisfies Record<keyof ParleyPickerBridge, PickerChannel>;

/** Builds `window.parleyPicker`: list the pending request's sources, or answer it. */
export function createPickerBridge(invoke: PickerInvokePort): ParleyPickerBridge {
  const call = validatingInvoke('window.parleyPicker', pickerChannels, invoke);
  return Object.freeze(
    Object.fromEntries(
      Object.entries(pickerBridgeChannels).map(([method, channel]) => [method, call(channel)]),
    ),
  ) as unknown as ParleyPickerBridge;
}
