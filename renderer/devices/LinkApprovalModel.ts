import { signal } from '@preact/signals';
import { isolateName, LinkCode } from '../../protocol';
import type { Host } from '../host/Host';
import { deviceKeyFingerprint } from '../identity/deviceKeyFingerprint';
import type { SignalingRequests } from '../signaling/SignalingClient';
import type { DevicesModel } from './DevicesModel';
import { linkApprovalErrorText } from './deviceErrorText';

/** A new device waiting for this one's approval, as link.lookup described it. */
export interface PendingDevice {
  code: string;
  deviceName: string;
  identityKey: string;
  /** deviceKeyFingerprint(identityKey): the new device shows the same. */
  keyFingerprint: string;
  expiresAt: number;
}

/** Accepts what people type: any case, spaces or no dashes. Null when it cannot be a code. */
export function normalizeLinkCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const code = `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
  return LinkCode.safeParse(code).success ? code : null;
}

/**
 * The existing device's half of linking: look up the code the new device shows, let the user
 * check its name and key fingerprint, then approve (certify its key with ours) or reject.
 */
export class LinkApprovalModel {
  readonly pending = signal<PendingDevice | null>(null);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  /** What happened last, for the user ("Laptop is now linked"), the name marked by isolateName. */
  readonly outcome = signal<string | null>(null);

  constructor(
    private readonly deps: {
      host: Pick<Host, 'signLinkCertificate'>;
      signaling: SignalingRequests;
      devices: Pick<DevicesModel, 'show'>;
      /** The signed-in account's username: what the certificate binds the new key to. */
      selfUsername(): string | null;
    },
  ) {}

  async lookup(input: string): Promise<void> {
    const code = normalizeLinkCode(input);
    this.outcome.value = null;
    if (!code) {
      this.error.value =
        'Enter the 12-character code shown on the new device, like 7KQ2-M9XD-4TRB.';
      return;
    }
    await this.run(async () => {
      const reply = await this.deps.signaling.request('link.lookup', { code });
      this.pending.value = {
        code: reply.code,
        deviceName: reply.deviceName,
        identityKey: reply.identityKey,
        keyFingerprint: await deviceKeyFingerprint(reply.identityKey),
        expiresAt: reply.expiresAt,
      };
    });
  }

  async approve(): Promise<void> {
    const pending = this.pending.value;
    const username = this.deps.selfUsername();
    if (!pending || !username) return;
    await this.run(async () => {
      const signature = await this.deps.host.signLinkCertificate({
        username,
        identityKey: pending.identityKey,
        deviceName: pending.deviceName,
        code: pending.code,
        expiresAt: pending.expiresAt,
      });
      const reply = await this.deps.signaling.request('link.approve', {
        code: pending.code,
        signature,
      });
      this.deps.devices.show(reply.devices);
      this.pending.value = null;
      this.outcome.value = `${isolateName(pending.deviceName)} is now linked to your account.`;
    });
  }

  async reject(): Promise<void> {
    const pending = this.pending.value;
    if (!pending) return;
    await this.run(async () => {
      await this.deps.signaling.request('link.reject', { code: pending.code });
      this.pending.value = null;
      this.outcome.value = `You declined ${isolateName(pending.deviceName)}.`;
    });
  }

  private async run(step: () => Promise<void>): Promise<void> {
    if (this.busy.value) return;
    this.busy.value = true;
    this.error.value = null;
    try {
      await step();
    } catch (error) {
      console.warn('parley: linking a device failed', error);
      this.error.value = linkApprovalErrorText(error);
    } finally {
      this.busy.value = false;
    }
  }
}
