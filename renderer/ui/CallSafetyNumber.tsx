import type { AppModel } from '../state/AppModel';
import { SafetyNumberView } from './SafetyNumberView';

/** The safety number with the peer of the current call, to compare while talking. */
export function CallSafetyNumber({ app }: { app: AppModel }) {
  const view = app.calls.view.value;
  if (view.kind === 'idle') return null;
  const identityKey = app.identityGuard.peerRootKey(view.callId, view.peer.username);
  if (!identityKey) return null;
  const digits = app.safetyNumbers.numberWith({ username: view.peer.username, identityKey });
  return (
    <div class="call-safety">
      <span class="call-safety__label">Safety number</span>
      <SafetyNumberView digits={digits} compact />
    </div>
  );
}
