import type { MediaRemedy } from '../media/mediaRemedy';
import { Icon } from './icons';
import { testIds } from './testIds';

/** Which input was refused or is missing, the steps that fix it here, and "Try again". */
export function MediaRemedyCard({
  remedy,
  onTryAgain,
}: {
  remedy: MediaRemedy;
  onTryAgain: () => void;
}) {
  return (
    <div
      class="call-notice call-notice--alert media-remedy"
      role="alert"
      data-testid={testIds.mediaRemedy}
      data-input={remedy.input}
      data-problem={remedy.problem}
    >
      <Icon name={remedy.input === 'camera' ? 'videoOff' : 'micOff'} />
      <div class="media-remedy__text">
        <strong>{remedy.title}</strong>
        <ol class="media-remedy__steps">
          {remedy.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      </div>
      <button
        class="button button--plain"
        data-testid={testIds.mediaRemedyTryAgain}
        onClick={onTryAgain}
      >
        Try again
      </button>
    </div>
  );
}
