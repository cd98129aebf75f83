import { NewDeviceLinkModel } from '../../../renderer/devices/NewDeviceLinkModel';
import { SignalingClient } from '../../../renderer/signaling/SignalingClient';
import { SessionModel } from '../../../renderer/state/SessionModel';
import type { StoredAccount } from '../../../protocol';
import type { TabCapabilities } from '../../../renderer/host/Host';
import { FakeServer, NodeHost, recordingApp, sessionReply } from '../signaling/fakeSignaling';

const BOB = { username: 'bob', displayName: 'Bob' };

/** A host with a device key, and this account stored on it (none: first run). */
async function hostWith(account: StoredAccount | null): Promise<NodeHost> {
  const host = new NodeHost();
  await host.createIdentity();
  host.account = account;
  return host;
}

/** A session on a fake server, with session.revoked handed to it as AppModel does. */
function sessionOn(host: NodeHost) {
  const server = new FakeServer();
  let session: SessionModel | null = null;
  const client = new SignalingClient({
    url: 'ws://127.0.0.1:1/ws',
    openSocket: server.opener,
    notifications: recordingApp([], { 'session.revoked': () => void session?.onRevoked() }),
    delayForAttempt: () => 0,
  });
  session = new SessionModel(host, client, new NewDeviceLinkModel(host));
  return { server, client, session };
}

/** A session on `host`'s account, started and signed in by the fake server as Bob. */
async function signedInSession(host: NodeHost) {
  const world = sessionOn(host);
  const starting = world.session.start();
  await answerSignIn(world.server, BOB, 'device_0002');
  await starting;
  return world;
}

/** Resolves once the client has opened this many connections to the fake server. */
async function socketsOpened(server: FakeServer, count: number): Promise<void> {
  for (let i = 0; i < 200 && server.sockets.length < count; i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(server.sockets).toHaveLength(count);
}

/** Answers the connection's hello and its sign-in, as this user on this device. */
async function answerSignIn(
  server: FakeServer,
  user: { username: string; displayName: string },
  deviceId: string,
) {
  await server.answerHello();
  const login = await server.next('auth.login');
  server.latest.push(sessionReply(login.id, user, deviceId));
  return login;
}

describe('SessionModel', () => {
  test('session.revoked: this device was removed, so it forgets the account and shows first run', async () => {
    const host = await hostWith({ ...BOB, deviceId: 'device_0002' });
    const { server, client, session } = sessionOn(host);
    const starting = session.start();
    await answerSignIn(server, BOB, 'device_0002');
    await starting;
    expect(session.status.value).toBe('ready');

    server.latest.push({ v: 1, type: 'session.revoked', reason: 'device_removed' });
    server.latest.drop(); // the server closes the connection (4003) right after
    for (let i = 0; i < 50 && session.status.value !== 'first_run'; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(session.status.value).toBe('first_run');
    expect(session.firstRunError.value).toMatch(/removed from your account/);
    expect(session.user.value).toBeNull();
    expect(host.account).toBeNull();
    expect(client.state.value).toBe('offline');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.sockets).toHaveLength(1); // no attempt to sign back in
  });

  test('session.revoked, and the user keeps the account: the device says why it cannot sign in', async () => {
    const account = { ...BOB, deviceId: 'device_0002' };
    const host = await hostWith(account);
    // The desktop app's main process refuses when the user answers "Keep account".
    host.clearAccount = () =>
      Promise.reject(
        new Error('Parley IPC "account:clear" refused: the user chose to keep the account'),
      );
    const { server, client, session } = sessionOn(host);
    const starting = session.start();
    await answerSignIn(server, BOB, 'device_0002');
    await starting;

    server.latest.push({ v: 1, type: 'session.revoked', reason: 'device_removed' });
    server.latest.drop();
    for (let i = 0; i < 50 && session.status.value !== 'failed'; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(session.status.value).toBe('failed');
    expect(session.failure.value).toMatch(/the account was kept on it/);
    expect(host.account).toEqual(account);
    expect(client.state.value).toBe('offline');
  });

  test.each([
    ['Ali\u202Ece', 'Your name must not contain bidirectional control characters.'],
    ['\u200B\u3164\u2800', 'Your name must contain a visible character.'],
    [
      'Al\nice',
      'Your name must not contain control characters, line breaks or unpaired surrogates.',
    ],
  ])(
    'registering with the name %j is refused with the rule, before connecting',
    async (name, error) => {
      const host = new NodeHost();
      const { server, session } = sessionOn(host);
      await session.register('alice', name);
      expect(session.firstRunError.value).toBe(error);
      expect(server.sockets).toHaveLength(0);
      expect(host.account).toBeNull();
    },
  );

  test('an account whose name an older server stored with a right-to-left override still signs in', async () => {
    const legacy = { username: 'mallory', displayName: 'gnp.\u202Eexe' };
    const host = await hostWith({ ...legacy, deviceId: 'device_0003' });
    const { server, client, session } = sessionOn(host);
    const starting = session.start();
    await answerSignIn(server, legacy, 'device_0003');
    await starting;
    expect(session.status.value).toBe('ready');
    expect(session.user.value).toEqual(legacy);
    client.stop();
  });

  describe('another tab of the browser uses the account (web client)', () => {
    const bob = { ...BOB, deviceId: 'device_0002' };

    /** A host whose account another tab holds until this one takes it over. */
    async function hostInUseElsewhere() {
      const host = await hostWith(null);
      let elsewhere: StoredAccount | null = bob;
      const tabs: TabCapabilities = {
        inUseElsewhere: () => elsewhere,
        useHere: async () => {
          host.account = elsewhere;
          elsewhere = null;
        },
        whenTakenAway: () => undefined,
        takeCallLink: () => null,
      };
      return Object.assign(host, { tabs });
    }

    test('this tab offers "Use here" instead of first run, and using it here signs in as that account', async () => {
      const host = await hostInUseElsewhere();
      const { server, client, session } = sessionOn(host);
      await session.start();
      expect(session.status.value).toBe('other_tab');
      expect(server.sockets).toHaveLength(0); // the other tab's connection is left alone

      const using = session.useHere();
      expect(session.status.value).toBe('taking_over');
      const login = await answerSignIn(server, BOB, 'device_0002');
      // The device's key signs in: no new account.
      expect(login).toMatchObject({ username: 'bob', deviceId: 'device_0002' });
      await using;
      expect(session.status.value).toBe('ready');
      expect(session.user.value).toEqual({ username: 'bob', displayName: 'Bob' });
      client.stop();
    });

    test('leaving for another tab closes the connection for good and names the call that ended', async () => {
      const host = await hostWith(bob);
      const { server, client, session } = await signedInSession(host);

      session.leaveForOtherTab('Alice');
      expect(session.status.value).toBe('other_tab');
      expect(session.callEndedByOtherTab.value).toBe('Alice');
      expect(client.state.value).toBe('offline');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(server.sockets).toHaveLength(1); // no attempt to sign back in
      expect(host.account).toEqual(bob); // the account stays, for the other tab and "Use here"
    });

    test('the server moved the device to a newer connection: it says so, and "Use here" signs in again', async () => {
      const host = await hostWith(bob);
      const { server, client, session } = await signedInSession(host);

      client.stop();
      session.onReplaced();
      expect(session.status.value).toBe('other_tab');
      expect(session.usedElsewhere.value).toBe(true);

      // No tab of this browser holds the account, so there is none to ask: this tab signs in.
      const using = session.useHere();
      expect(session.status.value).toBe('taking_over');
      await socketsOpened(server, 2);
      const login = await answerSignIn(server, BOB, 'device_0002');
      expect(login).toMatchObject({ username: 'bob', deviceId: 'device_0002' });
      await using;
      expect(session.status.value).toBe('ready');
      expect(session.usedElsewhere.value).toBe(false);
      expect(server.sockets).toHaveLength(2);
      client.stop();
    });
  });
});
