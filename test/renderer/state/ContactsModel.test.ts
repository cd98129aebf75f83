import WebSocket from 'ws';
import type { ServerMessageOf } from '../../../protocol';
import { signIn } from '../../../renderer/signaling/authFlow';
import {
  SignalingClient,
  type SignalingRequests,
} from '../../../renderer/signaling/SignalingClient';
import type { SocketOpener } from '../../../renderer/signaling/SignalingSocket';
import { ContactsModel } from '../../../renderer/state/ContactsModel';
import { seedAccounts, type SeededAccount } from '../../server/support/seedAccounts';
import { TestServer } from '../../server/support/testServer';
import { NodeHost, recordingApp } from '../signaling/fakeSignaling';

/** The renderer's socket port over the `ws` package, for a real server from Node. */
const openNodeSocket: SocketOpener = (url, events) => {
  const ws = new WebSocket(url);
  ws.on('open', () => events.onOpen());
  ws.on('message', (data) => events.onMessage(data.toString()));
  ws.on('close', (code) => events.onClose(code));
  ws.on('error', () => undefined); // a failed connection closes too; close is what counts
  return {
    send: (text) => ws.send(text),
    close: () => {
      ws.removeAllListeners();
      ws.close();
    },
  };
};

/** The client's requests, passed on unchanged, with a hook run before each contacts.list. */
class ContactListRequests implements SignalingRequests {
  readonly afters: (string | undefined)[] = [];
  beforePage: (index: number) => Promise<void> = async () => undefined;

  constructor(private readonly client: SignalingClient) {}

  request: SignalingRequests['request'] = async (type, body) => {
    if (type === 'contacts.list') {
      this.afters.push((body as { after?: string }).after);
      await this.beforePage(this.afters.length - 1);
    }
    return this.client.request(type, body);
  };
}

const friends = Array.from({ length: 250 }, (_, i) => `friend_${String(i).padStart(3, '0')}`);

let server: TestServer;
let client: SignalingClient;
let requests: ContactListRequests;
let model: ContactsModel;
let seeded: SeededAccount[];
const presenceSeen: ServerMessageOf<'presence'>[] = [];

beforeEach(async () => {
  server = new TestServer(undefined, { maxContacts: 251 });
  const host = new NodeHost();
  const identityKey = await host.createIdentity();
  // friend_250 exists but is not a contact yet; the list is then one short of the cap.
  seeded = seedAccounts(
    server.dataDir,
    [{ username: 'alice', identityKey }, ...friends, 'friend_250', 'friend_251'],
    friends,
  );
  await server.restart();
  host.account = { username: 'alice', displayName: 'ALICE', deviceId: seeded[0]!.deviceId };
  host.url = server.server.wsUrl;
  presenceSeen.length = 0;
  client = new SignalingClient({
    url: server.server.wsUrl,
    openSocket: openNodeSocket,
    notifications: recordingApp([], {
      presence: (message) => {
        presenceSeen.push(message);
        model.onPresence(message);
      },
    }),
    delayForAttempt: () => 0,
  });
  requests = new ContactListRequests(client);
  model = new ContactsModel(requests);
  await client.start(signIn(host), signIn(host));
});

afterEach(async () => {
  client.stop();
  await server.dispose();
});

/** Signs a seeded friend in from another connection: alice is told they are online. */
async function signInFriend(username: string): Promise<void> {
  const friend = seeded.find((account) => account.username === username);
  if (!friend?.keys) throw new Error(`${username} was not seeded with keys`);
  const device = await server.client();
  await device.login(username, friend.deviceId, friend.keys);
  // Shares the friend's presence with alice: only people the friend added see it.
  await device.request({ type: 'contacts.add', username: 'alice' });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

test('load fetches every page of 250 contacts and shows each contact once', async () => {
  await model.load();
  expect(requests.afters).toEqual([undefined, 'friend_099', 'friend_199']);
  const shown = model.contacts.value.map((c) => c.username);
  expect(shown).toHaveLength(250);
  expect(new Set(shown).size).toBe(250);
  expect([...shown].sort()).toEqual(friends);
});

test('presence that changes while later pages load is kept for the earlier ones', async () => {
  requests.beforePage = async (index) => {
    if (index !== 1) return;
    // friend_000 came in the first page as offline, and signs in before the second page.
    await signInFriend('friend_000');
    await until(() => presenceSeen.some((m) => m.username === 'friend_000'));
  };
  await model.load();
  expect(model.byUsername('friend_000')?.presence).toBe('online');
  expect(model.byUsername('friend_001')?.presence).toBe('offline');
});

test('add puts the added contact in the list once; a full list says so and adds nothing', async () => {
  await model.load();
  expect(await model.add('friend_250')).toBe(true);
  expect(await model.add('friend_250')).toBe(true);
  expect(model.contacts.value.filter((c) => c.username === 'friend_250')).toHaveLength(1);
  expect(model.contacts.value).toHaveLength(251);

  expect(await model.add('friend_251')).toBe(false);
  expect(model.addError.value).toMatch(/contact list is full/);
  expect(model.byUsername('friend_251')).toBeNull();
});
