import { createHash } from 'node:crypto';
import { isolateName, linkCertificateText } from '../../../protocol';
import { normalizeLinkCode } from '../../../renderer/devices/LinkApprovalModel';
import type { FakeServer } from '../signaling/fakeSignaling';
import { verifiesWith } from '../signaling/fakeSignaling';
import { device, rawPublicKey, signedInDevice } from './signedInDevice';

const CODE = '7KQ2-M9XD-4TRB';

/** Answers the next link.lookup with a pending device. */
async function servePending(server: FakeServer, identityKey: string) {
  const lookup = await server.next('link.lookup');
  server.latest.push({
    v: 1,
    type: 'link.pending',
    re: lookup.id,
    code: lookup.code,
    deviceName: 'Alice laptop',
    identityKey,
    expiresAt: Date.now() + 300_000,
  });
  return lookup;
}

describe('approving a link on an existing device', () => {
  test('lookup shows the new device; approve certifies its key with ours and lists it', async () => {
    const { server, host, client, devices, approval } = await signedInDevice();
    const newKey = rawPublicKey();
    const looking = approval.lookup(' 7kq2 m9xd 4trb ');
    const lookup = await servePending(server, newKey);
    await looking;
    expect(lookup.code).toBe(CODE);
    const expectedFingerprint = createHash('sha256')
      .update(Buffer.from(newKey, 'base64'))
      .digest('hex')
      .slice(0, 20)
      .toUpperCase()
      .match(/.{4}/g)
      ?.join(' ');
    expect(approval.pending.value).toMatchObject({
      code: CODE,
      deviceName: 'Alice laptop',
      identityKey: newKey,
      keyFingerprint: expectedFingerprint,
    });

    const approving = approval.approve();
    const approve = await server.next('link.approve');
    expect(approve.code).toBe(CODE);
    const ownKey = (await host.getIdentityPublicKey()) as string;
    // The web host signs the v2 text, bound to the code and the expiry link.pending gave.
    const expiresAt = approval.pending.value?.expiresAt as number;
    const certified = { username: 'alice', identityKey: newKey, code: CODE, expiresAt };
    expect(verifiesWith(ownKey, linkCertificateText(certified), approve.signature)).toBe(true);
    for (const other of [
      { ...certified, username: 'mallory' },
      { ...certified, code: '7KQ2-M9XD-4TRC' },
      { ...certified, expiresAt: expiresAt + 1 },
    ]) {
      expect(verifiesWith(ownKey, linkCertificateText(other), approve.signature)).toBe(false);
    }
    const listed = [
      device('device_0002', 'Alice laptop', false),
      device('device_0001', 'Desk', true),
    ];
    server.latest.push({ v: 1, type: 'devices', re: approve.id, devices: listed });
    await approving;

    expect(approval.pending.value).toBeNull();
    expect(approval.outcome.value).toBe(
      `${isolateName('Alice laptop')} is now linked to your account.`,
    );
    expect(devices.devices.value.map((d) => d.deviceId)).toEqual(['device_0001', 'device_0002']);
    client.stop();
  });

  test('reject sends link.reject for the code and clears the pending device', async () => {
    const { server, client, approval } = await signedInDevice();
    const looking = approval.lookup(CODE);
    await servePending(server, rawPublicKey());
    await looking;
    const rejecting = approval.reject();
    const reject = await server.next('link.reject');
    expect(reject.code).toBe(CODE);
    server.latest.push({ v: 1, type: 'ok', re: reject.id });
    await rejecting;
    expect(approval.pending.value).toBeNull();
    expect(approval.outcome.value).toBe(`You declined ${isolateName('Alice laptop')}.`);
    expect(server.latest.received.some((m) => m.type === 'link.approve')).toBe(false);
    client.stop();
  });

  test('an unknown or expired code shows the server’s reason; a malformed one sends nothing', async () => {
    const { server, client, approval } = await signedInDevice();
    const before = server.latest.received.length;
    await approval.lookup('12345');
    expect(approval.error.value).toMatch(/12-character code/);
    expect(server.latest.received.length).toBe(before);

    const looking = approval.lookup(CODE);
    const lookup = await server.next('link.lookup');
    server.latest.push({
      v: 1,
      type: 'error',
      re: lookup.id,
      code: 'link_code_invalid',
      message: 'That link code is wrong or has expired.',
    });
    await looking;
    expect(approval.pending.value).toBeNull();
    expect(approval.error.value).toBe('That link code is wrong or has expired.');
    client.stop();
  });

  test('normalizeLinkCode accepts what people type and refuses what cannot be a code', () => {
    expect(normalizeLinkCode('7kq2m9xd4trb')).toBe(CODE);
    expect(normalizeLinkCode('7KQ2-M9XD-4TRB')).toBe(CODE);
    expect(normalizeLinkCode('7KQ2-M9XD-4TRU')).toBeNull(); // U is not Crockford base32
    expect(normalizeLinkCode('7KQ2-M9XD-4TR')).toBeNull();
  });
});
