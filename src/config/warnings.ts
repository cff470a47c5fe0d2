import type { Config } from './gateway-config.js';

/* Settings the gateway starts with but should not: told at start, never refused. */

/** AUTH_JWT_SECRET's shortest safe length: 256 bits of HS256 key (see configWarnings). */
export const MIN_AUTH_SECRET_LENGTH = 32;

/**
 * What the gateway starts with but should not (told at start as warnings; each names its
 * variable, never a value). Not refused: deployments and harnesses that set them keep starting,
 * and are told.
 * - An AUTH_JWT_SECRET under 32 characters: RFC 7518 §3.2 wants an HS256 key of 256 bits or
 *   more, and anyone holding one token (a browser's) can test guesses of a shorter one offline;
 *   the secret found signs tokens with every scope.
 * - AUTH_JWKS_URL without AUTH_AUDIENCE: every token that identity provider signs for any of its
 *   applications is taken, as long as it carries an orders scope.
 * - Outside sandbox mode, no METRICS_TOKEN: GET /metrics answers anyone who reaches the port.
 * - AUTH_JWT_SECRET and AUTH_JWKS_URL together without AUTH_ISSUER (security probe 4): an order's
 *   owner is its token's `sub` alone (CONTRACT §4) and orders store only it, so the identity
 *   provider's `sub: X` and the shop's own `sub: X` are one caller, each seeing the other's
 *   orders. Warned, not refused: the contract names both settings and the check of `iss` as
 *   optional, and a deployment (or an acceptance harness) that sets both must keep starting.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  const secret = config.auth.jwtSecret;
  if (secret !== undefined && secret.length < MIN_AUTH_SECRET_LENGTH) {
    warnings.push(
      `AUTH_JWT_SECRET is shorter than ${MIN_AUTH_SECRET_LENGTH} characters (RFC 7518 §3.2: an HS256 key of 256 bits or more); a shorter one can be guessed offline from any client token. Use e.g. \`openssl rand -hex 32\``,
    );
  }
  if (config.auth.jwksUrl !== undefined && config.auth.audience === undefined) {
    warnings.push('AUTH_JWKS_URL without AUTH_AUDIENCE: any token the identity provider signs (for any application) with an orders scope is accepted; set AUTH_AUDIENCE (and AUTH_ISSUER)');
  }
  if (config.auth.jwtSecret !== undefined && config.auth.jwksUrl !== undefined && config.auth.issuer === undefined) {
    warnings.push(
      'AUTH_JWT_SECRET and AUTH_JWKS_URL are both set without AUTH_ISSUER: an order belongs to its token\'s sub, so a token of either kind naming the same sub is the same caller and sees its orders; set AUTH_ISSUER (every token must then carry it as iss), or keep only one of the two',
    );
  }
  if (!config.sandbox && config.metricsToken === undefined) {
    warnings.push('METRICS_TOKEN is not set: GET /metrics answers anyone who reaches the port');
  }
  return warnings;
}
