import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * TLS for the tests' redis-server processes. The certificates in ./tls are test fixtures, made
 * once with openssl and valid until 2126: `ca.crt` (its key was thrown away) signed `server.crt`
 * for IP 127.0.0.1 and DNS localhost, whose key is `server.key`. Nothing outside the tests trusts
 * that CA. Committed rather than made per run so the tests need no openssl on the machine.
 */
const file = (name: string): string => fileURLToPath(new URL(`./tls/${name}`, import.meta.url));

/** Where the fixtures are (REDIS_TLS_CA_FILE takes `ca`). */
export const TLS_FILES = { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') };

/** The CA's PEM: what a test's own client trusts. */
export const TLS_CA = readFileSync(TLS_FILES.ca, 'utf8');

/**
 * redis-server arguments for a TLS-only server on `port` (no plain port): its certificate, and
 * no client certificates asked for (the gateway authenticates with AUTH, not a certificate).
 */
export function tlsServerArgs(port: number): string[] {
  return [
    '--port', '0',
    '--tls-port', String(port),
    '--tls-cert-file', TLS_FILES.cert,
    '--tls-key-file', TLS_FILES.key,
    '--tls-ca-cert-file', TLS_FILES.ca,
    '--tls-auth-clients', 'no',
  ];
}
