import type { SessionModel } from '../state/SessionModel';
import { Icon } from './icons';
import { testIds } from './testIds';

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** The new device waits here: its code as text and QR, until another device approves it. */
export function LinkScreen({ session }: { session: SessionModel }) {
  const shown = session.newDeviceLink.shown.value;
  return (
    <main class="first-run" data-testid={testIds.screenLink}>
      <div class="first-run__card link-screen">
        <div class="brand">
          <div class="brand__mark">
            <Icon name="devices" />
          </div>
          <h1>Link this device</h1>
        </div>
        {shown ? (
          <>
            <p class="muted">
              On a device already signed in to your account, open Linked devices and enter this
              code, or scan it.
            </p>
            <p class="link-code" data-testid={testIds.linkCode}>
              {shown.code}
            </p>
            <img
              class="link-qr"
              data-testid={testIds.linkQr}
              src={shown.qrDataUrl}
              alt={`QR code for ${shown.code}`}
            />
            {shown.keyFingerprint && (
              <p class="muted">
                This device’s key fingerprint:{' '}
                <code class="key-fingerprint">{shown.keyFingerprint}</code>
              </p>
            )}
            <p class="muted">
              The code works until {timeFormat.format(new Date(shown.expiresAt))}.
            </p>
          </>
        ) : (
          <p class="muted">Asking the server for a link code…</p>
        )}
        <button class="button button--plain" onClick={() => session.cancelLink()}>
          Cancel
        </button>
      </div>
    </main>
  );
}
