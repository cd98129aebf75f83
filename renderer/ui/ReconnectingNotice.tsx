import { Icon } from './icons';

/** The alert while a call reconnects; the test id says which link it waits for. */
export function ReconnectingNotice({ testId }: { testId: string }) {
  return (
    <div class="call-notice call-notice--alert" role="status" data-testid={testId}>
      <Icon name="warning" />
      <span class="call-notice__text">Reconnecting…</span>
    </div>
  );
}
