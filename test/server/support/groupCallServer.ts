import type { ServerOptions } from '../../../server/app';
import { FakeMediaRouter } from './FakeMediaRouter';
import { roomsUser } from './groupCall';
import type { TestClient } from './TestClient';
import { TestServer } from './testServer';

/** A server that carries group calls, and a signed-in device of each named user. */
export type GroupCallServer<Username extends string> = { server: TestServer } & Record<
  Username,
  TestClient
>;

/**
 * Starts a real server over the fake media router (unless `options` name another, or the real SFU
 * as `sfu`) and signs in `usernames`, one after the other, each a new account whose connection
 * negotiated group calls.
 */
export async function startGroupCallServer<Username extends string>(
  usernames: readonly Username[],
  options: Partial<ServerOptions> = {},
): Promise<GroupCallServer<Username>> {
  const router = options.sfu ? {} : { mediaRouter: new FakeMediaRouter() };
  const server = await TestServer.start({ ...router, ...options });
  const devices = {} as Record<Username, TestClient>;
  try {
    for (const username of usernames) devices[username] = await roomsUser(server, username);
  } catch (error) {
    // The caller never gets the server to stop: stop it here, so the failure is all that is left.
    await server.dispose();
    throw error;
  }
  return { server, ...devices };
}
