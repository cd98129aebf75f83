import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { pollUntil } from '../e2e/harness/pollUntil';
import { LabEnvironment } from './harness/labEnvironment';
import { probeTurn } from './harness/turnProbe';

// coturn and a Chromium in the lab; gathering waits for coturn's answers, never on a timer.
jest.setTimeout(120_000);

let lab: LabEnvironment;
let page: Page;

beforeAll(async () => {
  lab = await LabEnvironment.start({ turn: false });
  const context = await lab.browser('a').newContext();
  page = await context.newPage();
});

afterAll(async () => {
  await lab?.close();
});

/** A TURN REST credential (coturn's use-auth-secret scheme) with the given expiry and secret. */
function credential(secret: string, expiresAtSeconds: number) {
  const username = `${expiresAtSeconds}:42`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

const now = () => Math.floor(Date.now() / 1000);

/** coturn's own log line refusing this user's authenticated request (not the first challenge). */
function waitForRefusalLogged(username: string): Promise<string> {
  return pollUntil(
    async () => lab.turn.log,
    (log) => log.includes(`user <${username}>: incoming packet message processed, error 401`),
    `coturn to log its refusal of ${username}`,
  );
}

function turnUdp(): string {
  return `turn:${lab.turn.host}:3478?transport=udp`;
}

test('coturn grants an allocation for a credential minted from its secret', async () => {
  const probe = await probeTurn(page, {
    urls: turnUdp(),
    ...credential(lab.turn.secret, now() + 600),
  });
  expect(probe.errors).toEqual([]);
  expect(probe.relayAddresses).toEqual([lab.turn.host]);
});

test('coturn refuses an expired credential with 401 Unauthorized', async () => {
  const expired = credential(lab.turn.secret, now() - 60);
  const probe = await probeTurn(page, { urls: turnUdp(), ...expired });
  expect(probe.relayAddresses).toEqual([]);
  expect(probe.errors).toEqual([
    expect.objectContaining({ errorCode: 401, url: expect.stringContaining(lab.turn.host) }),
  ]);
  await waitForRefusalLogged(expired.username);
});

test('coturn refuses a credential signed with another secret with 401 Unauthorized', async () => {
  const forged = credential('not-the-secret', now() + 600);
  const probe = await probeTurn(page, { urls: turnUdp(), ...forged });
  expect(probe.relayAddresses).toEqual([]);
  expect(probe.errors).toEqual([
    expect.objectContaining({ errorCode: 401, url: expect.stringContaining(lab.turn.host) }),
  ]);
  await waitForRefusalLogged(forged.username);
});
