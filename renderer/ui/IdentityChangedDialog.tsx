import type { CallIdentityGuard } from '../identity/CallIdentityGuard';
import { Icon } from './icons';
import { Name } from './Name';
import { testIds } from './testIds';

/** Before calling a contact whose root key changed: call anyway (trusting the new key) or not. */
export function IdentityChangedDialog({ guard }: { guard: CallIdentityGuard }) {
  const warning = guard.warning.value;
  if (!warning) return null;
  const name = <Name text={warning.displayName} inline />;
  return (
    <div class="dialog-backdrop">
      <div
        class="dialog"
        role="alertdialog"
        aria-labelledby="identity-changed-title"
        data-testid={testIds.identityChangedWarning}
      >
        <h2 id="identity-changed-title">
          <Icon name="warning" class="icon--warning" /> Safety number changed
        </h2>
        <p>
          {name}’s safety number has changed. This can mean {name} set Parley up again on a new
          device, or that someone is trying to listen in. Compare safety numbers with {name} after
          the call to be sure.
        </p>
        <div class="dialog__actions">
          <button
            class="button button--plain"
            data-testid={testIds.identityCancelButton}
            onClick={() => guard.cancel()}
          >
            Cancel
          </button>
          <button
            class="button button--primary"
            data-testid={testIds.identityContinueButton}
            onClick={() => void guard.continueCall()}
          >
            Call anyway
          </button>
        </div>
      </div>
    </div>
  );
}
