import type { ConnectionState } from '../signaling/SignalingClient';
import { testIds } from './testIds';

const labels: Record<ConnectionState, string> = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline, reconnecting…',
};

export function ConnectionBanner({ state }: { state: ConnectionState }) {
  return (
    <div
      class={`connection connection--${state}`}
      role="status"
      data-testid={testIds.connectionBanner}
      data-state={state}
    >
      <span class="dot" />
      {labels[state]}
    </div>
  );
}
