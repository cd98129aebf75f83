import { createPublicKey, randomUUID, verify } from 'node:crypto';
import {
  certifiedKeyText,
  legacyLinkCertificateText,
  LinkCode,
  linkCertificateText,
  linkRequestText,
  type ServerMessageOf,
} from '../../../protocol';
import { newDeviceKeys, signText, type TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

const LINK_TTL_MS = 400;

let server: TestServer;
let alice: TestClient;
beforeEach(async () => {
  server = await TestServer.start({ linkCodeTtlMs: LINK_TTL_MS });
  alice = await server.registered('alice');
});
afterEach(() => server.dispose());

/** An independent Ed25519 check (node:crypto), not the server's own verifier. */
function verifies(identityKey: string, text: string, signature: string): boolean {
  const x = Buffer.from(identityKey, 'base64').toString('base64url');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
}

/** A new device's connection that asked for a link code and now waits. */
async function waitingDevice(deviceName = 'phone') {
  const device = await server.client();
  const reply = await device.requestLink(deviceName);
  if (reply.type !== 'link.code') throw new Error(`no code: ${JSON.stringify(reply)}`);
  return { device, code: reply.code, expiresAt: reply.expiresAt };
}

/** Alice's certificate of a waiting device's key, for its code until the code's expiry. */
function aliceCertificate({ device, code, expiresAt }: Awaited<ReturnType<typeof waitingDevice>>) {
  return signText(
    alice.keys,
    linkCertificateText({
      username: 'alice',
      identityKey: device.keys.identityKey,
      code,
      expiresAt,
    }),
  );
}

async function deviceCount(client: TestClient) {
  const reply = await client.request({ type: 'devices.list' });
  return reply.type === 'devices' ? reply.devices.length : reply;
}

test('linking: the new device gets a code, the approver certifies it, it is signed in and can log in later', async () => {
  const before = Date.now();
  const { device, code, expiresAt } = await waitingDevice('phone');
  expect(LinkCode.safeParse(code).success).toBe(true);
  expect(expiresAt).toBeGreaterThanOrEqual(before + LINK_TTL_MS);

  expect(await alice.request({ type: 'link.lookup', code })).toMatchObject({
    type: 'link.pending',
    code,
    deviceName: 'phone',
    identityKey: device.keys.identityKey,
    expiresAt,
  });
  const certificate = aliceCertificate({ device, code, expiresAt });
  const devices = await alice.request({ type: 'link.approve', code, signature: certificate });

  const approved = await device.linkApproved();
  expect(approved).toMatchObject({ code, user: { username: 'alice', displayName: 'ALICE' } });
  expect(devices).toMatchObject({
    type: 'devices',
    devices: [
      {
        deviceId: alice.deviceId,
        identityKey: alice.keys.identityKey,
        current: true,
        online: true,
      },
      {
        deviceId: approved.deviceId,
        deviceName: 'phone',
        identityKey: device.keys.identityKey,
        current: false,
        online: true,
      },
    ],
  });
  // Signed in at once: the new device can use the account.
  expect(await device.request({ type: 'contacts.list' })).toMatchObject({ type: 'contacts' });

  // Its calls carry its chain: root, then its key certified by the root.
  const bob = await server.registered('bob');
  const callId = randomUUID();
  await device.invite(callId, 'bob');
  const invite = await bob.nextOf('call.invite', callId);
  const chain = invite.from.identity;
  expect(chain).toEqual([
    { identityKey: alice.keys.identityKey, signature: null },
    { identityKey: device.keys.identityKey, signature: certificate, link: { code, expiresAt } },
  ]);
  // A client rebuilds the v2 text from the chain element alone.
  const certified = certifiedKeyText('alice', chain[1]!);
  expect(certified).toBe(
    `parley-link-v2\ncertify\nalice\n${device.keys.identityKey}\n${code}\n${expiresAt}`,
  );
  expect(verifies(chain[0]!.identityKey, certified, chain[1]!.signature!)).toBe(true);
  // The account's identity as others see it stays the root key.
  expect(await bob.request({ type: 'user.lookup', username: 'alice' })).toMatchObject({
    identityKey: alice.keys.identityKey,
  });
  device.send({ v: 1, type: 'call.cancel', callId });
  await bob.nextOf('call.cancel', callId);

  // Next time it signs in like any device: auth.login with its deviceId, or resuming its session.
  await device.close();
  const later = await server.client();
  expect(await later.login('alice', approved.deviceId, device.keys)).toMatchObject({
    type: 'session',
    deviceId: approved.deviceId,
  });
  const resumed = await server.client();
  const linkedSession = { sessionId: approved.sessionId, keys: device.keys };
  expect(await resumed.resume(linkedSession)).toMatchObject({
    type: 'session',
    deviceId: approved.deviceId,
  });
});

test('a certificate that does not verify with the approving device key is refused and nothing changes', async () => {
  const { device, code, expiresAt } = await waitingDevice();
  const other = await waitingDevice('other');
  const forger = newDeviceKeys();
  const good = { username: 'alice', identityKey: device.keys.identityKey, code, expiresAt };
  for (const signature of [
    signText(forger, linkCertificateText(good)),
    signText(alice.keys, linkCertificateText({ ...good, username: 'mallory' })),
    signText(alice.keys, linkCertificateText({ ...good, identityKey: forger.identityKey })),
    // Signed for another link's code, or for another expiry than this code's.
    signText(alice.keys, linkCertificateText({ ...good, code: other.code })),
    signText(alice.keys, linkCertificateText({ ...good, expiresAt: expiresAt + 60_000 })),
    signText(alice.keys, linkCertificateText({ ...good, expiresAt: other.expiresAt })),
    // The v1 text (no code, no expiry) is no longer accepted for a new link.
    signText(alice.keys, legacyLinkCertificateText('alice', device.keys.identityKey)),
  ]) {
    expect(await alice.request({ type: 'link.approve', code, signature })).toMatchObject({
      type: 'error',
      code: 'bad_certificate',
    });
  }
  expect(await deviceCount(alice)).toBe(1);
  expect(await device.collect(100, (m) => m.type.startsWith('link.'))).toEqual([]);
  // The link still waits and a good certificate still works.
  expect(await alice.approveLink(code)).toMatchObject({ type: 'devices' });
  await device.linkApproved();
});

test('a code expires: the waiting device is told and the code no longer works', async () => {
  const { device, code } = await waitingDevice();
  expect(await device.nextOf('link.rejected')).toEqual({
    v: 1,
    type: 'link.rejected',
    code,
    reason: 'expired',
  });
  expect(await alice.request({ type: 'link.lookup', code })).toMatchObject({
    code: 'link_code_invalid',
  });
  expect(await alice.approveLink(code)).toMatchObject({ code: 'link_code_invalid' });
  expect(await deviceCount(alice)).toBe(1);
});

test('a rejected link tells the waiting device and the code is gone', async () => {
  const { device, code, expiresAt } = await waitingDevice();
  expect(await alice.request({ type: 'link.reject', code })).toMatchObject({ type: 'ok' });
  expect(await device.nextOf('link.rejected')).toMatchObject({ code, reason: 'rejected' });
  const signature = aliceCertificate({ device, code, expiresAt });
  expect(await alice.request({ type: 'link.approve', code, signature })).toMatchObject({
    code: 'link_code_invalid',
  });
  expect(await alice.request({ type: 'link.reject', code })).toMatchObject({
    code: 'link_code_invalid',
  });
  expect(await deviceCount(alice)).toBe(1);
});

test('wrong, malformed and abandoned codes are refused', async () => {
  const { code } = await waitingDevice();
  const wrong = code.startsWith('0') ? `1${code.slice(1)}` : `0${code.slice(1)}`;
  expect(await alice.request({ type: 'link.lookup', code: wrong })).toMatchObject({
    code: 'link_code_invalid',
  });
  expect(await alice.request({ type: 'link.lookup', code: 'ABCD-EFGH-IJKL' })).toMatchObject({
    code: 'bad_message',
  });
  // The code dies with the waiting connection.
  const abandoned = await waitingDevice();
  await abandoned.device.close();
  expect(await alice.request({ type: 'link.lookup', code: abandoned.code })).toMatchObject({
    code: 'link_code_invalid',
  });
});

test('asking again on the same connection replaces the previous code', async () => {
  const { device, code: first } = await waitingDevice();
  const second = await device.requestLink('phone');
  expect(second).toMatchObject({ type: 'link.code' });
  expect(await alice.request({ type: 'link.lookup', code: first })).toMatchObject({
    code: 'link_code_invalid',
  });
});

test('link.request needs a fresh challenge, a valid signature and a key not yet registered', async () => {
  const device = await server.client();
  const keys = device.keys;
  const request = (nonce: string, signature: string, identityKey = keys.identityKey) =>
    device.request({ type: 'link.request', deviceName: 'phone', identityKey, nonce, signature });

  const unasked = await request(Buffer.alloc(32).toString('base64'), signText(keys, 'x'));
  expect(unasked).toMatchObject({ code: 'no_challenge' });

  let nonce = await device.challenge();
  const { origin } = device;
  expect(
    await request(nonce, signText(keys, linkRequestText({ origin, nonce, identityKey: 'other' }))),
  ).toMatchObject({ code: 'auth_failed' });
  // The nonce is used up even by a failed answer.
  expect(
    await request(
      nonce,
      signText(keys, linkRequestText({ origin, nonce, identityKey: keys.identityKey })),
    ),
  ).toMatchObject({ code: 'challenge_expired' });

  nonce = await device.challenge();
  const registered = await request(
    nonce,
    signText(alice.keys, linkRequestText({ origin, nonce, identityKey: alice.keys.identityKey })),
    alice.keys.identityKey,
  );
  expect(registered).toMatchObject({ code: 'auth_failed' });

  const signedIn = await alice.request({
    type: 'link.request',
    deviceName: 'phone',
    identityKey: keys.identityKey,
    nonce,
    signature: signText(keys, linkRequestText({ origin, nonce, identityKey: keys.identityKey })),
  });
  expect(signedIn).toMatchObject({ code: 'already_authenticated' });
});

test('the code is the secret: the account that approves it owns the new device', async () => {
  const carol = await server.registered('carol');
  const { device, code } = await waitingDevice();
  expect(await carol.request({ type: 'link.lookup', code })).toMatchObject({
    type: 'link.pending',
  });
  expect(await carol.approveLink(code)).toMatchObject({ type: 'devices' });
  const approved: ServerMessageOf<'link.approved'> = await device.linkApproved();
  expect(approved.user.username).toBe('carol');
  expect(await deviceCount(carol)).toBe(2);
  expect(await deviceCount(alice)).toBe(1);
});

test('a chain holds at most 8 keys: its last device cannot certify another', async () => {
  let approver = alice;
  for (let length = 2; length <= 8; length += 1) approver = await server.linkedDevice(approver);
  const { device, code } = await waitingDevice();
  expect(await approver.approveLink(code)).toMatchObject({ code: 'bad_certificate' });
  expect(await deviceCount(alice)).toBe(8);
  // A device nearer the root still can.
  expect(await alice.approveLink(code)).toMatchObject({ type: 'devices' });
  await device.linkApproved();
});
