import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as CoturnConfig from '../../../scripts/coturnConfig.cjs';
import { REPO_ROOT } from '../../e2e/harness/rendererBuild';
import { selfSignedCertificate } from '../../tls/selfSignedCertificate';
import { LAB_RANGE } from './labNetwork';
import { NamespacedProcess } from './namespacedProcess';

// Loaded from the checkout at run time: bundled (as bench/run.mjs does), its own __dirname would
// no longer lead to deploy/coturn/turnserver.conf.
const { coturnConfig } = createRequire(__filename)(
  join(REPO_ROOT, 'scripts', 'coturnConfig.cjs'),
) as typeof CoturnConfig;

export const TURN_PORT = 3478;
export const TURNS_PORT = 5349;

/**
 * coturn in its namespace, configured by the project's deploy/coturn/turnserver.conf with the
 * lab's addresses, secret and a throwaway self-signed certificate (which the lab's Chromiums trust
 * by its SPKI hash) for TURN over TLS. Everything it writes stays in the lab's folder.
 */
export class LabTurn {
  private constructor(
    private readonly process: NamespacedProcess,
    readonly host: string,
    readonly secret: string,
    /** base64 SHA-256 of the certificate's public key, for --ignore-certificate-errors-spki-list. */
    readonly spkiHash: string,
  ) {}

  static async start(options: {
    namespace: string;
    host: string;
    secret: string;
    folder: string;
  }): Promise<LabTurn> {
    const { namespace, host, secret, folder } = options;
    const tlsFolder = join(folder, 'turn-tls');
    mkdirSync(tlsFolder);
    const { cert, key, spkiHash } = selfSignedCertificate(tlsFolder, host);

    const config = join(folder, 'turnserver.conf');
    writeFileSync(
      config,
      coturnConfig({
        'listening-ip': host,
        'relay-ip': host,
        'static-auth-secret': secret,
        cert,
        pkey: key,
        // The deployed file denies private peers (10/8 among them); the lab's peers live there.
        'allowed-peer-ip': `${LAB_RANGE.first}-${LAB_RANGE.last}`,
        pidfile: join(folder, 'turnserver.pid'),
        userdb: join(folder, 'turndb'),
        // Every refused request in the log, so tests can read coturn's answer.
        verbose: true,
      }),
    );
    const process = NamespacedProcess.spawn('coturn', namespace, 'turnserver', ['-c', config]);
    await process.waitForOutput(/Total General servers/);
    return new LabTurn(process, host, secret, spkiHash);
  }

  /** Every way to reach this coturn, as the server hands them to clients. */
  get urls(): string[] {
    return [
      `stun:${this.host}:${TURN_PORT}`,
      `turn:${this.host}:${TURN_PORT}?transport=udp`,
      `turn:${this.host}:${TURN_PORT}?transport=tcp`,
      `turns:${this.host}:${TURNS_PORT}?transport=tcp`,
    ];
  }

  /** What coturn has logged so far. */
  get log(): string {
    return this.process.log;
  }

  stop(): Promise<void> {
    return this.process.stop('SIGTERM');
  }
}
