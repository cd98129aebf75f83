import { loginChallengeText, registerChallengeText, resumeChallengeText } from '../../../protocol';
import { registerDevice, signIn } from '../../../renderer/signaling/authFlow';
import { SignalingClient } from '../../../renderer/signaling/SignalingClient';
import {
  b64,
  FakeServer,
  NodeHost,
  recordingApp,
  serveRegister,
  sessionReply,
} from './fakeSignaling';

const alice = { username: 'alice', displayName: 'Alice' };

function setup(options: { timeoutMs?: number; seen?: string[] } = {}) {
  const server = new FakeServer();
  const host = new NodeHost();
  const events = { sessions: 0, disconnects: 0 };
  const client = new SignalingClient({
    url: 'ws://127.0.0.1:1/ws',
    openSocket: server.opener,
    notifications: recordingApp(options.seen),
    requestTimeoutMs: options.timeoutMs ?? 2_000,
    delayForAttempt: () => 0,
    onSession: () => void (events.sessions += 1),
    onDisconnected: () => void (events.disconnects += 1),
  });
  return { server, host, client, events };
}

describe('SignalingClient', () => {
  test('first run registers with a signature over the challenge and remembers the account', async () => {
    const { server, host, client, events } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    expect(client.state.value).toBe('connecting');
    const { nonce, register, sessionId } = await serveRegister(server);
    const session = await started;
    expect(session.sessionId).toBe(sessionId);

    expect(session.user).toEqual(alice);
    expect(client.state.value).toBe('online');
    expect(events.sessions).toBe(1);
    expect(register.deviceName).toBe('Test device');
    const text = registerChallengeText({
      origin: 'ws://127.0.0.1:1',
      nonce,
      username: 'alice',
      identityKey: register.identityKey,
    });
    expect(host.verify(text, register.signature)).toBe(true);
    expect(host.account).toEqual({ ...alice, deviceId: 'device_0001' });
    client.stop();
  });

  test('concurrent requests are matched to their replies by id, whatever the order', async () => {
    const { server, host, client } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;

    const contacts = client.request('contacts.list', {});
    const lookup = client.request('user.lookup', { username: 'bob' });
    const listed = await server.next('contacts.list');
    const looked = await server.next('user.lookup');
    server.latest.push({
      v: 1,
      type: 'user',
      re: looked.id,
      username: 'bob',
      displayName: 'Bob',
      presence: 'online',
      identityKey: b64(),
    });
    server.latest.push({ v: 1, type: 'contacts', re: listed.id, contacts: [], next: null });

    await expect(lookup).resolves.toMatchObject({ displayName: 'Bob' });
    await expect(contacts).resolves.toMatchObject({ contacts: [] });
    client.stop();
  });

  test('a request the server never answers fails with timeout', async () => {
    const { server, host, client } = setup({ timeoutMs: 40 });
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;
    await expect(client.request('calllog.list', { limit: 5 })).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(client.state.value).toBe('online');
    client.stop();
  });

  test('invalid JSON and schema violations from the server are dropped; the client keeps working', async () => {
    const seen: string[] = [];
    const { server, host, client } = setup({ seen });
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    server.latest.push('{not json');
    server.latest.push('{"v":1,"type":"presence","username":"bob","presence":"dancing"}');
    server.latest.push('{"v":2,"type":"presence","username":"bob","presence":"online"}');
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
    server.latest.push({ v: 1, type: 'presence', username: 'bob', presence: 'online' });
    expect(seen).toEqual(['presence']);
    client.stop();
  });

  test('refuses to send a message the protocol does not allow, and sends nothing', async () => {
    const { server, host, client } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;
    const before = server.latest.received.length;
    await expect(client.request('user.lookup', { username: 'Not Valid!' })).rejects.toThrow(
      /username/,
    );
    expect(server.latest.received.length).toBe(before);
    client.stop();
  });

  test('a dropped connection fails pending requests, then reconnects and resumes its session', async () => {
    const { server, host, client, events } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    const { sessionId } = await serveRegister(server);
    await started;

    const pending = client.request('contacts.list', {});
    server.latest.drop();
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    expect(events.disconnects).toBe(1);
    // A notice made meanwhile waits for the next session instead of being lost.
    expect(client.notify('call.ringing', { callId: '6f1c2f0e-8a3b-4c55-9d7e-0b1a2c3d4e5f' })).toBe(
      false,
    );

    // The reconnect takes a few async hops (its delay is 0 here); wait for it, do not race it.
    for (let turn = 0; turn < 200 && server.sockets.length < 2; turn += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(server.sockets).toHaveLength(2);
    const nonce = await server.answerHello();
    const resume = await server.next('session.resume');
    expect(resume).toMatchObject({ sessionId, nonce });
    const text = resumeChallengeText({ origin: 'ws://127.0.0.1:1', nonce, sessionId });
    expect(host.verify(text, resume.signature)).toBe(true);
    server.latest.push(sessionReply(resume.id, alice, 'device_0001', { sessionId }));
    for (let i = 0; i < 50 && client.state.value !== 'online'; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(client.state.value).toBe('online');
    expect(events.sessions).toBe(2);
    expect(server.latest.sent('call.ringing')).toEqual([
      { v: 1, type: 'call.ringing', callId: '6f1c2f0e-8a3b-4c55-9d7e-0b1a2c3d4e5f', seq: 1 },
    ]);
    client.stop();
  });

  test('a started app has no session to resume: it logs in, signing the challenge', async () => {
    const { server, host, client } = setup();
    await host.createIdentity();
    host.account = { ...alice, deviceId: 'device_0001' };
    const started = client.start(signIn(host), signIn(host));
    const nonce = await server.answerHello();
    const login = await server.next('auth.login');
    expect(login).toMatchObject({ username: 'alice', deviceId: 'device_0001', nonce });
    const text = loginChallengeText({
      origin: 'ws://127.0.0.1:1',
      nonce,
      username: 'alice',
      deviceId: 'device_0001',
    });
    expect(host.verify(text, login.signature)).toBe(true);
    const sessionId = b64();
    server.latest.push(sessionReply(login.id, alice, 'device_0001', { sessionId }));
    await expect(started).resolves.toMatchObject({ sessionId });
    client.stop();
  });

  test('a refused resume falls back to a signed login on a fresh challenge', async () => {
    const { server, host, client } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;
    server.latest.drop();
    for (let turn = 0; turn < 200 && server.sockets.length < 2; turn += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const used = await server.answerHello();
    const resume = await server.next('session.resume');
    expect(resume.nonce).toBe(used);
    const answered = server.latest.received.length;
    server.latest.push({
      v: 1,
      type: 'error',
      re: resume.id,
      code: 'session_invalid',
      message: 'expired',
    });
    // The refused resume used its nonce up: the login answers a new one.
    const fresh = await server.answerHello(b64(), answered);
    const login = await server.next('auth.login', answered);
    expect(login.nonce).toBe(fresh);
    const sessionId = b64();
    server.latest.push(sessionReply(login.id, alice, 'device_0001', { sessionId }));
    for (let i = 0; i < 50 && client.state.value !== 'online'; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(client.state.value).toBe('online');
    client.stop();
  });

  test('a refused registration rejects start and does not reconnect', async () => {
    const { server, host, client } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    await server.answerHello();
    const register = await server.next('auth.register');
    server.latest.push({
      v: 1,
      type: 'error',
      re: register.id,
      code: 'username_taken',
      message: 'That username is taken.',
    });
    await expect(started).rejects.toMatchObject({ code: 'username_taken' });
    expect(client.state.value).toBe('offline');
    expect(server.latest.closed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.sockets).toHaveLength(1);
    expect(host.account).toBeNull();
  });
});
