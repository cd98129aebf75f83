import { randomUUID } from 'node:crypto';
import type { ServerOptions } from '../../../server/app';
import {
  DEFAULT_CALLER_INVITE_LIMIT,
  DEFAULT_PAIR_INVITE_LIMIT,
} from '../../../server/calls/InviteLimits';
import { FakeTime } from '../calls/fakeTime';
import { ringAndCancel } from '../support/inCall';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

let server: TestServer;
let time: FakeTime;
afterEach(() => server.dispose());

async function start(options: Partial<ServerOptions> = {}) {
  time = new FakeTime();
  server = await TestServer.start({ time: { clock: time, scheduler: time }, ...options });
}

async function callLogIds(client: TestClient): Promise<string[]> {
  const log = await client.request({ type: 'calllog.list', limit: 500 });
  if (log.type !== 'calllog') throw new Error(`expected calllog, got ${JSON.stringify(log)}`);
  return log.entries.map((entry) => entry.callId);
}

test('by default, five calls to one person at once, then one every 20 s', async () => {
  await start();
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  const { burst, everyMs } = DEFAULT_PAIR_INVITE_LIMIT;
  expect(burst).toBe(5);
  for (let i = 0; i < burst; i += 1) await ringAndCancel(alice, bob);

  const refused = randomUUID();
  expect(await alice.invite(refused, 'bob')).toEqual({
    v: 1,
    type: 'error',
    re: expect.any(String),
    code: 'too_many_calls',
    message: expect.any(String),
    callId: refused,
    retryAfterMs: everyMs,
  });
  // Nothing rang, nothing was logged, and the call id was not used up.
  expect(await bob.collect(100, (m) => m.type === 'call.invite')).toEqual([]);
  expect(await callLogIds(alice)).not.toContain(refused);
  expect(await callLogIds(bob)).not.toContain(refused);

  // Someone else may still call bob, and alice may call someone else.
  const carol = await server.registered('carol');
  await ringAndCancel(carol, bob);
  await ringAndCancel(alice, carol);

  time.advance(everyMs - 1);
  expect(await alice.invite(randomUUID(), 'bob')).toMatchObject({
    code: 'too_many_calls',
    retryAfterMs: 1,
  });
  time.advance(1);
  const again = randomUUID();
  expect(await alice.invite(again, 'bob')).toMatchObject({ type: 'ok' });
  await bob.nextOf('call.invite', again);
});

test('a caller may start ten calls at once, then one every 10 s, whoever they call', async () => {
  await start();
  const { burst, everyMs } = DEFAULT_CALLER_INVITE_LIMIT;
  expect(burst).toBe(10);
  const alice = await server.registered('alice');
  const callees: TestClient[] = [];
  for (let i = 0; i < 6; i += 1) callees.push(await server.registered(`callee_${i}`));
  // Two calls to each of five people, then one more person.
  for (let i = 0; i < burst; i += 1) await ringAndCancel(alice, callees[i % 5]!);
  const refused = randomUUID();
  expect(await alice.invite(refused, 'callee_5')).toMatchObject({
    code: 'too_many_calls',
    callId: refused,
    retryAfterMs: everyMs,
  });
  expect(await callees[5]!.collect(100, (m) => m.type === 'call.invite')).toEqual([]);
  time.advance(everyMs);
  await ringAndCancel(alice, callees[5]!);
});

test('the limits are server settings', async () => {
  await start({
    inviteLimits: { perCaller: { burst: 2, everyMs: 1_000 }, perPair: { burst: 1, everyMs: 500 } },
  });
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  const carol = await server.registered('carol');
  await ringAndCancel(alice, bob);
  expect(await alice.invite(randomUUID(), 'bob')).toMatchObject({ retryAfterMs: 500 });
  await ringAndCancel(alice, carol);
  expect(await alice.invite(randomUUID(), 'carol')).toMatchObject({ retryAfterMs: 1_000 });
  time.advance(1_000);
  await ringAndCancel(alice, bob);
});

test('an invite refused for another reason (callee offline) uses up none of the allowance', async () => {
  await start({ inviteLimits: { perPair: { burst: 1, everyMs: 60_000 } } });
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  const bobDevice = bob.deviceId;
  await bob.signOut();
  for (let i = 0; i < 3; i += 1) {
    expect(await alice.invite(randomUUID(), 'bob')).toMatchObject({ code: 'callee_offline' });
  }
  const bobAgain = await server.client();
  await bobAgain.login('bob', bobDevice, bob.keys);
  await ringAndCancel(alice, bobAgain);
});
