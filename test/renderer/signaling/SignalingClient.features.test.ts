import { registerDevice, signIn } from '../../../renderer/signaling/authFlow';
import { SignalingClient } from '../../../renderer/signaling/SignalingClient';
import { FakeServer, NodeHost, recordingApp, serveRegister, sessionReply } from './fakeSignaling';

const alice = { username: 'alice', displayName: 'Alice' };

function setup(onSession?: (client: SignalingClient) => void) {
  const server = new FakeServer();
  const host = new NodeHost();
  const client: SignalingClient = new SignalingClient({
    url: 'ws://127.0.0.1:1/ws',
    openSocket: server.opener,
    notifications: recordingApp(),
    requestTimeoutMs: 2_000,
    delayForAttempt: () => 0,
    features: ['rooms'],
    ...(onSession && { onSession: () => onSession(client) }),
  });
  return { server, host, client };
}

async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 400 && !done(); turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(done()).toBe(true);
}

describe('SignalingClient features', () => {
  test('asks for rooms after signing in, and again on each reconnect, since features belong to the connection', async () => {
    const { server, host, client } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    const { sessionId } = await serveRegister(server);
    await started;
    const asked = await server.next('features');
    expect(asked).toMatchObject({ features: ['rooms'] });
    expect(client.features.value).toEqual([]);
    server.latest.push({ v: 1, type: 'features', re: asked.id, features: ['rooms'] });
    await until(() => client.features.value.includes('rooms'));

    // The connection drops: no features until the new one has agreed to them.
    server.latest.drop();
    expect(client.features.value).toEqual([]);
    await until(() => server.sockets.length === 2);
    await server.answerHello();
    const resume = await server.next('session.resume');
    server.latest.push(sessionReply(resume.id, alice, 'device_0001', { sessionId }));
    const again = await server.next('features');
    expect(again).toMatchObject({ features: ['rooms'] });
    server.latest.push({ v: 1, type: 'features', re: again.id, features: ['rooms'] });
    await until(() => client.features.value.includes('rooms'));
    client.stop();
  });

  test('a server that predates features answers bad_message: none are used', async () => {
    const { server, host, client } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;
    const asked = await server.next('features');
    server.latest.push({
      v: 1,
      type: 'error',
      re: asked.id,
      code: 'bad_message',
      message: 'unknown message type',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.features.value).toEqual([]);
    client.stop();
  });

  test('features are asked before anything the app sends on signing in, which may need them', async () => {
    const { server, host, client } = setup((signedIn) => {
      void signedIn.request('room.link_open', { token: 'a'.repeat(22) }).catch(() => undefined);
    });
    try {
      const started = client.start(registerDevice(host, alice), signIn(host));
      await serveRegister(server);
      await started;
      await server.next('room.link_open');
      const sent = server.latest.received.map((m) => m.type);
      expect(sent.indexOf('features')).toBeGreaterThanOrEqual(0);
      expect(sent.indexOf('features')).toBeLessThan(sent.indexOf('room.link_open'));
    } finally {
      client.stop();
    }
  });
});
