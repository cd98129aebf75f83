import { randomUUID } from 'node:crypto';
import { linkCertificateText, type CallOutcome, type ServerMessage } from '../../protocol';
import { TestClient, signText } from '../../test/server/support/TestClient';

/**
 * The kinds of acknowledgement the SIGKILL loop kills the server at. Each `act` signs users in on
 * a running server, makes it acknowledge one fact to a client and resolves the moment that
 * acknowledgement arrives (the loop kills the process then); the fact's `check` looks for it, through
 * the protocol, on the server restarted on the same data folder.
 */
export interface AcknowledgedFact {
  /** What a client was told, for reports. */
  what: string;
  /** What is wrong on the restarted server: nothing when the fact is there. */
  check(clients: ServerClients): Promise<string[]>;
}

export interface AcknowledgementKind {
  name: string;
  /** Flags for the server process the kind acts on (a short ring timeout for `timeout`). */
  serverArgs?: string[];
  /** `prefix` makes this round's usernames unique in the data folder. */
  act(clients: ServerClients, prefix: string): Promise<AcknowledgedFact>;
}

/** The clients of one server process; all are dropped when it is killed. */
export class ServerClients {
  private readonly open: TestClient[] = [];

  constructor(readonly wsUrl: string) {}

  async client(): Promise<TestClient> {
    const client = await TestClient.connect(this.wsUrl);
    this.open.push(client);
    return client;
  }

  async registered(username: string): Promise<TestClient> {
    const client = await this.client();
    expectType(await client.register(username), 'session', `register ${username}`);
    return client;
  }

  /** Signs the device in again on a new connection: the reply, `session` or an `error`. */
  async login(device: TestClient): Promise<{ client: TestClient; reply: ServerMessage }> {
    const client = await this.client();
    const reply = await client.login(device.username, device.deviceId, device.keys);
    return { client, reply };
  }

  dropAll(): void {
    for (const client of this.open.splice(0)) client.socket.terminate();
  }
}

function expectType(reply: ServerMessage, type: ServerMessage['type'], step: string): void {
  if (reply.type !== type)
    throw new Error(`${step}: expected ${type}, got ${JSON.stringify(reply)}`);
}

/** A problem when the reply is not of this type (a check goes on to report all it finds). */
function problemUnless(reply: ServerMessage, type: ServerMessage['type'], step: string): string[] {
  return reply.type === type ? [] : [`${step}: expected ${type}, got ${JSON.stringify(reply)}`];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two signed-in users, `<prefix>a` calling `<prefix>b`. */
async function pair(clients: ServerClients, prefix: string) {
  const alice = await clients.registered(`${prefix}a`);
  const bob = await clients.registered(`${prefix}b`);
  return { alice, bob };
}

async function ringing(alice: TestClient, bob: TestClient): Promise<string> {
  const callId = randomUUID();
  expectType(await alice.invite(callId, bob.username, 'audio', 'offer'), 'ok', 'invite');
  await bob.nextOf('call.invite', callId);
  return callId;
}

async function accepted(alice: TestClient, bob: TestClient): Promise<string> {
  const callId = await ringing(alice, bob);
  bob.accept(callId, 'audio', 'answer');
  await alice.nextOf('call.accept', callId);
  return callId;
}

/**
 * The call as the caller's call log shows it after the restart, checked against `expect`; a call
 * that is not listed (lost, or still live) is a problem.
 */
function callLogFact(
  caller: TestClient,
  callId: string,
  what: string,
  expect: (entry: CallLogEntry) => string[],
): AcknowledgedFact {
  return {
    what,
    check: async (clients) => {
      const { client, reply } = await clients.login(caller);
      if (reply.type !== 'session') return problemUnless(reply, 'session', 'caller login');
      return callLogProblems(client, callId, expect);
    },
  };
}

type CallLogEntry = Extract<ServerMessage, { type: 'calllog' }>['entries'][number];

async function callLogProblems(
  client: TestClient,
  callId: string,
  expect: (entry: CallLogEntry) => string[],
): Promise<string[]> {
  const log = await client.request({ type: 'calllog.list' });
  if (log.type !== 'calllog') return problemUnless(log, 'calllog', 'calllog.list');
  const entry = log.entries.find((e) => e.callId === callId);
  return entry ? expect(entry) : [`call ${callId} is not in the call log`];
}

function outcomeIs(outcome: CallOutcome) {
  return (entry: CallLogEntry) =>
    entry.outcome === outcome ? [] : [`outcome ${entry.outcome}, expected ${outcome}`];
}

/** The commit delay of the delayed-commit kind's server: long enough to span several turns. */
const DELAYED_COMMIT_MS = 50;

/** The ring timeout of the `timeout` kind's server: short, so that a round takes little time. */
const SHORT_RING_MS = 300;

export const acknowledgementKinds: AcknowledgementKind[] = [
  {
    name: 'register (session)',
    act: async (clients, prefix) => {
      const alice = await clients.registered(`${prefix}a`);
      return {
        what: `account ${alice.username} with its device and session`,
        check: async (after) => {
          const { reply } = await after.login(alice);
          const resumed = await (await after.client()).resume(alice);
          return [
            ...problemUnless(reply, 'session', 'login'),
            ...problemUnless(resumed, 'session', 'resume the first session'),
          ];
        },
      };
    },
  },
  {
    name: 'contacts.add (contact)',
    act: async (clients, prefix) => {
      const { alice, bob } = await pair(clients, prefix);
      const reply = await alice.request({ type: 'contacts.add', username: bob.username });
      expectType(reply, 'contact', 'contacts.add');
      return {
        what: `${bob.username} in ${alice.username}'s contacts`,
        check: (after) => contactProblems(after, alice, bob),
      };
    },
  },
  {
    // Both requests are sent at once: they reach the server in one turn, one group commit.
    name: 'two contacts.add at once (both contacts)',
    act: async (clients, prefix) => {
      const { alice, bob } = await pair(clients, prefix);
      const [addBob, addAlice] = await Promise.all([
        alice.request({ type: 'contacts.add', username: bob.username }),
        bob.request({ type: 'contacts.add', username: alice.username }),
      ]);
      expectType(addBob, 'contact', 'contacts.add bob');
      expectType(addAlice, 'contact', 'contacts.add alice');
      return {
        what: `${bob.username} and ${alice.username} in each other's contacts`,
        check: async (after) => [
          ...(await contactProblems(after, alice, bob)),
          ...(await contactProblems(after, bob, alice)),
        ],
      };
    },
  },
  {
    // A commit delay gathers the registrations of several turns into one transaction.
    name: 'registrations in one delayed commit (sessions)',
    serverArgs: ['--commit-delay-ms', String(DELAYED_COMMIT_MS)],
    act: async (clients, prefix) => {
      const devices = await Promise.all(
        ['a', 'b', 'c'].map((name) => clients.registered(`${prefix}${name}`)),
      );
      return {
        what: `accounts ${devices.map((d) => d.username).join(', ')}`,
        check: async (after) => {
          const replies = await Promise.all(devices.map((device) => after.login(device)));
          return replies.flatMap(({ reply }, i) =>
            problemUnless(reply, 'session', `login ${devices[i]!.username}`),
          );
        },
      };
    },
  },
  {
    name: 'call.invite (ok)',
    act: async (clients, prefix) => {
      const { alice, bob } = await pair(clients, prefix);
      const callId = randomUUID();
      expectType(await alice.invite(callId, bob.username, 'audio', 'offer'), 'ok', 'invite');
      // Still ringing when the server dies: the restarted server ends it as missed.
      return callLogFact(alice, callId, `call ${callId} placed`, outcomeIs('missed'));
    },
  },
  {
    name: 'call.accept (to the caller)',
    act: async (clients, prefix) => {
      const { alice, bob } = await pair(clients, prefix);
      const callId = await accepted(alice, bob);
      return {
        what: `call ${callId} answered`,
        check: async (after) => {
          const { client, reply } = await after.login(alice);
          if (reply.type !== 'session') return problemUnless(reply, 'session', 'caller login');
          const live = reply.calls.find((call) => call.callId === callId);
          if (live?.state !== 'accepted' || live.answeredAt === null) {
            return [`the answered call is not live: ${JSON.stringify(reply.calls)}`];
          }
          // Hanging up the taken-back call ends it as answered, timed from the first answer.
          client.send({ v: 1, type: 'call.hangup', callId });
          return callLogProblems(client, callId, (entry) => [
            ...outcomeIs('answered')(entry),
            ...(entry.answeredAt === live.answeredAt ? [] : ['answeredAt changed']),
          ]);
        },
      };
    },
  },
  {
    name: 'call.hangup (to the peer)',
    act: async (clients, prefix) => {
      const { alice, bob } = await pair(clients, prefix);
      const callId = await accepted(alice, bob);
      await pause(20);
      alice.send({ v: 1, type: 'call.hangup', callId });
      await bob.nextOf('call.hangup', callId);
      return callLogFact(alice, callId, `call ${callId} hung up`, (entry) => [
        ...outcomeIs('answered')(entry),
        ...(entry.durationMs > 0 ? [] : [`duration ${entry.durationMs} ms`]),
      ]);
    },
  },
  {
    name: 'call.decline (to the caller)',
    act: async (clients, prefix) => {
      const { alice, bob } = await pair(clients, prefix);
      const callId = await ringing(alice, bob);
      bob.send({ v: 1, type: 'call.decline', callId });
      await alice.nextOf('call.decline', callId);
      return callLogFact(alice, callId, `call ${callId} declined`, outcomeIs('declined'));
    },
  },
  {
    name: 'call.cancel (to the callee)',
    act: async (clients, prefix) => {
      const { alice, bob } = await pair(clients, prefix);
      const callId = await ringing(alice, bob);
      alice.send({ v: 1, type: 'call.cancel', callId });
      await bob.nextOf('call.cancel', callId);
      return callLogFact(alice, callId, `call ${callId} cancelled`, outcomeIs('cancelled'));
    },
  },
  {
    name: 'call.timeout (to the caller)',
    serverArgs: ['--ring-timeout-ms', String(SHORT_RING_MS)],
    act: async (clients, prefix) => {
      const { alice, bob } = await pair(clients, prefix);
      const callId = await ringing(alice, bob);
      await alice.nextOf('call.timeout', callId);
      // Missed either way: a ring cut short by the stop ends when it started, this one rang out.
      return callLogFact(alice, callId, `call ${callId} rang out`, (entry) => [
        ...outcomeIs('missed')(entry),
        ...(entry.endedAt - entry.startedAt >= SHORT_RING_MS
          ? []
          : [`ended ${entry.endedAt - entry.startedAt} ms after it started: not a ring-out`]),
      ]);
    },
  },
  {
    name: 'call.busy (to the caller)',
    act: async (clients, prefix) => {
      const { alice, bob } = await pair(clients, prefix);
      const carol = await clients.registered(`${prefix}c`);
      // Busy at once: Bob's phone is ringing with Carol's call (a call he talks in would wait).
      await ringing(carol, bob);
      const callId = randomUUID();
      expectType(await alice.invite(callId, bob.username, 'audio', 'offer'), 'ok', 'invite');
      await alice.nextOf('call.busy', callId);
      return callLogFact(alice, callId, `call ${callId} busy`, outcomeIs('busy'));
    },
  },
  {
    name: 'link.approve (devices)',
    act: async (clients, prefix) => {
      const alice = await clients.registered(`${prefix}a`);
      const phone = await clients.client();
      const code = await phone.requestLink('phone');
      if (code.type !== 'link.code') throw new Error(`link.request: ${JSON.stringify(code)}`);
      const devices = await alice.approveLink(code.code);
      if (devices.type !== 'devices') throw new Error(`link.approve: ${JSON.stringify(devices)}`);
      const linked = devices.devices.find((d) => d.identityKey === phone.keys.identityKey);
      if (!linked) throw new Error('the new device is not in the devices reply');
      phone.username = alice.username;
      phone.deviceId = linked.deviceId;
      return {
        what: `device ${linked.deviceId} linked to ${alice.username}`,
        check: (after) => linkedDeviceProblems(after, alice, phone),
      };
    },
  },
  {
    name: 'link.approve (link.approved)',
    act: async (clients, prefix) => {
      const alice = await clients.registered(`${prefix}a`);
      const phone = await clients.client();
      const code = await phone.requestLink('phone');
      if (code.type !== 'link.code') throw new Error(`link.request: ${JSON.stringify(code)}`);
      const certificate = linkCertificateText({
        username: alice.username,
        identityKey: phone.keys.identityKey,
        code: code.code,
        expiresAt: code.expiresAt,
      });
      const signature = signText(alice.keys, certificate);
      alice.send({ v: 1, type: 'link.approve', id: 'approve', code: code.code, signature });
      await phone.linkApproved();
      return {
        what: `device ${phone.deviceId} linked to ${alice.username}, told to the new device`,
        check: async (after) => {
          const resumed = await (await after.client()).resume(phone);
          return [
            ...(await linkedDeviceProblems(after, alice, phone)),
            ...problemUnless(resumed, 'session', "resume the new device's session"),
          ];
        },
      };
    },
  },
  {
    name: 'session.end (ok)',
    act: async (clients, prefix) => {
      const alice = await clients.registered(`${prefix}a`);
      expectType(await alice.request({ type: 'session.end' }), 'ok', 'session.end');
      return {
        what: `${alice.username}'s session ended`,
        check: async (after) => {
          const resumed = await (await after.client()).resume(alice);
          return resumed.type === 'error' && resumed.code === 'session_invalid'
            ? []
            : [`the ended session resumes: ${JSON.stringify(resumed)}`];
        },
      };
    },
  },
  {
    name: 'devices.remove (devices)',
    act: async (clients, prefix) => {
      const alice = await clients.registered(`${prefix}a`);
      const phone = await clients.client();
      const code = await phone.requestLink('phone');
      if (code.type !== 'link.code') throw new Error(`link.request: ${JSON.stringify(code)}`);
      expectType(await alice.approveLink(code.code), 'devices', 'link.approve');
      await phone.linkApproved();
      const removed = await alice.request({ type: 'devices.remove', deviceId: phone.deviceId });
      expectType(removed, 'devices', 'devices.remove');
      return {
        what: `device ${phone.deviceId} removed`,
        check: async (after) => {
          const { reply } = await after.login(phone);
          const resumed = await (await after.client()).resume(phone);
          return [
            ...(reply.type === 'error' && reply.code === 'auth_failed'
              ? []
              : [`the removed device signs in: ${JSON.stringify(reply)}`]),
            ...(resumed.type === 'error' && resumed.code === 'session_invalid'
              ? []
              : [`the removed device's session resumes: ${JSON.stringify(resumed)}`]),
          ];
        },
      };
    },
  },
  {
    // The check runs on whatever server comes next (maybe one without group calls), so it asks
    // through a 1:1 invite, which refuses a call id any call has used.
    name: 'room.create (room)',
    serverArgs: ['--sfu-listen-ip', '127.0.0.1'],
    act: async (clients, prefix) => {
      const { alice, bob } = await pair(clients, prefix);
      const features = await alice.negotiateRooms();
      expectType(features, 'features', 'features');
      const callId = randomUUID();
      const room = await alice.request({
        type: 'room.create',
        callId,
        media: 'audio',
        share: alice.memberShare(callId, 0),
      });
      expectType(room, 'room', 'room.create');
      return {
        what: `group call ${callId}`,
        check: async (after) => {
          const { client, reply } = await after.login(alice);
          if (reply.type !== 'session') return problemUnless(reply, 'session', 'creator login');
          const again = await client.invite(callId, bob.username);
          return again.type === 'error' && again.code === 'call_state'
            ? []
            : [`call id ${callId} is free again: ${JSON.stringify(again)}`];
        },
      };
    },
  },
];

/** `owner` signs in again and finds `contact` in its contact list (its only contact). */
async function contactProblems(
  after: ServerClients,
  owner: TestClient,
  contact: TestClient,
): Promise<string[]> {
  const { client, reply: login } = await after.login(owner);
  if (login.type !== 'session') return problemUnless(login, 'session', `${owner.username} login`);
  const list = await client.request({ type: 'contacts.list' });
  if (list.type !== 'contacts') return problemUnless(list, 'contacts', 'contacts.list');
  return list.contacts.some((c) => c.username === contact.username)
    ? []
    : [`${contact.username} is not in ${owner.username}'s contacts`];
}

/** The linked device signs in with its key, and the account lists it. */
async function linkedDeviceProblems(
  after: ServerClients,
  alice: TestClient,
  phone: TestClient,
): Promise<string[]> {
  const { reply } = await after.login(phone);
  const { client, reply: aliceLogin } = await after.login(alice);
  if (aliceLogin.type !== 'session') return problemUnless(aliceLogin, 'session', 'approver login');
  const devices = await client.request({ type: 'devices.list' });
  return [
    ...problemUnless(reply, 'session', 'new device login'),
    ...(devices.type === 'devices' && devices.devices.some((d) => d.deviceId === phone.deviceId)
      ? []
      : [`the new device is not in devices.list: ${JSON.stringify(devices)}`]),
  ];
}
