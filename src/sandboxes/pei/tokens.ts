/**
 * The Pei sandbox's OAuth2 token endpoint (client credentials, as IdentityServer answers it) and
 * the bearer tokens it has issued. Tests count the token requests (to prove instances share one
 * token) and revoke every token early (to prove the adapter refreshes once on a 401).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenClient {
  clientId: string;
  clientSecret: string;
  merchantId: number;
}

export type TokenAnswer =
  | { ok: true; body: { access_token: string; expires_in: number; token_type: 'Bearer'; scope: string } }
  | { ok: false; status: 400 | 401; body: { error: string; error_description?: string } };

export const SCOPE = 'externalapi';

/** How the client may authenticate at the token endpoint (PeiSandboxOptions.clientAuthentication). */
export type ClientAuthentication = 'either' | 'basic' | 'form';

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class TokenIssuer {
  private readonly issued = new Map<string, { expiresAt: number; merchantId: number }>();
  private requests = 0;

  constructor(
    private readonly client: TokenClient,
    private readonly lifetimeSec: number,
    private readonly now: () => Date,
    private readonly accepted: ClientAuthentication = 'either',
  ) {}

  /**
   * `POST <tokenUrl>`: form-encoded `grant_type=client_credentials`; the client authenticates with
   * HTTP Basic or with `client_id` / `client_secret` form fields (IdentityServer takes either).
   */
  request(authorization: string | undefined, form: URLSearchParams): TokenAnswer {
    this.requests++;
    let clientId = this.accepted === 'basic' ? undefined : (form.get('client_id') ?? undefined);
    let clientSecret = this.accepted === 'basic' ? undefined : (form.get('client_secret') ?? undefined);
    const basic = this.accepted === 'form' ? null : /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    // RFC 6749 §5.2: a client that tried an authentication method the server does not take is invalid_client, 401.
    if (this.accepted === 'form' && authorization && clientId === undefined) return { ok: false, status: 401, body: { error: 'invalid_client' } };
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { ok: false, status: 400, body: { error: 'invalid_client' } };
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
    if (clientId === undefined || clientSecret === undefined) return { ok: false, status: 400, body: { error: 'invalid_client' } };
    if (!sameText(clientId, this.client.clientId) || !sameText(clientSecret, this.client.clientSecret)) {
      return { ok: false, status: 400, body: { error: 'invalid_client' } };
    }
    const grant = form.get('grant_type');
    if (grant !== 'client_credentials') return { ok: false, status: 400, body: { error: 'unsupported_grant_type' } };
    const scope = form.get('scope');
    if (scope !== null && scope.split(' ').some((part) => part !== SCOPE)) return { ok: false, status: 400, body: { error: 'invalid_scope' } };

    const token = randomBytes(32).toString('hex');
    this.issued.set(token, { expiresAt: this.now().getTime() + this.lifetimeSec * 1000, merchantId: this.client.merchantId });
    return { ok: true, body: { access_token: token, expires_in: this.lifetimeSec, token_type: 'Bearer', scope: SCOPE } };
  }

  /** The merchant a `Bearer` token acts for, or undefined when it is unknown, revoked or expired. */
  authenticate(authorization: string | undefined): number | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const grant = match?.[1] ? this.issued.get(match[1]) : undefined;
    if (grant === undefined) return undefined;
    if (grant.expiresAt <= this.now().getTime()) return undefined;
    return grant.merchantId;
  }

  /** Every token issued so far stops working at once. */
  revokeAll(): void {
    this.issued.clear();
  }

  get requestCount(): number {
    return this.requests;
  }
}
