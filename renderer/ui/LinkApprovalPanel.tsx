import { useSignal } from '@preact/signals';
import type { LinkApprovalModel } from '../devices/LinkApprovalModel';
import { Icon } from './icons';
import { IsolatedText } from './IsolatedText';
import { Name } from './Name';
import { testIds } from './testIds';

/** On a signed-in device: enter the code a new device shows, check it, approve or reject. */
export function LinkApprovalPanel({ approval }: { approval: LinkApprovalModel }) {
  const code = useSignal('');
  const pending = approval.pending.value;
  const busy = approval.busy.value;
  const error = approval.error.value;
  const outcome = approval.outcome.value;
  return (
    <section class="card link-approval">
      <h2>Link a new device</h2>
      {!pending ? (
        <form
          class="link-approval__form"
          onSubmit={(event) => {
            event.preventDefault();
            void approval.lookup(code.value).then(() => {
              if (approval.pending.value) code.value = '';
            });
          }}
        >
          <p class="muted">
            On the new device, choose “Link to an existing account”, then type the code it shows.
          </p>
          <div class="new-call__row">
            <input
              class="input link-code-input"
              data-testid={testIds.linkCodeInput}
              value={code.value}
              onInput={(e) => (code.value = e.currentTarget.value)}
              placeholder="XXXX-XXXX-XXXX"
              autocapitalize="characters"
              autocomplete="off"
              spellcheck={false}
              maxLength={20}
              aria-label="Link code"
            />
            <button
              class="button button--primary"
              type="submit"
              disabled={busy}
              data-testid={testIds.linkLookupButton}
            >
              Continue
            </button>
          </div>
        </form>
      ) : (
        <div class="link-approval__pending">
          <p>
            <strong data-testid={testIds.linkPendingDevice}>
              <Name text={pending.deviceName} inline />
            </strong>{' '}
            wants to join your account. It will make and receive calls as you.
          </p>
          <p class="muted">
            Check that the new device shows this key fingerprint:{' '}
            <code class="key-fingerprint">{pending.keyFingerprint}</code>
          </p>
          <div class="dialog__actions">
            <button
              class="button button--plain"
              disabled={busy}
              data-testid={testIds.linkRejectButton}
              onClick={() => void approval.reject()}
            >
              Reject
            </button>
            <button
              class="button button--primary"
              disabled={busy}
              data-testid={testIds.linkApproveButton}
              onClick={() => void approval.approve()}
            >
              Approve
            </button>
          </div>
        </div>
      )}
      {error && (
        <p class="form-error" role="alert" data-testid={testIds.linkError}>
          {error}
        </p>
      )}
      {outcome && (
        <p class="link-approval__outcome" role="status">
          <Icon name="verified" class="icon--ok" />
          <span>
            <IsolatedText text={outcome} />
          </span>
        </p>
      )}
    </section>
  );
}
