import type { E2eEnvironment } from './e2eEnvironment';
import { fileEnvironment } from './fileEnvironment';
import type { SfuPortRange } from './sfuPorts';

/** What a group-call test does with its environment: open people's clients. */
export type GroupCallEnvironment = Pick<E2eEnvironment, 'newClient' | 'registeredClient'> & {
  /** The server's address, for a test that puts something between it and the pages. */
  readonly serverUrl: string;
};

/**
 * The world of a group-call e2e file, set up by the jest hooks this registers: the real server
 * with its SFU on loopback in the file's own port range (`sfuPortsOf`), and Chromium. Each test's
 * people close with it (a call left running would take the next test's two cores); everything
 * closes after the file's last test. Call it once, at the top level of the file.
 */
export function groupCallEnvironment(options: {
  ports: SfuPortRange;
  ringTimeoutMs?: number;
  /** How many fake cameras Chromium offers. */
  cameras?: number;
}): GroupCallEnvironment {
  const { ports, ...startOptions } = options;
  const env = fileEnvironment(
    { ...startOptions, sfu: { listenIp: '127.0.0.1', workers: 1, ...ports } },
    { closeClientsAfterEach: true },
  );
  return {
    get serverUrl() {
      return env.server.url;
    },
    newClient: env.newClient,
    registeredClient: env.registeredClient,
  };
}
