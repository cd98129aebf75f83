/**
 * Independent conformance check of "End-to-end keys" in docs/protocol.md, from the server's side:
 * identity chains attached to call.invite / call.accept, key shares relayed as sent (and never
 * checked by the server), and call.rekey relayed between the two parties only.
 *
 * The checks a receiving client makes (chain link by link, key share signature with the chain's
 * last key, fingerprint against the SDP, root against the pinned `identityKey`) are done here
 * with DocClient's verifier, written from the document alone.
 */
import * as crypto from 'node:crypto';
import {
  certifyText,
  chainProblem,
  keyShareText,
  keyShareVerifies,
  makeKeyShare,
  KEY_SHARE_MAX_AGE_MS,
  KEY_SHARE_MAX_FUTURE_MS,
  type KeyShare,
  sdpFingerprint,
  verifySignature,
  type ChainLink,
  type Msg,
} from './DocClient';
import { fingerprintOf, sdp } from './sdpFixtures';
import {
  B64_64,
  byCall,
  expectError,
  inviteFrom,
  keyShareOf,
  linkDevice,
  useServer,
  type User,
} from './harness';

jest.setTimeout(20_000);

// The tampering test rings one callee eight times in a row, over the default redial burst.
const h = useServer({ ringTimeoutMs: 15_000, redialBurst: 20 });

type Share = KeyShare;

const CALLER_FP = fingerprintOf(1);
const CALLEE_FP = fingerprintOf(2);
const OFFER = sdp('offer', CALLER_FP);
const ANSWER = sdp('answer', CALLEE_FP);

/** Caller invites; every device in `ringing` receives the invite. */
async function invite(
  caller: User,
  to: string,
  ringing: User[],
  keyShare?: Share,
  callId: string = crypto.randomUUID(),
) {
  const ks = keyShare ?? keyShareOf(caller, 'caller', callId, CALLER_FP);
  const ok = await caller.c.request('call.invite', {
    callId,
    to,
    media: 'audio',
    sdp: OFFER,
    keyShare: ks,
  });
  expect(ok).toMatchObject({ type: 'ok' });
  const invites = await Promise.all(ringing.map((d) => d.c.next('call.invite', byCall(callId))));
  return { callId, keyShare: ks, invites };
}

/** `device` accepts; the caller receives call.accept. */
async function accept(caller: User, device: User, callId: string, keyShare?: Share) {
  const ks = keyShare ?? keyShareOf(device, 'callee', callId, CALLEE_FP);
  device.c.notify('call.accept', { callId, media: 'audio', sdp: ANSWER, keyShare: ks });
  const acc = await caller.c.next('call.accept', byCall(callId));
  return { keyShare: ks, acc };
}

async function hangup(a: User, b: User, callId: string) {
  a.c.notify('call.hangup', { callId });
  await b.c.next('call.hangup', byCall(callId));
}

/** The receiving client's whole check of an incoming call.invite. */
function inviteVerifies(inv: Msg, pinnedRoot: string): boolean {
  const from = inv.from as { username: string; deviceId: string; identity: ChainLink[] };
  return (
    chainProblem(from.identity, from.username) === null &&
    from.identity[0]!.identityKey === pinnedRoot &&
    keyShareVerifies(
      from.identity,
      {
        role: 'caller',
        callId: String(inv.callId),
        username: from.username,
        deviceId: from.deviceId,
      },
      inv.keyShare,
      String(inv.sdp),
    )
  );
}

/** The caller's whole check of a call.accept from `calleeUsername`. */
function acceptVerifies(acc: Msg, calleeUsername: string, pinnedRoot: string): boolean {
  const chain = acc.identity as ChainLink[];
  return (
    chainProblem(chain, calleeUsername) === null &&
    chain[0]!.identityKey === pinnedRoot &&
    keyShareVerifies(
      chain,
      {
        role: 'callee',
        callId: String(acc.callId),
        username: calleeUsername,
        deviceId: String(acc.deviceId),
      },
      acc.keyShare,
      String(acc.sdp),
    )
  );
}

async function rootOf(asker: User, username: string): Promise<string> {
  const u = await asker.c.request('user.lookup', { username });
  expect(u).toMatchObject({ type: 'user', username });
  return String(u.identityKey);
}

describe('identity chains and key shares', () => {
  test('Alice calls Bob (two devices): both ring with her chain and key share; the linked device answers', async () => {
    const alice = await h.newUser('alice');
    const aliceTablet = await linkDevice(h, alice, 'Tablet');
    const bob = await h.newUser('bob');
    const bobPhone = await linkDevice(h, bob, 'Phone');
    const carol = await h.newUser('carol');

    // Trust on first use: each side pins the other's root from user.lookup.
    const aliceRoot = await rootOf(bob, alice.username);
    expect(aliceRoot).toBe(alice.identity.identityKey);
    const bobRoot = await rootOf(alice, bob.username);
    expect(bobRoot).toBe(bob.identity.identityKey);

    // Alice's key share, signed over the documented text.
    const callId = crypto.randomUUID();
    const aliceShare = keyShareOf(alice, 'caller', callId, CALLER_FP);
    const text =
      `parley-call-v2\ncaller\n${callId}\n${alice.username}\n${alice.deviceId}\n` +
      `${aliceShare.ephemeralKey}\n${CALLER_FP}\n${aliceShare.signedAt}`;
    expect(
      keyShareText({
        role: 'caller',
        callId,
        username: alice.username,
        deviceId: alice.deviceId,
        ephemeralKey: aliceShare.ephemeralKey,
        fingerprint: CALLER_FP,
        signedAt: aliceShare.signedAt,
      }),
    ).toBe(text);
    expect(verifySignature(alice.identity.identityKey, text, aliceShare.signature)).toBe(true);

    const { invites } = await invite(alice, bob.username, [bob, bobPhone], aliceShare, callId);
    for (const inv of invites) {
      expect(inv).toEqual({
        v: 1,
        type: 'call.invite',
        callId,
        from: inviteFrom(alice),
        media: 'audio',
        sdp: OFFER,
        keyShare: aliceShare,
      });
      // What a callee client checks before ringing.
      const from = inv.from as { username: string; deviceId: string; identity: ChainLink[] };
      const last = from.identity[from.identity.length - 1]!;
      const received = inv.keyShare as Share;
      const signed = keyShareText({
        role: 'caller',
        callId,
        username: from.username,
        deviceId: from.deviceId,
        ephemeralKey: received.ephemeralKey,
        fingerprint: received.fingerprint,
        signedAt: received.signedAt,
      });
      expect(verifySignature(last.identityKey, signed, received.signature)).toBe(true);
      expect(sdpFingerprint(String(inv.sdp))).toBe(received.fingerprint);
      expect(inviteVerifies(inv, aliceRoot)).toBe(true);
    }
    // Alice's other device is not disturbed by her own call.
    expect(await aliceTablet.c.collect('call.invite', byCall(callId), 200)).toEqual([]);

    bob.c.notify('call.ringing', { callId });
    bobPhone.c.notify('call.ringing', { callId });
    expect(await alice.c.next('call.ringing', byCall(callId))).toEqual({
      v: 1,
      type: 'call.ringing',
      callId,
    });

    // Bob's linked phone answers.
    const { keyShare: phoneShare, acc } = await accept(alice, bobPhone, callId);
    expect(acc).toEqual({
      v: 1,
      type: 'call.accept',
      callId,
      media: 'audio',
      sdp: ANSWER,
      deviceId: bobPhone.deviceId,
      identity: [
        { identityKey: bob.identity.identityKey, signature: null },
        {
          identityKey: bobPhone.identity.identityKey,
          signature: expect.stringMatching(B64_64),
          link: bobPhone.link,
        },
      ],
      keyShare: phoneShare,
    });

    // The chain verifies link by link with the documented certificate text.
    const chain = acc.identity as ChainLink[];
    expect(chain[0]!.signature).toBeNull();
    const { code, expiresAt } = bobPhone.link;
    const link1 = `parley-link-v2\ncertify\n${bob.username}\n${bobPhone.identity.identityKey}\n${code}\n${expiresAt}`;
    expect(certifyText(bob.username, chain[1]!.identityKey, code, expiresAt)).toBe(link1);
    expect(verifySignature(chain[0]!.identityKey, link1, chain[1]!.signature)).toBe(true);
    expect(chainProblem(chain, bob.username)).toBeNull();
    // It is the certificate Bob's first device signed in link.approve (Ed25519 is deterministic).
    const approveCert = crypto
      .sign(null, Buffer.from(link1, 'utf8'), bob.identity.privateKey)
      .toString('base64');
    expect(chain[1]!.signature).toBe(approveCert);
    // Its root equals the identityKey that user and contacts report for bob.
    expect(chain[0]!.identityKey).toBe(bobRoot);
    const contacts = await alice.c.request('contacts.list');
    const bobContact = (contacts.contacts as Msg[]).find((x) => x.username === bob.username);
    expect(bobContact).toMatchObject({ identityKey: bobRoot });
    // The key share verifies with the chain's last key (callee's username, the accept's deviceId).
    expect(acceptVerifies(acc, bob.username, bobRoot)).toBe(true);
    // ... and not with the root key: the last key is the one that counts.
    const calleeText = keyShareText({
      role: 'callee',
      callId,
      username: bob.username,
      deviceId: bobPhone.deviceId,
      ephemeralKey: phoneShare.ephemeralKey,
      fingerprint: phoneShare.fingerprint,
      signedAt: phoneShare.signedAt,
    });
    expect(verifySignature(chain[0]!.identityKey, calleeText, phoneShare.signature)).toBe(false);

    // The other Bob device stops ringing.
    expect(await bob.c.next('call.cancel', byCall(callId))).toEqual({
      v: 1,
      type: 'call.cancel',
      callId,
      reason: 'answered_elsewhere',
    });

    // call.rekey is relayed between the two parties only, unchanged.
    alice.c.notify('call.rekey', { callId });
    expect(await bobPhone.c.next('call.rekey', byCall(callId))).toEqual({
      v: 1,
      type: 'call.rekey',
      callId,
    });
    bobPhone.c.notify('call.rekey', { callId });
    expect(await alice.c.next('call.rekey', byCall(callId))).toEqual({
      v: 1,
      type: 'call.rekey',
      callId,
    });
    // A non-party is refused with not_in_call (re null, callId) and nothing is relayed.
    carol.c.notify('call.rekey', { callId });
    const refused = await carol.c.next('error', byCall(callId));
    expectError(refused, 'not_in_call', null);
    expect(refused.callId).toBe(callId);
    // Bob's other device and Alice's tablet are not parties either ("A call has two parties").
    // Whether a callee device that lost the answer race gets not_in_call or call_state is not
    // said (call_state is listed for call.ice / call.media "from a callee device that has not
    // accepted"); either is accepted here.
    bob.c.notify('call.rekey', { callId });
    const fromOther = await bob.c.next('error', byCall(callId));
    expect(['not_in_call', 'call_state']).toContain(fromOther.code);
    expect(fromOther.re).toBeNull();
    aliceTablet.c.notify('call.rekey', { callId });
    const fromTablet = await aliceTablet.c.next('error', byCall(callId));
    expectError(fromTablet, 'not_in_call', null);

    await new Promise((r) => setTimeout(r, 250));
    for (const d of [alice, bobPhone]) {
      expect(await d.c.collect('call.rekey', byCall(callId), 0)).toEqual([]);
    }
    for (const d of [bob, aliceTablet, carol]) {
      expect(await d.c.collect('call.rekey', byCall(callId), 0)).toEqual([]);
    }
    // The sender gets nothing back.
    expect(await alice.c.collect('error', byCall(callId), 0)).toEqual([]);
    expect(await bobPhone.c.collect('error', byCall(callId), 0)).toEqual([]);

    await hangup(alice, bobPhone, callId);
    // ENDED is final: "any further message about the call gets unknown_call".
    alice.c.notify('call.rekey', { callId });
    const ended = await alice.c.next('error', byCall(callId));
    expectError(ended, 'unknown_call', null);
    expect(ended.callId).toBe(callId);
  });

  test('a chain of three (linked by a linked device) verifies; keys a removed device certified stay valid', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const phone = await linkDevice(h, bob, 'Phone');
    const tablet = await linkDevice(h, phone, 'Tablet');
    const bobRoot = await rootOf(alice, bob.username);

    const expectThree = (chain: unknown) => {
      expect(chain).toEqual([
        { identityKey: bob.identity.identityKey, signature: null },
        {
          identityKey: phone.identity.identityKey,
          signature: expect.stringMatching(B64_64),
          link: phone.link,
        },
        {
          identityKey: tablet.identity.identityKey,
          signature: expect.stringMatching(B64_64),
          link: tablet.link,
        },
      ]);
      const links = chain as ChainLink[];
      expect(
        verifySignature(
          links[1]!.identityKey,
          certifyText(bob.username, links[2]!.identityKey, tablet.link.code, tablet.link.expiresAt),
          links[2]!.signature,
        ),
      ).toBe(true);
      expect(chainProblem(chain, bob.username)).toBeNull();
      expect(chainProblem(chain, alice.username)).not.toBeNull();
    };

    // The tablet answers a call.
    const first = await invite(alice, bob.username, [bob, phone, tablet]);
    const { acc } = await accept(alice, tablet, first.callId);
    expectThree(acc.identity);
    expect(acceptVerifies(acc, bob.username, bobRoot)).toBe(true);
    await hangup(alice, tablet, first.callId);

    // The tablet calls: from.identity is its chain.
    const second = await invite(tablet, alice.username, [alice]);
    const inv = second.invites[0]!;
    expect(inv.from).toMatchObject({ username: bob.username, deviceId: tablet.deviceId });
    expectThree((inv.from as Msg).identity);
    expect(inviteVerifies(inv, bobRoot)).toBe(true);
    alice.c.notify('call.decline', { callId: second.callId });
    await tablet.c.next('call.decline', byCall(second.callId));

    // Remove the phone, which certified the tablet: the tablet's chain still verifies.
    await bob.c.request('devices.remove', { deviceId: phone.deviceId });
    await phone.c.closed;
    const third = await invite(alice, bob.username, [bob, tablet]);
    const again = await accept(alice, tablet, third.callId);
    expectThree(again.acc.identity);
    expect(acceptVerifies(again.acc, bob.username, bobRoot)).toBe(true);
    await hangup(tablet, alice, third.callId);
    // And the tablet can still sign in with auth.login.
    const c = await h.connect();
    expect(await c.login(tablet.identity, bob.username, tablet.deviceId)).toMatchObject({
      type: 'session',
      deviceId: tablet.deviceId,
    });
  });

  test('tampered key shares are relayed unchanged; a client-side check refuses them', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const mallory = await h.newUser('mallory');
    const aliceRoot = await rootOf(bob, alice.username);
    const bobRoot = await rootOf(alice, bob.username);
    const otherKey = keyShareOf(mallory, 'caller', crypto.randomUUID(), CALLER_FP).ephemeralKey;

    const tamperings: Array<[string, (good: Share, callId: string) => Share]> = [
      ['ephemeralKey swapped after signing', (good) => ({ ...good, ephemeralKey: otherKey })],
      [
        'fingerprint swapped after signing',
        (good) => ({ ...good, fingerprint: fingerprintOf(99) }),
      ],
      [
        'signed by another identity',
        (_good, callId) =>
          makeKeyShare(
            mallory.identity,
            { role: 'caller', callId, username: alice.username, deviceId: alice.deviceId },
            CALLER_FP,
          ),
      ],
      [
        'signed for the other role',
        (_good, callId) => keyShareOf(alice, 'callee', callId, CALLER_FP),
      ],
      [
        'signed for another call',
        () => keyShareOf(alice, 'caller', crypto.randomUUID(), CALLER_FP),
      ],
      [
        'validly signed, but over a fingerprint that is not the SDP one',
        (_good, callId) => keyShareOf(alice, 'caller', callId, fingerprintOf(7)),
      ],
    ];

    for (const [what, tamper] of tamperings) {
      const callId = crypto.randomUUID();
      const good = keyShareOf(alice, 'caller', callId, CALLER_FP);
      const bad = tamper(good, callId);
      const ok = await alice.c.request('call.invite', {
        callId,
        to: bob.username,
        media: 'audio',
        sdp: OFFER,
        keyShare: bad,
      });
      // The server only checks schemas: the invite goes through.
      expect({ what, ok }).toMatchObject({ what, ok: { type: 'ok' } });
      const inv = await bob.c.next('call.invite', byCall(callId));
      expect({ what, keyShare: inv.keyShare }).toEqual({ what, keyShare: bad });
      expect({ what, verifies: inviteVerifies(inv, aliceRoot) }).toEqual({
        what,
        verifies: false,
      });
      // The callee declines it without ringing.
      bob.c.notify('call.decline', { callId });
      await alice.c.next('call.decline', byCall(callId));
    }

    // A tampered answer is relayed unchanged to the caller, who refuses it and hangs up.
    const { invites } = await invite(alice, bob.username, [bob]);
    expect(inviteVerifies(invites[0]!, aliceRoot)).toBe(true);
    const realId = String(invites[0]!.callId);
    const good = keyShareOf(bob, 'callee', realId, CALLEE_FP);
    const bad = { ...good, ephemeralKey: otherKey };
    const { acc } = await accept(alice, bob, realId, bad);
    expect(acc.keyShare).toEqual(bad);
    expect(acc.identity).toEqual([{ identityKey: bob.identity.identityKey, signature: null }]);
    expect(acceptVerifies(acc, bob.username, bobRoot)).toBe(false);
    // The same accept with the untampered share would have verified.
    expect(acceptVerifies({ ...acc, keyShare: good }, bob.username, bobRoot)).toBe(true);
    await hangup(alice, bob, realId);
  });

  test('a chain whose root is not the pinned root is refused by the client', async () => {
    // Two accounts: the pinned root of one does not match the chain of the other.
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const { invites } = await invite(alice, bob.username, [bob]);
    const inv = invites[0]!;
    expect(inviteVerifies(inv, alice.identity.identityKey)).toBe(true);
    expect(inviteVerifies(inv, bob.identity.identityKey)).toBe(false);
    alice.c.notify('call.cancel', { callId: inv.callId });
    expect(await bob.c.next('call.cancel', byCall(String(inv.callId)))).toMatchObject({
      reason: 'cancelled',
    });
  });

  test('a receiver refuses a relayed share signed too long ago or too far ahead of its clock', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const verdicts: Record<string, boolean> = {};
    for (const [what, offset] of [
      ['just now', 0],
      ['6 minutes ago', -(KEY_SHARE_MAX_AGE_MS + 60_000)],
      ['2 minutes ahead', KEY_SHARE_MAX_FUTURE_MS + 60_000],
    ] as const) {
      const callId = crypto.randomUUID();
      const ks = makeKeyShare(
        alice.identity,
        { role: 'caller', callId, username: alice.username, deviceId: alice.deviceId },
        CALLER_FP,
        Date.now() + offset,
      );
      // The server relays the share as it is (signedAt included): the check is the receiver's.
      const { invites } = await invite(alice, bob.username, [bob], ks, callId);
      expect(invites[0]!.keyShare).toEqual(ks);
      verdicts[what] = inviteVerifies(invites[0]!, alice.identity.identityKey);
      alice.c.notify('call.cancel', { callId });
      await bob.c.next('call.cancel', byCall(callId));
    }
    expect(verdicts).toEqual({
      'just now': true,
      '6 minutes ago': false,
      '2 minutes ahead': false,
    });
  });

  test('the server checks key share schemas: malformed or missing keyShare -> bad_message', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = crypto.randomUUID();
    const good = keyShareOf(alice, 'caller', callId, CALLER_FP);
    const cases: Array<[string, unknown]> = [
      ['lower-case fingerprint', { ...good, fingerprint: CALLER_FP.toLowerCase() }],
      ['short signature', { ...good, signature: good.signature.slice(4) }],
      ['ephemeralKey not 32 bytes', { ...good, ephemeralKey: 'AAAA' }],
      ['extra field', { ...good, role: 'caller' }],
      ['no signedAt (an old parley-call-v1 share)', { ...good, signedAt: undefined }],
      ['signedAt not an integer', { ...good, signedAt: good.signedAt + 0.5 }],
      ['signedAt a string', { ...good, signedAt: String(good.signedAt) }],
      ['signedAt negative', { ...good, signedAt: -1 }],
      ['missing', undefined],
    ];
    for (const [what, keyShare] of cases) {
      const fields: Record<string, unknown> = {
        callId,
        to: bob.username,
        media: 'audio',
        sdp: OFFER,
      };
      if (keyShare !== undefined) fields.keyShare = keyShare;
      const r = await alice.c.request('call.invite', fields);
      expect({ what, code: r.code, type: r.type }).toEqual({
        what,
        code: 'bad_message',
        type: 'error',
      });
    }
    expect(await bob.c.collect('call.invite', byCall(callId), 200)).toEqual([]);
  });

  test('call.rekey before the answer, or about an unknown call, is refused', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const { callId } = await invite(alice, bob.username, [bob]);
    // "In ACCEPTED either party may send call.rekey"; a message the current state does not allow
    // gets call_state (the document's list of examples does not name call.rekey).
    alice.c.notify('call.rekey', { callId });
    const early = await alice.c.next('error', byCall(callId));
    expectError(early, 'call_state', null);
    bob.c.notify('call.rekey', { callId });
    const earlyCallee = await bob.c.next('error', byCall(callId));
    expectError(earlyCallee, 'call_state', null);
    expect(await bob.c.collect('call.rekey', byCall(callId), 200)).toEqual([]);
    expect(await alice.c.collect('call.rekey', byCall(callId), 0)).toEqual([]);

    const unknown = crypto.randomUUID();
    alice.c.notify('call.rekey', { callId: unknown });
    const u = await alice.c.next('error', byCall(unknown));
    expectError(u, 'unknown_call', null);

    alice.c.notify('call.rekey', { callId, epoch: 1 });
    const extra = await alice.c.next('error', (m) => m.code === 'bad_message');
    expect(extra.re).toBeNull();

    alice.c.notify('call.cancel', { callId });
    await bob.c.next('call.cancel', byCall(callId));
  });
});
