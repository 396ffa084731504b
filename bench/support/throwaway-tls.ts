/**
 * A self-signed certificate for 127.0.0.1, made with the `openssl` binary when asked for and deleted with its
 * folder: the handler benchmark serves the emulator over TLS with it, and clients trust it through
 * NODE_EXTRA_CA_CERTS (`certPath`), as they would trust a cloud endpoint's chain. No key is ever committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayTls {
  key: string;
  cert: string;
  /** The certificate as a file, for NODE_EXTRA_CA_CERTS. */
  certPath: string;
  remove(): void;
}

export function createThrowawayTls(): ThrowawayTls {
  const dir = mkdtempSync(join(tmpdir(), 'riflow-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    // P-256 rather than RSA: generated in milliseconds, and the handshake the handlers and the floor pay alike is
    // the one a modern endpoint offers. The IP SAN is what a client checks against https://127.0.0.1:PORT.
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath,
        '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = (error as { code?: string }).code === 'ENOENT' ? 'the openssl binary is not on PATH' : String((error as Error).message);
    throw new Error(`cannot make a throwaway TLS certificate: ${detail}`, { cause: error });
  }
  return {
    key: readFileSync(keyPath, 'utf8'),
    cert: readFileSync(certPath, 'utf8'),
    certPath,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
