import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate and its key as PEM files, with the SHA-256 of its public key. */
export interface SelfSignedCertificate {
  cert: string;
  key: string;
  /** Base64 SHA-256 of the SPKI, for Chromium's --ignore-certificate-errors-spki-list. */
  spkiHash: string;
}

/**
 * A self-signed P-256 certificate for an IP address (a key type browsers and Node accept),
 * written as cert.pem and key.pem into `dir` with the openssl command.
 */
export function selfSignedCertificate(dir: string, ip: string): SelfSignedCertificate {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${ip}`,
      '-addext',
      `subjectAltName=IP:${ip}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const spki = new X509Certificate(readFileSync(cert)).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  return { cert, key, spkiHash: createHash('sha256').update(spki).digest('base64') };
}
