/**
 * Independent conformance check of "Linked devices" in docs/protocol.md: link.request,
 * link.lookup, link.approve, link.reject, devices.list and devices.remove.
 *
 * Everything asserted here is taken from that document alone; the client is DocClient.ts. Where
 * an assertion rests on a reading of the document rather than an explicit sentence, the comment
 * next to it says so.
 */
import * as crypto from 'node:crypto';
import {
  certifyText,
  certifyV1Text,
  linkRequestText,
  loginText,
  makeIdentity,
  makeKeyShare,
  sign,
  type Msg,
} from './DocClient';
import {
  B64_32,
  certificate,
  closedWithin,
  DEVICE_ID,
  expectError,
  LINK_CODE,
  linkDevice,
  STREAM_ID,
  useServer,
} from './harness';

jest.setTimeout(20_000);

const h = useServer();

const FIVE_MINUTES = 5 * 60_000;
const THIRTY_DAYS = 30 * 24 * 3600_000;
const DEVICE_FIELDS = ['deviceId', 'deviceName', 'identityKey', 'createdAt', 'online', 'current'];

/** A new device's connection that has sent link.request and holds a code. */
async function waitingDevice(deviceName = 'Phone') {
  const identity = makeIdentity();
  const c = await h.connect();
  const reply = await c.linkRequest(identity, deviceName);
  expect(reply).toMatchObject({ type: 'link.code', code: expect.stringMatching(LINK_CODE) });
  return { c, identity, code: String(reply.code), expiresAt: Number(reply.expiresAt), reply };
}

/** What a certificate for a waiting device covers: its key, code and the code's expiry. */
function pendingOf(device: Awaited<ReturnType<typeof waitingDevice>>) {
  return {
    identityKey: device.identity.identityKey,
    code: device.code,
    expiresAt: device.expiresAt,
  };
}

function devicesOf(m: Msg): Msg[] {
  expect(m.type).toBe('devices');
  expect(Array.isArray(m.devices)).toBe(true);
  return m.devices as Msg[];
}

function expectDeviceShape(d: Msg): void {
  expect(Object.keys(d).sort()).toEqual([...DEVICE_FIELDS].sort());
  expect(d.deviceId).toMatch(DEVICE_ID);
  expect(typeof d.deviceName).toBe('string');
  expect(d.identityKey).toMatch(B64_32);
  // `createdAt` is not in the "times" row of the field table; read as the same format.
  expect(Number.isInteger(d.createdAt)).toBe(true);
  expect(typeof d.online).toBe('boolean');
  expect(typeof d.current).toBe('boolean');
}

/** Waits a moment so the server has handled a close before the next request. */
const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

// ---- link.request -------------------------------------------------------------------------

describe('link.request', () => {
  test('after hello, signed over the exact text -> link.code (format, expires in 5 minutes)', async () => {
    const identity = makeIdentity();
    const c = await h.connect();
    const ch = await c.hello();
    const nonce = String(ch.nonce);
    const text = `parley-auth-v2\nlink\n${c.origin}\n${nonce}\n${identity.identityKey}`;
    expect(linkRequestText(c.origin, nonce, identity.identityKey)).toBe(text);
    const before = Date.now();
    const reply = await c.request(
      'link.request',
      {
        deviceName: 'Phone',
        identityKey: identity.identityKey,
        nonce,
        signature: sign(identity.privateKey, text),
      },
      { id: 'r20' },
    );
    expect(reply).toEqual({
      v: 1,
      type: 'link.code',
      re: 'r20',
      code: expect.stringMatching(LINK_CODE),
      expiresAt: expect.any(Number),
    });
    expect(Number.isInteger(reply.expiresAt)).toBe(true);
    const ttl = (reply.expiresAt as number) - before;
    expect(ttl).toBeGreaterThan(FIVE_MINUTES - 5_000);
    expect(ttl).toBeLessThanOrEqual(FIVE_MINUTES + 1_000);

    // "Its connection stays signed out and waits."
    const r = await c.request('contacts.list');
    expectError(r, 'not_authenticated', r.re as string);
    const l = await c.request('link.lookup', { code: reply.code });
    expectError(l, 'not_authenticated', l.re as string);
  });

  test('two requests get different codes', async () => {
    const a = await waitingDevice();
    const b = await waitingDevice();
    expect(a.code).not.toBe(b.code);
  });

  test('the nonce is used up: a second link.request with it -> challenge_expired', async () => {
    const identity = makeIdentity();
    const c = await h.connect();
    const nonce = String((await c.hello()).nonce);
    const fields = {
      deviceName: 'Phone',
      identityKey: identity.identityKey,
      nonce,
      signature: sign(identity.privateKey, linkRequestText(c.origin, nonce, identity.identityKey)),
    };
    expect(await c.request('link.request', fields)).toMatchObject({ type: 'link.code' });
    const again = await c.request('link.request', fields);
    expectError(again, 'challenge_expired', again.re as string);
  });

  test('a signature over another text is refused (auth_failed); the nonce is then spent', async () => {
    const identity = makeIdentity();
    const c = await h.connect();
    const nonce = String((await c.hello()).nonce);
    const good = linkRequestText(c.origin, nonce, identity.identityKey);
    const bad = await c.request('link.request', {
      deviceName: 'Phone',
      identityKey: identity.identityKey,
      nonce,
      signature: sign(identity.privateKey, good + '\n'),
    });
    // The document names no code for a link.request signature that fails; `auth_failed` ("the
    // signature did not verify") is our reading of "as for sign-in".
    expectError(bad, 'auth_failed', bad.re as string);
    const retry = await c.request('link.request', {
      deviceName: 'Phone',
      identityKey: identity.identityKey,
      nonce,
      signature: sign(identity.privateKey, good),
    });
    expectError(retry, 'challenge_expired', retry.re as string);
    // A fresh hello works.
    expect(await c.linkRequest(identity, 'Phone')).toMatchObject({ type: 'link.code' });
  });

  test('link.request signed by a key other than identityKey -> auth_failed', async () => {
    const identity = makeIdentity();
    const other = makeIdentity();
    const c = await h.connect();
    const nonce = String((await c.hello()).nonce);
    const r = await c.request('link.request', {
      deviceName: 'Phone',
      identityKey: identity.identityKey,
      nonce,
      signature: sign(other.privateKey, linkRequestText(c.origin, nonce, identity.identityKey)),
    });
    expectError(r, 'auth_failed', r.re as string);
  });

  test('link.request without hello is refused (no_challenge)', async () => {
    const identity = makeIdentity();
    const c = await h.connect();
    const nonce = crypto.randomBytes(32).toString('base64');
    const r = await c.request('link.request', {
      deviceName: 'Phone',
      identityKey: identity.identityKey,
      nonce,
      signature: sign(identity.privateKey, linkRequestText(c.origin, nonce, identity.identityKey)),
    });
    // "Linked devices", step 1: no_challenge without a hello first, as for sign-in.
    expectError(r, 'no_challenge', r.re as string);
  });

  test('link.request fields are strict and formatted (bad_message)', async () => {
    const identity = makeIdentity();
    const c = await h.connect();
    const nonce = String((await c.hello()).nonce);
    const signature = sign(
      identity.privateKey,
      linkRequestText(c.origin, nonce, identity.identityKey),
    );
    const extra = await c.request('link.request', {
      deviceName: 'Phone',
      identityKey: identity.identityKey,
      nonce,
      signature,
      username: 'someone',
    });
    expectError(extra, 'bad_message', extra.re as string);
    const c2 = await h.connect();
    const n2 = String((await c2.hello()).nonce);
    const blank = await c2.request('link.request', {
      deviceName: '   ',
      identityKey: identity.identityKey,
      nonce: n2,
      signature: sign(identity.privateKey, linkRequestText(c2.origin, n2, identity.identityKey)),
    });
    expectError(blank, 'bad_message', blank.re as string);
  });
});

// ---- lookup, approve, reject -------------------------------------------------------------

describe('link.lookup / link.approve', () => {
  test('the whole flow: lookup -> link.pending; approve -> devices + link.approved; the new device is signed in', async () => {
    const alice = await h.newUser('alice');
    const watcher = await h.newUser('watcher');
    const phone = await waitingDevice('Phone');

    // Step 2: lookup on a signed-in device.
    const pending = await alice.c.request('link.lookup', { code: phone.code }, { id: 'r21' });
    expect(pending).toEqual({
      v: 1,
      type: 'link.pending',
      re: 'r21',
      code: phone.code,
      deviceName: 'Phone',
      identityKey: phone.identity.identityKey,
      expiresAt: phone.reply.expiresAt,
    });
    // Lookup does not consume the code.
    expect(await alice.c.request('link.lookup', { code: phone.code })).toMatchObject({
      type: 'link.pending',
    });

    // Step 3: approve with the v2 certificate over the exact documented text.
    const text = `parley-link-v2\ncertify\n${alice.username}\n${phone.identity.identityKey}\n${phone.code}\n${phone.expiresAt}`;
    expect(
      certifyText(alice.username, phone.identity.identityKey, phone.code, phone.expiresAt),
    ).toBe(text);
    const approve = await alice.c.request(
      'link.approve',
      { code: phone.code, signature: sign(alice.identity.privateKey, text) },
      { id: 'r22' },
    );
    expect(Object.keys(approve).sort()).toEqual(['devices', 're', 'type', 'v']);
    expect(approve).toMatchObject({ v: 1, type: 'devices', re: 'r22' });

    const approved = await phone.c.next('link.approved');
    const before = Date.now();
    expect(approved).toEqual({
      v: 1,
      type: 'link.approved',
      code: phone.code,
      sessionId: expect.stringMatching(B64_32),
      expiresAt: expect.any(Number),
      user: { username: alice.username, displayName: alice.displayName },
      deviceId: expect.stringMatching(DEVICE_ID),
      ice: expect.objectContaining({ servers: expect.any(Array) }),
      stream: { id: expect.stringMatching(STREAM_ID), resumed: false, received: 0 },
      calls: [],
    });
    expect(approved.deviceId).not.toBe(alice.deviceId);
    expect(Number.isInteger(approved.expiresAt)).toBe(true);
    expect((approved.expiresAt as number) - before).toBeGreaterThan(THIRTY_DAYS - 60_000);
    expect((approved.expiresAt as number) - before).toBeLessThanOrEqual(THIRTY_DAYS + 1_000);

    // The approver's `devices`: two devices, the approver current.
    const list = devicesOf(approve);
    expect(list).toHaveLength(2);
    list.forEach(expectDeviceShape);
    const laptop = list.find((d) => d.deviceId === alice.deviceId);
    const newOne = list.find((d) => d.deviceId === approved.deviceId);
    expect(laptop).toMatchObject({
      deviceName: 'Laptop',
      identityKey: alice.identity.identityKey,
      online: true,
      current: true,
    });
    expect(newOne).toMatchObject({
      deviceName: 'Phone',
      identityKey: phone.identity.identityKey,
      current: false,
    });
    // The document does not say whether this reply is built before or after the waiting device
    // is signed in; "pushes link.approved ... which is then signed in" is read as: it is online.
    expect(newOne?.online).toBe(true);

    // The waiting device is now signed in: a signed-in request works.
    expect(await phone.c.request('contacts.list')).toMatchObject({
      type: 'contacts',
      contacts: [],
    });
    const hello = await phone.c.request('hello', { client: 'doc-conformance/1.0' });
    expectError(hello, 'already_authenticated', hello.re as string);

    // devices.list from each side: online both, `current` follows the asking device.
    const fromPhone = devicesOf(await phone.c.request('devices.list'));
    expect(fromPhone).toHaveLength(2);
    fromPhone.forEach(expectDeviceShape);
    expect(fromPhone.find((d) => d.deviceId === approved.deviceId)).toMatchObject({
      online: true,
      current: true,
    });
    expect(fromPhone.find((d) => d.deviceId === alice.deviceId)).toMatchObject({
      online: true,
      current: false,
    });
    const fromLaptop = devicesOf(await alice.c.request('devices.list', {}, { id: 'dl1' }));
    expect(fromLaptop.find((d) => d.deviceId === approved.deviceId)).toMatchObject({
      online: true,
      current: false,
    });

    // The account's root identity is still the first device's key.
    expect(await watcher.c.request('user.lookup', { username: alice.username })).toMatchObject({
      type: 'user',
      identityKey: alice.identity.identityKey,
    });

    // The code was used: looking it up again is refused (the document lists "unknown, expired, or
    // its device went away"; a used code is read as unknown).
    const used = await alice.c.request('link.lookup', { code: phone.code });
    expectError(used, 'link_code_invalid', used.re as string);

    // The sessionId from link.approved names a session: the new device resumes it on a new
    // connection, which replaces the waiting connection (close code 4001).
    const c2 = await h.connect();
    const linkedSession = { sessionId: String(approved.sessionId), identity: phone.identity };
    expect(await c2.resume(linkedSession)).toMatchObject({
      type: 'session',
      deviceId: approved.deviceId,
      user: { username: alice.username, displayName: alice.displayName },
    });
    expect((await closedWithin(phone.c)).code).toBe(4001);

    // Next time it signs in with auth.login and its deviceId.
    const c3 = await h.connect();
    const ch = await c3.hello();
    const nonce = String(ch.nonce);
    const login = await c3.request('auth.login', {
      username: alice.username,
      deviceId: approved.deviceId,
      nonce,
      signature: sign(
        phone.identity.privateKey,
        loginText(c3.origin, nonce, alice.username, String(approved.deviceId)),
      ),
    });
    expect(login).toEqual({
      v: 1,
      type: 'session',
      re: login.re,
      sessionId: expect.stringMatching(B64_32),
      expiresAt: expect.any(Number),
      user: { username: alice.username, displayName: alice.displayName },
      deviceId: approved.deviceId,
      ice: expect.objectContaining({ servers: expect.any(Array) }),
      stream: { id: expect.stringMatching(STREAM_ID), resumed: false, received: 0 },
      calls: [],
    });
    expect((await closedWithin(c2)).code).toBe(4001);
    expect(await c3.request('contacts.list')).toMatchObject({ type: 'contacts' });

    // The first device is unaffected.
    expect(alice.c.isClosed).toBe(false);
    expect(await alice.c.request('contacts.list')).toMatchObject({ type: 'contacts' });
  });

  test('a linked device cannot log in with the root key, nor the root device with its key', async () => {
    const alice = await h.newUser('alice');
    const phone = await linkDevice(h, alice);
    const c = await h.connect();
    const r = await c.login(alice.identity, alice.username, phone.deviceId);
    expectError(r, 'auth_failed', r.re as string);
    const c2 = await h.connect();
    const r2 = await c2.login(phone.identity, alice.username, alice.deviceId);
    expectError(r2, 'auth_failed', r2.re as string);
  });

  test('a linked device can itself approve a further device (its own certificate)', async () => {
    const bob = await h.newUser('bob');
    const phone = await linkDevice(h, bob, 'Phone');
    const tablet = await waitingDevice('Tablet');
    expect(await phone.c.request('link.lookup', { code: tablet.code })).toMatchObject({
      type: 'link.pending',
      deviceName: 'Tablet',
    });

    // "The server checks it with that device's key": a certificate made by the root device but
    // sent by the phone is not the phone's signature.
    const byRoot = await phone.c.request('link.approve', {
      code: tablet.code,
      signature: certificate(bob, pendingOf(tablet)),
    });
    expectError(byRoot, 'bad_certificate', byRoot.re as string);
    expect(await tablet.c.collect('link.approved', () => true, 200)).toEqual([]);

    const ok = await phone.c.request('link.approve', {
      code: tablet.code,
      signature: certificate(phone, pendingOf(tablet)),
    });
    const list = devicesOf(ok);
    expect(list).toHaveLength(3);
    expect(list.filter((d) => d.current).map((d) => d.deviceId)).toEqual([phone.deviceId]);
    const approved = await tablet.c.next('link.approved');
    expect(approved).toMatchObject({ user: { username: bob.username } });
    expect(await tablet.c.request('contacts.list')).toMatchObject({ type: 'contacts' });
  });

  test('a forged certificate -> bad_certificate; nothing created; the code is still pending', async () => {
    const bob = await h.newUser('bob');
    const phone = await waitingDevice('Phone');
    const stranger = makeIdentity();
    const key = phone.identity.identityKey;
    const other = await waitingDevice('Other');
    const { code, expiresAt } = phone;
    const v2 = (username: string, identityKey: string, c = code, e = expiresAt) =>
      certifyText(username, identityKey, c, e);
    const forgeries: Array<[string, string]> = [
      ['signed by another key', sign(stranger.privateKey, v2(bob.username, key))],
      ['the wrong username', sign(bob.identity.privateKey, v2('someoneelse', key))],
      [
        'another identityKey',
        sign(bob.identity.privateKey, v2(bob.username, makeIdentity().identityKey)),
      ],
      ['a trailing newline', sign(bob.identity.privateKey, v2(bob.username, key) + '\n')],
      ["another link's code", sign(bob.identity.privateKey, v2(bob.username, key, other.code))],
      [
        'another expiry',
        sign(bob.identity.privateKey, v2(bob.username, key, code, expiresAt + 60_000)),
      ],
      ['the v1 text', sign(bob.identity.privateKey, certifyV1Text(bob.username, key))],
      [
        'the link.request text',
        sign(
          bob.identity.privateKey,
          linkRequestText(bob.c.origin, crypto.randomBytes(32).toString('base64'), key),
        ),
      ],
      ['random bytes', crypto.randomBytes(64).toString('base64')],
    ];
    for (const [what, signature] of forgeries) {
      const r = await bob.c.request('link.approve', { code: phone.code, signature });
      try {
        expectError(r, 'bad_certificate', r.re as string);
      } catch (e) {
        throw new Error(`forgery "${what}": ${JSON.stringify(r)}\n${String(e)}`, { cause: e });
      }
    }
    // Nothing changed: one device, no link.approved, the waiting device still signed out, the
    // code still pending.
    const list = devicesOf(await bob.c.request('devices.list'));
    expect(list.map((d) => d.deviceId)).toEqual([bob.deviceId]);
    expect(await phone.c.collect('link.approved', () => true, 200)).toEqual([]);
    expect(await phone.c.collect('link.rejected', () => true, 0)).toEqual([]);
    const still = await phone.c.request('contacts.list');
    expectError(still, 'not_authenticated', still.re as string);
    expect(await bob.c.request('link.lookup', { code: phone.code })).toMatchObject({
      type: 'link.pending',
      identityKey: key,
    });

    // And the genuine certificate still works afterwards.
    const ok = await bob.c.request('link.approve', {
      code: phone.code,
      signature: certificate(bob, pendingOf(phone)),
    });
    expect(devicesOf(ok)).toHaveLength(2);
    expect(await phone.c.next('link.approved')).toMatchObject({ code: phone.code });
  });

  test('link.reject -> ok; the waiting device receives link.rejected reason rejected', async () => {
    const bob = await h.newUser('bob');
    const phone = await waitingDevice('Phone');
    expect(await bob.c.request('link.lookup', { code: phone.code })).toMatchObject({
      type: 'link.pending',
    });
    const r = await bob.c.request('link.reject', { code: phone.code }, { id: 'rj1' });
    expect(r).toEqual({ v: 1, type: 'ok', re: 'rj1' });
    expect(await phone.c.next('link.rejected')).toEqual({
      v: 1,
      type: 'link.rejected',
      code: phone.code,
      reason: 'rejected',
    });
    // Nothing was created; the waiting device was never signed in, and its connection is closed.
    expect(devicesOf(await bob.c.request('devices.list'))).toHaveLength(1);
    expect(await closedWithin(phone.c)).toMatchObject({ code: 4010 });
    // The rejected code is gone (read as "unknown").
    const again = await bob.c.request('link.lookup', { code: phone.code });
    expectError(again, 'link_code_invalid', again.re as string);
    const approve = await bob.c.request('link.approve', {
      code: phone.code,
      signature: certificate(bob, pendingOf(phone)),
    });
    expectError(approve, 'link_code_invalid', approve.re as string);
    expect(await phone.c.collect('link.approved', () => true, 200)).toEqual([]);
  });

  test('a wrong code -> link_code_invalid (lookup, approve, reject); a malformed code -> bad_message', async () => {
    const bob = await h.newUser('bob');
    const phone = await waitingDevice();
    // A well-formed code that was never issued (change one character of a real one).
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const first = phone.code[0]!;
    const wrong = alphabet[(alphabet.indexOf(first) + 1) % alphabet.length] + phone.code.slice(1);
    expect(wrong).toMatch(LINK_CODE);
    const l = await bob.c.request('link.lookup', { code: wrong });
    expectError(l, 'link_code_invalid', l.re as string);
    const a = await bob.c.request('link.approve', {
      code: wrong,
      signature: certificate(bob, pendingOf(phone)),
    });
    expectError(a, 'link_code_invalid', a.re as string);
    const r = await bob.c.request('link.reject', { code: wrong });
    expectError(r, 'link_code_invalid', r.re as string);
    // The real code is untouched.
    expect(await bob.c.request('link.lookup', { code: phone.code })).toMatchObject({
      type: 'link.pending',
    });
    expect(await phone.c.collect('link.rejected', () => true, 100)).toEqual([]);

    for (const code of ['not-a-code', phone.code.replace(/-/g, ''), 'ILOU-ILOU-ILOU']) {
      const m = await bob.c.request('link.lookup', { code });
      expectError(m, 'bad_message', m.re as string);
    }
  });

  test('the code dies when the waiting connection closes (clean close or drop)', async () => {
    const bob = await h.newUser('bob');
    for (const how of ['close', 'drop'] as const) {
      const phone = await waitingDevice();
      expect(await bob.c.request('link.lookup', { code: phone.code })).toMatchObject({
        type: 'link.pending',
      });
      await (how === 'close' ? phone.c.close() : phone.c.drop());
      await settle();
      const l = await bob.c.request('link.lookup', { code: phone.code });
      expectError(l, 'link_code_invalid', l.re as string);
      const a = await bob.c.request('link.approve', {
        code: phone.code,
        signature: certificate(bob, pendingOf(phone)),
      });
      expectError(a, 'link_code_invalid', a.re as string);
      expect(devicesOf(await bob.c.request('devices.list'))).toHaveLength(1);
    }
  });

  test('link.lookup / approve / reject / devices.* before sign-in -> not_authenticated', async () => {
    const c = await h.connect();
    for (const [type, fields] of [
      ['link.lookup', { code: 'ABCD-EFGH-JKMN' }],
      [
        'link.approve',
        { code: 'ABCD-EFGH-JKMN', signature: crypto.randomBytes(64).toString('base64') },
      ],
      ['link.reject', { code: 'ABCD-EFGH-JKMN' }],
      ['devices.list', {}],
      ['devices.remove', { deviceId: 'd_abcdefgh' }],
    ] as const) {
      const r = await c.request(type, fields);
      expectError(r, 'not_authenticated', r.re as string);
    }
  });
});

// ---- devices ------------------------------------------------------------------------------

describe('devices.list / devices.remove', () => {
  test('devices.list on a one-device account', async () => {
    const carol = await h.newUser('carol');
    const r = await carol.c.request('devices.list', {}, { id: 'dv1' });
    expect(Object.keys(r).sort()).toEqual(['devices', 're', 'type', 'v']);
    expect(r).toMatchObject({ v: 1, type: 'devices', re: 'dv1' });
    const list = devicesOf(r);
    expect(list).toHaveLength(1);
    expectDeviceShape(list[0]!);
    expect(list[0]).toMatchObject({
      deviceId: carol.deviceId,
      deviceName: 'Laptop',
      identityKey: carol.identity.identityKey,
      online: true,
      current: true,
    });
    expect(Math.abs((list[0]!.createdAt as number) - Date.now())).toBeLessThan(60_000);
  });

  test('removing another device: session.revoked then close 4003; it can no longer sign in', async () => {
    const bob = await h.newUser('bob');
    const phone = await linkDevice(h, bob);

    const r = await bob.c.request('devices.remove', { deviceId: phone.deviceId }, { id: 'r23' });
    expect(r).toMatchObject({ v: 1, type: 'devices', re: 'r23' });
    const list = devicesOf(r);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ deviceId: bob.deviceId, current: true, online: true });

    const info = await closedWithin(phone.c);
    expect(info.code).toBe(4003);
    // session.revoked arrived before the close (as the next notice of the phone's stream).
    const revoked = phone.c.log.filter((m) => m.type === 'session.revoked');
    expect(revoked).toEqual([
      { v: 1, type: 'session.revoked', reason: 'device_removed', seq: expect.any(Number) },
    ]);
    expect(phone.c.streamErrors).toEqual([]);

    // It can no longer sign in: not with auth.login, not by resuming its session.
    const c1 = await h.connect();
    const login = await c1.login(phone.identity, bob.username, phone.deviceId);
    expectError(login, 'auth_failed', login.re as string);
    const c2 = await h.connect();
    const resume = await c2.resume(phone);
    expectError(resume, 'session_invalid', resume.re as string);

    // Removing it again: it is no longer on the account.
    const again = await bob.c.request('devices.remove', { deviceId: phone.deviceId });
    expectError(again, 'unknown_device', again.re as string);
    expect(devicesOf(await bob.c.request('devices.list'))).toHaveLength(1);
    // The remaining device is unaffected.
    expect(bob.c.isClosed).toBe(false);
  });

  test('removing an offline device: it can no longer sign in', async () => {
    const bob = await h.newUser('bob');
    const phone = await linkDevice(h, bob);
    await phone.c.request('session.end');
    await phone.c.close();
    await settle();
    const before = devicesOf(await bob.c.request('devices.list'));
    expect(before.find((d) => d.deviceId === phone.deviceId)).toMatchObject({ online: false });
    expect(
      devicesOf(await bob.c.request('devices.remove', { deviceId: phone.deviceId })),
    ).toHaveLength(1);
    const c = await h.connect();
    const login = await c.login(phone.identity, bob.username, phone.deviceId);
    expectError(login, 'auth_failed', login.re as string);
  });

  test('removing a device that is in a call ends the call at once, as connection_lost', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const phone = await linkDevice(h, bob);
    const callId = crypto.randomUUID();
    const fingerprint =
      'sha-256 ' +
      Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':');
    const offer = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=fingerprint:${fingerprint}\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n`;
    const keyShare = makeKeyShare(
      alice.identity,
      { role: 'caller', callId, username: alice.username, deviceId: alice.deviceId },
      fingerprint,
    );
    expect(
      await alice.c.request('call.invite', {
        callId,
        to: bob.username,
        media: 'audio',
        sdp: offer,
        keyShare,
      }),
    ).toMatchObject({ type: 'ok' });
    await phone.c.next('call.invite', (m) => m.callId === callId);
    await bob.c.next('call.invite', (m) => m.callId === callId);
    phone.c.notify('call.accept', {
      callId,
      media: 'audio',
      sdp: offer.replace('o=- 1', 'o=- 2'),
      keyShare: makeKeyShare(
        phone.identity,
        { role: 'callee', callId, username: bob.username, deviceId: phone.deviceId },
        fingerprint,
      ),
    });
    await alice.c.next('call.accept', (m) => m.callId === callId);
    await bob.c.next('call.cancel', (m) => m.callId === callId);

    await bob.c.request('devices.remove', { deviceId: phone.deviceId });
    expect(await alice.c.next('call.hangup', (m) => m.callId === callId)).toEqual({
      v: 1,
      type: 'call.hangup',
      callId,
      reason: 'connection_lost',
    });
    expect((await closedWithin(phone.c)).code).toBe(4003);
  });

  test('devices.remove of the current device -> device_is_current; unknown -> unknown_device', async () => {
    const bob = await h.newUser('bob');
    const other = await h.newUser('other');
    const phone = await linkDevice(h, bob);

    const self = await bob.c.request('devices.remove', { deviceId: bob.deviceId });
    expectError(self, 'device_is_current', self.re as string);
    const selfPhone = await phone.c.request('devices.remove', { deviceId: phone.deviceId });
    expectError(selfPhone, 'device_is_current', selfPhone.re as string);

    const unknown = await bob.c.request('devices.remove', { deviceId: 'd_nosuchdevice0' });
    expectError(unknown, 'unknown_device', unknown.re as string);
    // A device of another account is "no such device on the asking account".
    const foreign = await bob.c.request('devices.remove', { deviceId: other.deviceId });
    expectError(foreign, 'unknown_device', foreign.re as string);

    // Errors change nothing.
    expect(devicesOf(await bob.c.request('devices.list'))).toHaveLength(2);
    expect(devicesOf(await other.c.request('devices.list'))).toHaveLength(1);
    expect(phone.c.isClosed).toBe(false);
    expect(other.c.isClosed).toBe(false);

    // The linked device may remove the first (root) device.
    const r = await phone.c.request('devices.remove', { deviceId: bob.deviceId });
    const list = devicesOf(r);
    expect(list.map((d) => d.deviceId)).toEqual([phone.deviceId]);
    expect((await closedWithin(bob.c)).code).toBe(4003);
  });
});
