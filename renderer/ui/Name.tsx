import { withoutBidiControls } from '../../protocol';

/**
 * A name someone chose (a display name, a username, a device name), as the UI shows it: isolated
 * from the text around it (`<bdi>`, so a right-to-left name cannot reorder the app's own sentence),
 * on one line cut with an ellipsis when too long, the whole name on hover. `inline` is for a name
 * inside a sentence; otherwise it fills the line it is on.
 */
export function Name(props: { text: string; inline?: boolean; class?: string; testId?: string }) {
  const shown = withoutBidiControls(props.text);
  const classes = ['name', props.inline ? 'name--inline' : '', props.class ?? ''];
  return (
    <bdi class={classes.filter(Boolean).join(' ')} title={shown} data-testid={props.testId}>
      {shown}
    </bdi>
  );
}
