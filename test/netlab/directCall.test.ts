import { testIds } from '../../renderer/ui/testIds';
import { expectMediaStillFlowing } from '../e2e/harness/mediaFlow';
import { pollUntil } from '../e2e/harness/pollUntil';
import { readSelectedPair } from './harness/iceStats';
import { hangUp, startVideoCall } from './harness/labCall';
import { LabEnvironment } from './harness/labEnvironment';

// Two Chromiums, a server and coturn on two shared cores: steps are waited for, never timed.
jest.setTimeout(240_000);

let lab: LabEnvironment;

beforeAll(async () => {
  lab = await LabEnvironment.start();
});

afterAll(async () => {
  await lab?.close();
});

test('with nothing blocked, two peers on different subnets call each other directly through the router', async () => {
  const alice = await lab.registeredClient('a', 'alice', 'Alice Liddell');
  const bob = await lab.registeredClient('b', 'bob', 'Bob Marley');
  // Contacts: a call with a stranger would be relayed for privacy.
  await alice.addContact('bob');
  await bob.addContact('alice');

  await startVideoCall(alice, bob);
  await expectMediaStillFlowing([alice, bob]);

  // Host candidates on both sides: each peer's own lab address, across the router.
  const pair = await pollUntil(
    () => readSelectedPair(alice.page),
    (selected) => selected !== null,
    'a selected candidate pair',
  );
  expect(pair).toMatchObject({
    local: { candidateType: 'host', address: lab.network.address('a') },
    remote: { candidateType: 'host', address: lab.network.address('b') },
  });
  await alice.waitForAttribute(testIds.callPath, 'data-route', 'direct');

  await hangUp(alice, bob);
});
