import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './commands';
import { NamespacedProcess } from './namespacedProcess';

export const TURN_PORT = 3478;
export const TURNS_PORT = 5349;

/**
 * coturn in its namespace with TURN REST credentials (`use-auth-secret`), listening for UDP, TCP
 * and TLS, with a throwaway self-signed certificate that the lab's Chromiums trust by its SPKI
 * hash. Everything it writes (config, certificate, pid file, database) stays in the lab's folder.
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
    const cert = join(folder, 'turn-cert.pem');
    const key = join(folder, 'turn-key.pem');
    run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      '/CN=turn.parley.test',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    const spki = new X509Certificate(readFileSync(cert)).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    const spkiHash = createHash('sha256').update(spki).digest('base64');

    const config = join(folder, 'turnserver.conf');
    writeFileSync(
      config,
      [
        `listening-ip=${host}`,
        `relay-ip=${host}`,
        `listening-port=${TURN_PORT}`,
        `tls-listening-port=${TURNS_PORT}`,
        'use-auth-secret',
        `static-auth-secret=${secret}`,
        'realm=parley.test',
        'fingerprint',
        `cert=${cert}`,
        `pkey=${key}`,
        'no-cli',
        'no-dtls',
        'no-multicast-peers',
        `pidfile=${join(folder, 'turnserver.pid')}`,
        `userdb=${join(folder, 'turndb')}`,
        'log-file=stdout',
        'simple-log',
        'verbose',
        '',
      ].join('\n'),
    );
    const process = NamespacedProcess.spawn('coturn', namespace, 'turnserver', ['-c', config]);
    await process.waitForOutput(/Total General servers/);
    return new LabTurn(process, host, secret, spkiHash);
  }

  /** What coturn has logged so far. */
  get log(): string {
    return this.process.log;
  }

  stop(): Promise<void> {
    return this.process.stop('SIGTERM');
  }
}
