import { linkRequestText, loginChallengeText } from '../../../protocol';
import { NewDeviceLinkModel } from '../../../renderer/devices/NewDeviceLinkModel';
import { signIn } from '../../../renderer/signaling/authFlow';
import { LinkRejectedError, LinkWaiter, linkDevice } from '../../../renderer/signaling/linkFlow';
import { SignalingClient } from '../../../renderer/signaling/SignalingClient';
import { SessionModel } from '../../../renderer/state/SessionModel';
import {
  b64,
  FakeServer,
  NodeHost,
  recordingApp,
  sessionExtras,
  sessionReply,
  verifiesWith,
} from './fakeSignaling';

const CODE = '7KQ2-M9XD-4TRB';
const bob = { username: 'bob', displayName: 'Bob' };

/** A new device's app: a session model whose link notifications reach its link model. */
function newDevice() {
  const server = new FakeServer();
  const host = new NodeHost();
  const link = new NewDeviceLinkModel(host);
  let session: SessionModel | null = null;
  const client = new SignalingClient({
    url: 'ws://127.0.0.1:1/ws',
    openSocket: server.opener,
    notifications: recordingApp([], {
      'link.approved': (m) => link.onApproved(m),
      'link.rejected': (m) => link.onRejected(m),
    }),
    requestTimeoutMs: 2_000,
    delayForAttempt: () => 0,
    onSession: (reply) => session?.onSession(reply),
  });
  session = new SessionModel(host, client, link);
  return { server, host, link, client, session };
}

/** Plays the server up to link.code, checking the request; returns the request and nonce. */
async function serveLinkRequest(server: FakeServer, code = CODE) {
  const nonce = await server.answerHello();
  const request = await server.next('link.request');
  server.latest.push({
    v: 1,
    type: 'link.code',
    re: request.id,
    code,
    expiresAt: Date.now() + 300_000,
  });
  return { request, nonce };
}

/** Waits for an event (the fingerprint is Web Crypto work in the thread pool): by time, not turns. */
async function until(condition: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('linking a new device', () => {
  test('shows the code, and once approved is signed in with the account stored', async () => {
    const { server, host, link, client, session } = newDevice();
    const linking = session.link('  Bob laptop ');
    expect(session.status.value).toBe('linking');

    const { request, nonce } = await serveLinkRequest(server);
    expect(request.deviceName).toBe('Bob laptop');
    // The key exists before the request, and the request proves this device holds it.
    expect(request.identityKey).toBe(await host.getIdentityPublicKey());
    expect(
      verifiesWith(
        request.identityKey,
        linkRequestText({ origin: host.origin, nonce, identityKey: request.identityKey }),
        request.signature,
      ),
    ).toBe(true);

    await until(() => link.shown.value !== null, 'the code to be shown');
    expect(link.shown.value).toMatchObject({ code: CODE, identityKey: request.identityKey });
    expect(link.shown.value?.qrDataUrl).toMatch(/^data:image\/gif;base64,[A-Za-z0-9+/]+=*$/);
    await until(() => Boolean(link.shown.value?.keyFingerprint), 'the key fingerprint');
    expect(link.shown.value?.keyFingerprint).toMatch(/^([0-9A-F]{4} ){4}[0-9A-F]{4}$/);
    expect(session.status.value).toBe('linking');
    expect(host.account).toBeNull();

    const sessionId = b64();
    server.latest.push({
      v: 1,
      type: 'link.approved',
      code: CODE,
      sessionId,
      expiresAt: Date.now() + 3_600_000,
      user: bob,
      deviceId: 'device_0002',
      ...sessionExtras(),
    });
    await linking;
    expect(session.status.value).toBe('ready');
    expect(session.user.value).toEqual(bob);
    expect(client.state.value).toBe('online');
    expect(host.account).toEqual({ ...bob, deviceId: 'device_0002' });
    expect(link.shown.value).toBeNull();
    client.stop();
  });

  test('a later start logs in with auth.login as the linked device', async () => {
    const { server, host, client, session } = newDevice();
    const linking = session.link('Bob laptop');
    await serveLinkRequest(server);
    server.latest.push({
      v: 1,
      type: 'link.approved',
      code: CODE,
      sessionId: b64(),
      expiresAt: Date.now() + 3_600_000,
      user: bob,
      deviceId: 'device_0002',
      ...sessionExtras(),
    });
    await linking;
    client.stop();

    // A new start has no session to continue: it answers a login challenge.
    const later = newDevice();
    const restarted = new SessionModel(host, later.client, later.link);
    const starting = restarted.start();
    const nonce = await later.server.answerHello();
    const login = await later.server.next('auth.login');
    expect(login).toMatchObject({ username: 'bob', deviceId: 'device_0002', nonce });
    const text = loginChallengeText({
      origin: host.origin,
      nonce,
      username: 'bob',
      deviceId: 'device_0002',
    });
    expect(host.verify(text, login.signature)).toBe(true);
    later.server.latest.push(sessionReply(login.id, bob, 'device_0002'));
    await starting;
    expect(restarted.status.value).toBe('ready');
    later.client.stop();
  });

  test.each([
    ['rejected', /declined on your other device/],
    ['expired', /expired/],
  ] as const)(
    '%s: back at first run with the reason, nothing stored, no reconnect',
    async (reason, text) => {
      const { server, host, link, client, session } = newDevice();
      const linking = session.link('Bob laptop');
      await serveLinkRequest(server);
      await until(() => link.shown.value !== null, 'the code to be shown');
      server.latest.push({ v: 1, type: 'link.rejected', code: CODE, reason });
      await linking;
      expect(session.status.value).toBe('first_run');
      expect(session.linkError.value).toMatch(text);
      expect(host.account).toBeNull();
      expect(client.state.value).toBe('offline');
      expect(server.latest.closed).toBe(true);
      expect(link.shown.value).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(server.sockets).toHaveLength(1);
    },
  );

  test('an approval for another code is ignored; the device keeps waiting', async () => {
    const { server, host, link, client, session } = newDevice();
    void session.link('Bob laptop');
    await serveLinkRequest(server);
    await until(() => link.shown.value !== null, 'the code to be shown');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    server.latest.push({
      v: 1,
      type: 'link.approved',
      code: 'AAAA-BBBB-CCCC',
      sessionId: b64(),
      expiresAt: Date.now() + 3_600_000,
      user: bob,
      deviceId: 'device_0009',
      ...sessionExtras(),
    });
    warn.mockRestore();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(session.status.value).toBe('linking');
    expect(host.account).toBeNull();
    session.cancelLink();
    expect(session.status.value).toBe('first_run');
    expect(client.state.value).toBe('offline');
  });

  test('a dropped connection while waiting asks for a new code on reconnect', async () => {
    const { server, link, client, session } = newDevice();
    void session.link('Bob laptop');
    await serveLinkRequest(server);
    await until(() => link.shown.value?.code === CODE, 'the first code');
    server.latest.drop();
    await until(() => server.sockets.length === 2, 'a reconnect');
    await serveLinkRequest(server, 'ZZZZ-YYYY-XXXX');
    await until(() => link.shown.value?.code === 'ZZZZ-YYYY-XXXX', 'the new code');
    expect(session.status.value).toBe('linking');
    session.cancelLink();
    expect(client.state.value).toBe('offline');
  });

  test('a bad device name is refused before anything is sent', async () => {
    const { server, session } = newDevice();
    await session.link('   ');
    expect(session.status.value).toBe('loading');
    expect(session.linkError.value).toMatch(/Name this device/);
    expect(server.sockets).toHaveLength(0);
  });
});

describe('LinkWaiter', () => {
  test('only the newest wait is live; a rejection carries its reason', async () => {
    const waiter = new LinkWaiter();
    const first = waiter.wait(CODE);
    const second = waiter.wait(CODE);
    await expect(first).rejects.toMatchObject({ code: 'disconnected' });
    waiter.onRejected({ v: 1, type: 'link.rejected', code: CODE, reason: 'expired' });
    await expect(second).rejects.toBeInstanceOf(LinkRejectedError);
    await expect(second).rejects.toMatchObject({ reason: 'expired' });
  });

  test('linkDevice creates the identity key only when the device has none', async () => {
    const server = new FakeServer();
    const host = new NodeHost();
    const existing = await host.createIdentity();
    const client = new SignalingClient({
      url: 'ws://127.0.0.1:1/ws',
      openSocket: server.opener,
      notifications: recordingApp(),
      delayForAttempt: () => 0,
    });
    void client.start(
      linkDevice(host, 'Tablet', new LinkWaiter(), () => undefined),
      signIn(host),
    );
    const { request } = await serveLinkRequest(server);
    expect(request.identityKey).toBe(existing);
    client.stop();
  });

  test.each([
    ['Lap\u202Etop', 'The name must not contain bidirectional control characters.'],
    ['\u200B\u200D', 'The name must contain a visible character.'],
  ])('the device name %j is refused with the rule before anything is sent', async (name, rule) => {
    const { server, session } = newDevice();
    await session.link(name);
    expect(session.linkError.value).toContain(rule);
    expect(server.sockets).toHaveLength(0);
  });
});
