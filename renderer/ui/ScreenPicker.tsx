import { useSignal } from '@preact/signals';
import type { ScreenShareModel } from '../media/ScreenShareModel';
import { testIds } from './testIds';

/** The desktop's own screen picker: screens and windows with thumbnails, plus shared audio. */
export function ScreenPicker({ share }: { share: ScreenShareModel }) {
  const sources = share.pickerSources.value;
  const audio = useSignal(false);
  if (!sources) return null;
  return (
    <div class="dialog-backdrop">
      <div
        class="card screen-picker"
        role="dialog"
        aria-label="Share your screen"
        data-testid={testIds.screenPicker}
      >
        <h2>Share your screen</h2>
        <div class="screen-picker__grid">
          {sources.map((source) => (
            <button
              key={source.id}
              class="screen-picker__option"
              data-testid={testIds.screenSourceOption(source.id)}
              data-kind={source.kind}
              onClick={() => share.pick({ sourceId: source.id, audio: audio.value })}
            >
              {source.thumbnail && <img src={source.thumbnail} alt="" />}
              <span>
                {source.kind === 'screen' ? 'Screen: ' : ''}
                {source.name}
              </span>
            </button>
          ))}
        </div>
        <label class="toggle">
          <input
            type="checkbox"
            checked={audio.value}
            onChange={(event) => (audio.value = event.currentTarget.checked)}
          />
          <span>Share system audio (where the system allows it)</span>
        </label>
        <button
          class="button"
          data-testid={testIds.screenPickerCancel}
          onClick={() => share.pick(null)}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
