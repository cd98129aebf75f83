import { signal } from '@preact/signals';
import type { Host } from '../host/Host';
import { deviceKeyFingerprint } from '../identity/deviceKeyFingerprint';
import {
  linkDevice,
  LinkWaiter,
  type LinkApprovedMessage,
  type LinkRejectedMessage,
  type ShownLinkCode,
} from '../signaling/linkFlow';
import type { Authenticate } from '../signaling/SignalingClient';
import { linkCodeQrDataUrl } from './linkCodeQr';

export interface ShownCode extends ShownLinkCode {
  qrDataUrl: string;
  keyFingerprint: string | null;
}

/**
 * The new device's half of linking: what its waiting screen shows (the code as text and QR, and
 * its key fingerprint), and the sign-in flow that waits for approval.
 */
export class NewDeviceLinkModel {
  readonly shown = signal<ShownCode | null>(null);
  private readonly waiter = new LinkWaiter();

  constructor(private readonly host: Host) {}

  /** The sign-in for SignalingClient.start: request a code, show it, wait for approval. */
  authenticate(deviceName: string): Authenticate {
    return linkDevice(this.host, deviceName, this.waiter, (code) => this.show(code));
  }

  onApproved(message: LinkApprovedMessage): void {
    this.waiter.onApproved(message);
  }

  onRejected(message: LinkRejectedMessage): void {
    this.waiter.onRejected(message);
  }

  /** The user gave up, or linking ended: stop waiting and forget the code. */
  reset(): void {
    this.waiter.cancel();
    this.shown.value = null;
  }

  private show(code: ShownLinkCode): void {
    this.shown.value = { ...code, qrDataUrl: linkCodeQrDataUrl(code.code), keyFingerprint: null };
    void deviceKeyFingerprint(code.identityKey).then((keyFingerprint) => {
      if (this.shown.value?.code === code.code) {
        this.shown.value = { ...this.shown.value, keyFingerprint };
      }
    });
  }
}
