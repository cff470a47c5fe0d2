/**
 * Mints a client token with the gateway's configured secret, for trying a compose or split
 * deployment (or any gateway with AUTH_JWT_SECRET) without decoding the dev token:
 *
 *   export TOKEN=$(AUTH_JWT_SECRET=... npm run --silent token -- --sub alice --scope "orders:read orders:manage" --ttl 1h)
 *
 * The token carries `exp` (CONTRACT §4 requires it), `sub` and `scope`, plus `iss`/`aud` when
 * AUTH_ISSUER / AUTH_AUDIENCE are set as the gateway checks them. Only the token goes to stdout;
 * any problem is one line on stderr and exit code 1.
 */
import { parseArgs } from 'node:util';
import { loadTokenSigning } from '../src/config.js';
import { signClientToken } from '../src/server/auth.js';

const SCOPES = ['orders:create', 'orders:read', 'orders:manage'];
const USAGE = 'usage: npm run token -- --sub <subject> --scope "<scopes>" [--ttl 1h]';

/** A lifetime as jose reads it, limited to plain forms so a typo is refused here, not by jose. */
const TTL = /^\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/;

async function mint(argv: string[]): Promise<string> {
  const { values } = parseArgs({ args: argv, options: { sub: { type: 'string' }, scope: { type: 'string' }, ttl: { type: 'string', default: '1h' } } });
  if (!values.sub) throw new Error(`--sub is required (${USAGE})`);
  if (!values.scope) throw new Error(`--scope is required, one or more of ${SCOPES.join(', ')} (${USAGE})`);
  const unknown = values.scope.split(' ').filter((scope) => scope && !SCOPES.includes(scope));
  if (unknown.length) throw new Error(`unknown scope ${unknown.join(', ')}: the gateway knows ${SCOPES.join(', ')}`);
  if (!TTL.test(values.ttl)) throw new Error(`--ttl ${values.ttl} is not a lifetime such as 30m, 1h or 7d`);
  const signing = loadTokenSigning();
  if (!signing.secret) {
    throw new Error('AUTH_JWT_SECRET is not set: set it to the secret the gateway was started with (a gateway without one prints its own dev token)');
  }
  return signClientToken(
    signing.secret,
    { sub: values.sub, scope: values.scope, ...(signing.issuer ? { issuer: signing.issuer } : {}), ...(signing.audience ? { audience: signing.audience } : {}) },
    values.ttl,
  );
}

try {
  console.log(await mint(process.argv.slice(2)));
} catch (error) {
  console.error(`npm run token: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
