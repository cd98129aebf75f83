import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { ServerMessage } from '../../../protocol';
import { AccountStore } from '../../../server/db/AccountStore';
import { ContactStore } from '../../../server/db/ContactStore';
import { openDatabase, type Database } from '../../../server/db/openDatabase';
import { PresenceService } from '../../../server/presence/PresenceService';
import type { DeviceEndpoint } from '../../../server/routing/DeviceDirectory';
import { InProcessDeviceDirectory } from '../../../server/routing/InProcessDeviceDirectory';
import { InProcessNoticeStreams } from '../../../server/routing/InProcessNoticeStreams';
import { newDeviceKeys } from '../support/TestClient';
import { FakeTime } from '../calls/fakeTime';

/** A device's connection as the directory sees it: it records what it is sent. */
class RecordingEndpoint implements DeviceEndpoint {
  readonly texts: string[] = [];
  sendText(text: string): void {
    this.texts.push(text);
  }
  replaced(): void {}
  revoked(): void {}
  get messages(): ServerMessage[] {
    return this.texts.map((text) => JSON.parse(text) as ServerMessage);
  }
}

/** Lets the current turn finish, with everything it queued. */
const turnDone = () => new Promise((resolve) => setImmediate(resolve));

let dataDir: string;
let db: Database;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-presence-'));
  db = openDatabase(dataDir);
});
afterEach(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * alice; bob (two devices) and carol have her as a contact and she has them; she has dave, who
 * does not have her; erin has her, but alice has not added erin.
 */
function world() {
  const time = new FakeTime();
  const accounts = new AccountStore(db);
  const contacts = new ContactStore(db);
  const streams = new InProcessNoticeStreams({ maxNotices: 100, maxAgeMs: 60_000 }, time);
  const directory = new InProcessDeviceDirectory({
    streams,
    clock: time,
    scheduler: time,
    reconnectGraceMs: 30_000,
    onGone: () => {},
  });
  const inCall = new Set<number>();
  const presence = new PresenceService({
    directory,
    accounts,
    contacts,
    isInCall: (userId) => inCall.has(userId),
    logger: pino({ level: 'silent' }),
  });
  const endpoints = new Map<string, RecordingEndpoint>();
  const user = (username: string, deviceCount = 1) => {
    const created = accounts.createUser(
      username,
      username.toUpperCase(),
      { name: 'first', identityKey: newDeviceKeys().identityKey },
      time.now(),
    )!;
    // Only the directory needs to know further devices: presence reaches watchers through it.
    const devices = [created.device.id];
    for (let i = 1; i < deviceCount; i++) devices.push(`${username}-device-${i}`);
    for (const deviceId of devices) {
      const endpoint = new RecordingEndpoint();
      endpoints.set(deviceId, endpoint);
      streams.start(deviceId);
      directory.attach(created.user.id, deviceId, endpoint);
    }
    return {
      id: created.user.id,
      deviceIds: devices,
      devices: devices.map((d) => endpoints.get(d)!),
    };
  };
  const alice = user('alice');
  const bob = user('bob', 2);
  const carol = user('carol');
  const dave = user('dave');
  const erin = user('erin');
  contacts.add(bob.id, alice.id, time.now());
  contacts.add(carol.id, alice.id, time.now());
  contacts.add(alice.id, dave.id, time.now());
  // Presence goes only to people the user added themselves: alice added bob and carol back;
  // erin added alice, who did not add her.
  contacts.add(alice.id, bob.id, time.now());
  contacts.add(alice.id, carol.id, time.now());
  contacts.add(erin.id, alice.id, time.now());
  return { presence, directory, contacts, time, inCall, alice, bob, carol, dave, erin };
}

const presenceOf = (endpoint: RecordingEndpoint, username: string) =>
  endpoint.messages.filter((m) => m.type === 'presence' && m.username === username);

test("a user's presence goes once to each device of each watcher, numbered in its stream", async () => {
  const { presence, alice, bob, carol, dave, erin } = world();
  presence.publish(alice.id);
  await turnDone();
  for (const device of [...bob.devices, carol.devices[0]!]) {
    expect(device.messages).toEqual([
      { v: 1, type: 'presence', username: 'alice', presence: 'online', seq: 1 },
    ]);
  }
  expect(dave.devices[0]!.messages).toEqual([]);
  expect(erin.devices[0]!.messages).toEqual([]);
  expect(alice.devices[0]!.messages).toEqual([]);
});

test('a presence that flaps within one turn is pushed once, as it ends up', async () => {
  const { presence, inCall, alice, bob } = world();
  presence.publish(alice.id);
  inCall.add(alice.id);
  presence.publish(alice.id);
  await turnDone();
  expect(presenceOf(bob.devices[0]!, 'alice')).toMatchObject([{ presence: 'in_call' }]);

  // In_call and back within a turn: one push, of the state it is in when the turn ends.
  inCall.delete(alice.id);
  presence.publish(alice.id);
  inCall.add(alice.id);
  presence.publish(alice.id);
  inCall.delete(alice.id);
  presence.publish(alice.id);
  await turnDone();
  expect(
    presenceOf(bob.devices[0]!, 'alice').map((m) => m.type === 'presence' && m.presence),
  ).toEqual(['in_call', 'online']);
  // Each later turn that publishes pushes again.
  presence.publish(alice.id);
  await turnDone();
  expect(presenceOf(bob.devices[1]!, 'alice')).toHaveLength(3);
});

test("presence goes out after whatever else the same turn sent to a watcher's device", async () => {
  const { presence, directory, alice, bob, carol, dave } = world();
  presence.publish(alice.id);
  presence.publish(bob.id);
  presence.publish(dave.id);
  presence.publish(carol.id);
  const callId = '0d4cbb0e-7f83-4e4b-a8c6-1d1a3a5e0f9d';
  directory.sendToDevice(bob.deviceIds[0]!, {
    v: 1,
    type: 'call.ringing',
    callId,
  });
  await turnDone();
  expect(bob.devices[0]!.messages).toEqual([
    { v: 1, type: 'call.ringing', callId, seq: 1 },
    { v: 1, type: 'presence', username: 'alice', presence: 'online', seq: 2 },
  ]);
  // Users due in the same turn are pushed in the order they were published.
  // Dave has not added alice, so his presence does not reach her; bob's and carol's do.
  expect(alice.devices[0]!.messages).toEqual([
    { v: 1, type: 'presence', username: 'bob', presence: 'online', seq: 1 },
    { v: 1, type: 'presence', username: 'carol', presence: 'online', seq: 2 },
  ]);
});

test('someone the user has not added, or has blocked, sees them offline and gets no pushes', async () => {
  const { presence, contacts, time, inCall, alice, bob, erin } = world();
  inCall.add(alice.id);
  expect(presence.presenceFor(bob.id, alice.id)).toBe('in_call');
  expect(presence.presenceFor(erin.id, alice.id)).toBe('offline');

  contacts.block(alice.id, bob.id, time.now());
  presence.publishTo(alice.id, bob.id);
  presence.publish(alice.id);
  await turnDone();
  expect(presence.presenceFor(bob.id, alice.id)).toBe('offline');
  // Told once that alice is offline to him now, and nothing of the publish that followed.
  expect(presenceOf(bob.devices[0]!, 'alice')).toMatchObject([{ presence: 'offline' }]);

  contacts.unblock(alice.id, bob.id);
  contacts.add(alice.id, erin.id, time.now());
  presence.publishTo(alice.id, bob.id);
  presence.publishTo(alice.id, erin.id);
  await turnDone();
  expect(presenceOf(bob.devices[1]!, 'alice').at(-1)).toMatchObject({ presence: 'in_call' });
  expect(presenceOf(erin.devices[0]!, 'alice')).toMatchObject([{ presence: 'in_call' }]);
});
