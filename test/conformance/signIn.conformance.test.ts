/**
 * "Signing in", from docs/protocol.md alone: every sign-in text names the server origin the
 * client connected to, and `session.resume` answers a fresh challenge with the session device's
 * signature. A signature made for another origin, by another key or over another nonce signs
 * nothing in and changes nothing.
 */
import * as crypto from 'node:crypto';
import {
  loginText,
  makeIdentity,
  registerText,
  resumeText,
  serverOriginOf,
  sign,
  type DocClient,
  type Identity,
} from './DocClient';
import { expectError, useServer } from './harness';

jest.setTimeout(20_000);

const h = useServer();

/** A registration for `username`, signed over the register text naming `origin`. */
async function registerFor(c: DocClient, identity: Identity, username: string, origin: string) {
  const nonce = String((await c.hello()).nonce);
  return c.request('auth.register', {
    username,
    displayName: 'Someone',
    deviceName: 'Laptop',
    identityKey: identity.identityKey,
    nonce,
    signature: sign(
      identity.privateKey,
      registerText(origin, nonce, username, identity.identityKey),
    ),
  });
}

/** Whether the connection is signed in, as a protected request tells. */
async function signedIn(c: DocClient): Promise<boolean> {
  return (await c.request('contacts.list')).type === 'contacts';
}

describe('the server origin', () => {
  test('is the URL reduced to scheme, lower-case host and a port other than the default', () => {
    expect(serverOriginOf('wss://Chat.Example:443/ws')).toBe('wss://chat.example');
    expect(serverOriginOf('ws://127.0.0.1:8080/ws')).toBe('ws://127.0.0.1:8080');
    expect(serverOriginOf('ws://chat.example:80/ws')).toBe('ws://chat.example');
    expect(serverOriginOf('wss://chat.example:80/ws')).toBe('wss://chat.example:80');
    expect(serverOriginOf('ws://[::1]:9000/ws')).toBe('ws://[::1]:9000');
  });

  test('a registration signed for another origin -> auth_failed; no account is made', async () => {
    const { port } = new URL(h.url());
    const identity = makeIdentity();
    const username = h.uniqueName('origin');
    const c = await h.connect();
    const wrong = [
      'wss://evil.example',
      `wss://127.0.0.1:${port}`, // the other scheme
      `ws://127.0.0.1:${port}/ws`, // with the path
      `ws://127.0.0.1:${Number(port) + 1}`, // another port
      `ws://localhost:${port}`, // another name for the same server
    ];
    for (const origin of wrong) {
      const r = await registerFor(c, identity, username, origin);
      expect({ origin, code: r.code }).toEqual({ origin, code: 'auth_failed' });
    }
    expect(await signedIn(c)).toBe(false);
    const someone = await h.newUser('asker');
    expectError(await someone.c.request('user.lookup', { username }), 'unknown_user');
    // Signed for the origin connected to, the same registration is accepted.
    expect(await registerFor(c, identity, username, c.origin)).toMatchObject({ type: 'session' });
  });

  test('a login signed for another origin -> auth_failed; the device stays signed in elsewhere', async () => {
    const alice = await h.newUser('alice');
    const c = await h.connect();
    const nonce = String((await c.hello()).nonce);
    const r = await c.request('auth.login', {
      username: alice.username,
      deviceId: alice.deviceId,
      nonce,
      signature: sign(
        alice.identity.privateKey,
        loginText('wss://evil.example', nonce, alice.username, alice.deviceId),
      ),
    });
    expectError(r, 'auth_failed', r.re as string);
    expect(await signedIn(c)).toBe(false);
    expect(await signedIn(alice.c)).toBe(true);
  });

  test('is the Host the upgrade was sent to: a port other than the default is kept, 80 dropped', async () => {
    const onPort = await h.connect({ Host: 'localhost:8443' });
    expect(onPort.origin).toBe('ws://localhost:8443');
    const identity = makeIdentity();
    const username = h.uniqueName('hostport');
    const r = await registerFor(onPort, identity, username, 'ws://localhost');
    expectError(r, 'auth_failed', r.re as string);
    expect(await registerFor(onPort, identity, username, onPort.origin)).toMatchObject({
      type: 'session',
    });

    const onDefault = await h.connect({ Host: 'LocalHost:80' });
    expect(onDefault.origin).toBe('ws://localhost');
    const other = makeIdentity();
    const name = h.uniqueName('hostdefault');
    const withPort = await registerFor(onDefault, other, name, 'ws://localhost:80');
    expectError(withPort, 'auth_failed', withPort.re as string);
    expect(await registerFor(onDefault, other, name, 'ws://localhost')).toMatchObject({
      type: 'session',
    });
  });
});

describe('session.resume', () => {
  test('after hello, signed over the resume text with the device key -> session', async () => {
    const alice = await h.newUser('resumer');
    const c = await h.connect();
    const nonce = String((await c.hello()).nonce);
    const text = `parley-auth-v2\nresume\n${c.origin}\n${nonce}\n${alice.sessionId}`;
    expect(resumeText(c.origin, nonce, alice.sessionId)).toBe(text);
    const r = await c.request('session.resume', {
      sessionId: alice.sessionId,
      nonce,
      signature: sign(alice.identity.privateKey, text),
    });
    expect(r).toMatchObject({
      type: 'session',
      sessionId: alice.sessionId,
      deviceId: alice.deviceId,
    });
    expect(await signedIn(c)).toBe(true);
  });

  test('without hello first -> no_challenge', async () => {
    const alice = await h.newUser('nohello');
    const c = await h.connect();
    const nonce = crypto.randomBytes(32).toString('base64');
    const r = await c.request('session.resume', {
      sessionId: alice.sessionId,
      nonce,
      signature: sign(alice.identity.privateKey, resumeText(c.origin, nonce, alice.sessionId)),
    });
    expectError(r, 'no_challenge', r.re as string);
    expect(await signedIn(c)).toBe(false);
    expect(await signedIn(alice.c)).toBe(true);
  });

  test('a valid session id with a signature by another key -> session_invalid; the nonce is spent', async () => {
    const alice = await h.newUser('stolen');
    const c = await h.connect();
    const nonce = String((await c.hello()).nonce);
    const { sessionId } = alice;
    const thief = makeIdentity();
    const r = await c.request('session.resume', {
      sessionId,
      nonce,
      signature: sign(thief.privateKey, resumeText(c.origin, nonce, sessionId)),
    });
    expectError(r, 'session_invalid', r.re as string);
    const again = await c.request('session.resume', {
      sessionId,
      nonce,
      signature: sign(alice.identity.privateKey, resumeText(c.origin, nonce, sessionId)),
    });
    expectError(again, 'challenge_expired', again.re as string);
    expect(await signedIn(c)).toBe(false);
    // Nothing changed: alice is still signed in, and her session resumes when she asks.
    expect(await signedIn(alice.c)).toBe(true);
    expect(await (await h.connect()).resume(alice)).toMatchObject({ type: 'session' });
  });

  test('a signature over another nonce or for another origin -> session_invalid', async () => {
    const alice = await h.newUser('replayed');
    const { sessionId } = alice;
    const c = await h.connect();
    const nonce = String((await c.hello()).nonce);
    const otherNonce = crypto.randomBytes(32).toString('base64');
    const overOtherNonce = await c.request('session.resume', {
      sessionId,
      nonce,
      signature: sign(alice.identity.privateKey, resumeText(c.origin, otherNonce, sessionId)),
    });
    expectError(overOtherNonce, 'session_invalid', overOtherNonce.re as string);
    const nonce2 = String((await c.hello()).nonce);
    const forElsewhere = await c.request('session.resume', {
      sessionId,
      nonce: nonce2,
      signature: sign(
        alice.identity.privateKey,
        resumeText('wss://evil.example', nonce2, sessionId),
      ),
    });
    expectError(forElsewhere, 'session_invalid', forElsewhere.re as string);
    expect(await signedIn(c)).toBe(false);
    expect(await signedIn(alice.c)).toBe(true);
  });

  test('a revoked session, signed correctly -> session_invalid', async () => {
    const alice = await h.newUser('revoked');
    expect(await alice.c.request('session.end')).toMatchObject({ type: 'ok' });
    const c = await h.connect();
    const r = await c.resume(alice);
    expectError(r, 'session_invalid', r.re as string);
    expect(await signedIn(c)).toBe(false);
  });
});
