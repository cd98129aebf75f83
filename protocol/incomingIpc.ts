import * as z from 'zod';
import './zodMessages';
import { RingingGroup } from './ipc';
import { CallId, CallMedia, StoredDisplayName, Username } from './primitives';

/**
 * The incoming-call window's IPC surface (`window.parleyIncoming`): a second, much smaller window
 * kind with its own preload. It can read the ringing call and answer it, nothing else; main checks
 * that the call it answers is still the one ringing.
 */
export const IncomingCall = z.strictObject({
  callId: CallId,
  peer: z.strictObject({ username: Username, displayName: StoredDisplayName }),
  media: CallMedia,
  /** A group call: who is in it now. Joining it is accepting; null for a 1:1 call. */
  group: RingingGroup.nullable(),
});
export type IncomingCall = z.infer<typeof IncomingCall>;

const none = z.tuple([]);

export const incomingChannels = {
  'incoming:get-call': { args: none, result: IncomingCall.nullable() },
  'incoming:accept': {
    args: z.tuple([z.strictObject({ callId: CallId, media: CallMedia })]),
    result: z.null(),
  },
  'incoming:decline': { args: z.tuple([z.strictObject({ callId: CallId })]), result: z.null() },
} as const;
export type IncomingChannel = keyof typeof incomingChannels;
export type IncomingArgs<C extends IncomingChannel> = z.infer<(typeof incomingChannels)[C]['args']>;
export type IncomingResult<C extends IncomingChannel> = z.infer<
  (typeof incomingChannels)[C]['result']
>;

/** The object the incoming-call preload exposes as `window.parleyIncoming`. */
export interface ParleyIncomingBridge {
  getCall(): Promise<IncomingCall | null>;
  accept(choice: { callId: string; media: CallMedia }): Promise<null>;
  decline(choice: { callId: string }): Promise<null>;
}
