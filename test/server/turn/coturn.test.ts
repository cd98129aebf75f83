import { randomBytes } from 'node:crypto';
import { mintTurnCredential } from '../../../server/turn/turnCredential';
import { startCoturn, type RunningCoturn } from '../../turn/coturn';
import { StunClient } from '../../turn/StunClient';

/**
 * A real coturn, started from the project's configuration with a test secret on loopback,
 * judges the credentials the server mints: it allocates a relay for a fresh one and answers
 * expired and forged ones with a STUN error, which the test reads.
 */
const secret = randomBytes(24).toString('base64');
let coturn: RunningCoturn;
let stun: StunClient;

beforeAll(async () => {
  coturn = await startCoturn({ secret });
});
afterAll(async () => {
  await coturn?.stop();
});
beforeEach(() => {
  stun = new StunClient(coturn.host, coturn.port);
});
afterEach(() => stun.close());

const nowSeconds = () => Math.floor(Date.now() / 1000);

test('a credential minted by the server gets a relay allocation', async () => {
  const { username, credential } = mintTurnCredential(secret, 42, nowSeconds() + 3600);
  const answer = await stun.allocate(username, credential);
  expect(answer).toEqual({ kind: 'success', address: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
});

test('an expired credential is refused with 401', async () => {
  const { username, credential } = mintTurnCredential(secret, 42, nowSeconds() - 60);
  const answer = await stun.allocate(username, credential);
  expect(answer).toMatchObject({ kind: 'error', code: 401 });
});

test('a credential signed with another secret is refused with 401', async () => {
  const forged = mintTurnCredential('not the secret', 42, nowSeconds() + 3600);
  expect(await stun.allocate(forged.username, forged.credential)).toMatchObject({
    kind: 'error',
    code: 401,
  });
});

test('a credential whose username was changed after minting is refused', async () => {
  const { credential } = mintTurnCredential(secret, 42, nowSeconds() + 3600);
  const longer = `${nowSeconds() + 7 * 24 * 3600}:42`;
  expect(await stun.allocate(longer, credential)).toMatchObject({ kind: 'error', code: 401 });
});
