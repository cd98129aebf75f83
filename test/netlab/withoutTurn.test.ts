import { testIds } from '../../renderer/ui/testIds';
import type { ParleyClient } from '../e2e/harness/parleyClient';
import { startVideoCall } from './harness/labCall';
import { LabEnvironment } from './harness/labEnvironment';

// Two Chromiums and a server without TURN: steps are waited for, never timed.
jest.setTimeout(300_000);

/** The call retries ICE for 30 s before it gives up (Chromium alone fails later still). */
const GIVE_UP_DEADLINE_MS = 120_000;

let lab: LabEnvironment;
let alice: ParleyClient;
let bob: ParleyClient;

beforeAll(async () => {
  lab = await LabEnvironment.start({ turn: false });
  alice = await lab.registeredClient('a', 'alice', 'Alice Liddell');
  bob = await lab.registeredClient('b', 'bob', 'Bob Marley');
});

afterEach(async () => {
  lab.network.firewall.restore();
});

afterAll(async () => {
  await lab?.close();
});

test('with all traffic between the peers blocked and no TURN server, the call never connects and ends saying the network may be blocking it', async () => {
  await alice.addContact('bob');
  await bob.addContact('alice');
  lab.network.firewall.block('peers-all');
  await startVideoCall(alice, bob);

  // The call screen says it is still connecting ...
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connecting');
  }
  // ... until the call gives up on every candidate pair and ends, saying why.
  const notices: { reason: string | null; text: string }[] = [];
  for (const client of [alice, bob]) {
    const notice = client.byTestId(testIds.callNotice);
    await notice.waitFor({ timeout: GIVE_UP_DEADLINE_MS });
    await client.waitForScreen(testIds.screenContacts);
    notices.push({
      reason: await notice.getAttribute('data-reason'),
      text: await notice.innerText(),
    });
    expect(await client.readConnectionStatesSeen()).not.toContain('connected');
  }
  // The side that gave up first says so; it hangs up, so the other may only learn that.
  expect(notices).toContainEqual({
    reason: 'connection_failed',
    text: expect.stringMatching(/network may be blocking it/),
  });
});
