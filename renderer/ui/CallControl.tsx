import { Icon, type IconName } from './icons';

/** A round call button with its caption beneath, as on the ringing screens. */
export function CallControl(props: {
  tone: 'accept' | 'danger';
  icon: IconName;
  /** The button's accessible name. */
  label: string;
  caption: string;
  testId: string;
  onClick(): void;
}) {
  return (
    <div class="call-controls__item">
      <button
        class={`round-button round-button--${props.tone}`}
        data-testid={props.testId}
        aria-label={props.label}
        onClick={props.onClick}
      >
        <Icon name={props.icon} />
      </button>
      <span>{props.caption}</span>
    </div>
  );
}
