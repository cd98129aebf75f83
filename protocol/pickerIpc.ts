import * as z from 'zod';
import './zodMessages';

/**
 * The screen picker window's IPC surface (`window.parleyPicker`): a window main owns and opens
 * for one screen-share request. It lists the sources of that request once and sends the user's
 * one choice (null: cancelled); the main window has neither channel.
 */
/** One screen or window, as the OS names it (any text) with a thumbnail. */
export const ScreenSource = z.strictObject({
  id: z.string().min(1).max(128),
  name: z.string().max(256),
  kind: z.enum(['screen', 'window']),
  thumbnail: z.string().max(2_000_000), // data:image/png;base64,...
});
export type ScreenSource = z.infer<typeof ScreenSource>;

export const PickerChoice = z.strictObject({
  sourceId: z.string().min(1).max(128).nullable(),
  audio: z.boolean(),
});
export type PickerChoice = z.infer<typeof PickerChoice>;

const none = z.tuple([]);

export const pickerChannels = {
  'picker:get-sources': { args: none, result: z.array(ScreenSource).max(100) },
  'picker:choose': { args: z.tuple([PickerChoice]), result: z.null() },
} as const;
export type PickerChannel = keyof typeof pickerChannels;
export type PickerArgs<C extends PickerChannel> = z.infer<(typeof pickerChannels)[C]['args']>;
export type PickerResult<C extends PickerChannel> = z.infer<(typeof pickerChannels)[C]['result']>;

/** The object the picker preload exposes as `window.parleyPicker`. */
export interface ParleyPickerBridge {
  getSources(): Promise<ScreenSource[]>;
  choose(choice: PickerChoice): Promise<null>;
}
