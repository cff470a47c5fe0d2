/**
 * Dintero's client-credentials token endpoint and bearer check, shared by the sandbox's two servers
 * (a token issued by the API host is accepted by the Checkout host, as Dintero's account-wide
 * audience is). Tokens are opaque here; real Dintero issues JWTs, which clients must not read either.
 */
import { timingSafeEqual } from 'node:crypto';
import { badRequest, unauthorized } from './errors.js';
import { accessToken } from './ids.js';

export interface TokenIssuerOptions {
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** Lifetime of an access token, seconds. */
  ttlSec: number;
  now: () => Date;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class TokenIssuer {
  private readonly tokens = new Map<string, number>();
  private issued = 0;

  constructor(private readonly options: TokenIssuerOptions) {}

  /** How many tokens were handed out so far (tests: is the token cached and shared?). */
  get issuedCount(): number {
    return this.issued;
  }

  /** POST /v1/accounts/{aid}/auth/token with Basic client credentials. */
  issue(authorization: string | undefined, body: Record<string, unknown>): { access_token: string; token_type: 'Bearer'; expires_in: number } {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    const decoded = basic?.[1] ? Buffer.from(basic[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const id = colon >= 0 ? decoded.slice(0, colon) : '';
    const secret = colon >= 0 ? decoded.slice(colon + 1) : '';
    if (!sameText(id, this.options.clientId) || !sameText(secret, this.options.clientSecret)) {
      throw unauthorized('invalid client credentials');
    }
    if (body.grant_type !== 'client_credentials') throw badRequest('grant_type must be "client_credentials"', 'grant_type');
    const audience = typeof body.audience === 'string' ? body.audience.replace(/\/$/, '') : '';
    // The host part is not compared: the sandbox is reached under several names (see header).
    if (!audience.endsWith(`/v1/accounts/${this.options.accountId}`)) {
      throw badRequest(`audience must be <api>/v1/accounts/${this.options.accountId}`, 'audience');
    }
    const token = accessToken();
    this.tokens.set(token, this.options.now().getTime() + this.options.ttlSec * 1000);
    this.issued += 1;
    return { access_token: token, token_type: 'Bearer', expires_in: this.options.ttlSec };
  }

  /** Throws 401 unless `authorization` is a live bearer token of this account. */
  verify(authorization: string | undefined): void {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const expiresAt = bearer?.[1] ? this.tokens.get(bearer[1]) : undefined;
    if (expiresAt === undefined) throw unauthorized('a valid access token is required');
    if (expiresAt <= this.options.now().getTime()) throw unauthorized('the access token has expired');
  }

  /** Every token issued so far stops working (as after a key rotation). */
  revokeAll(): void {
    this.tokens.clear();
  }
}
