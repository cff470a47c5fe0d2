import type { Env } from './env-schema.js';

/* Each provider's section of the Config: its shape, the variables it cannot work without, and how it is built from the environment. */

export interface IntergiroConfig {
  url: string;
  apiKey: string;
  callbackSecret?: string;
  callbackJwksUrl?: string;
}

export interface PeiConfig {
  url: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  merchantId: string;
  /** The buyer's confirmation page is `<checkoutUrl>/<orderId>`. */
  checkoutUrl: string;
}

export interface IntershopConfig {
  /** The site's REST base up to `/-`. */
  url: string;
  authToken?: string;
}

export interface DinteroConfig {
  apiUrl: string;
  checkoutUrl: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  profileId?: string;
}

export interface PaywayConfig {
  url: string;
  token: string;
  webhookSecret?: string;
}

/** The credentials in provider configs: never shown to a client (src/scrub.ts), nor logged. */
export function providerSecrets(configs: ProviderConfigs): string[] {
  return [
    configs.intergiro?.apiKey,
    configs.intergiro?.callbackSecret,
    configs.pei?.clientSecret,
    configs.intershop?.authToken,
    configs.dintero?.clientSecret,
    configs.payway?.token,
    configs.payway?.webhookSecret,
  ].filter((value): value is string => value !== undefined);
}

/** One section per provider that is configured (from the environment, or the sandboxes). */
export interface ProviderConfigs {
  intergiro?: IntergiroConfig;
  pei?: PeiConfig;
  intershop?: IntershopConfig;
  dintero?: DinteroConfig;
  payway?: PaywayConfig;
}

/** The provider URL variables: setting any of them means "real providers" unless SANDBOX=1. */
export const PROVIDER_URLS = ['INTERGIRO_URL', 'PEI_URL', 'INTERSHOP_URL', 'DINTERO_API_URL', 'PAYWAY_URL'] as const;

/** Each provider's base URL brings the variables it cannot work without. */
const REQUIRED_WITH: Record<(typeof PROVIDER_URLS)[number], (keyof Env)[]> = {
  INTERGIRO_URL: ['INTERGIRO_API_KEY'],
  PEI_URL: ['PEI_TOKEN_URL', 'PEI_CLIENT_ID', 'PEI_CLIENT_SECRET', 'PEI_MERCHANT_ID', 'PEI_CHECKOUT_URL'],
  INTERSHOP_URL: [],
  DINTERO_API_URL: ['DINTERO_CHECKOUT_URL', 'DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET'],
  // Without the secret every purchase event would be refused and pending purchases never settle.
  PAYWAY_URL: ['PAYWAY_TOKEN', 'PAYWAY_WEBHOOK_SECRET'],
};

/** One problem per provider URL set without its companions (from the raw variables, so it is told even beside a malformed one). */
export function missingCompanions(given: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [base, required] of Object.entries(REQUIRED_WITH) as [keyof typeof REQUIRED_WITH, (keyof Env)[]][]) {
    if (given[base] === undefined) continue;
    const missing = required.filter((name) => given[name] === undefined);
    if (missing.length) problems.push(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required with ${base}`);
  }
  return problems;
}

const base = (url: string): string => url.replace(/\/$/, '');

/** The configured providers (missingCompanions has checked each section is complete). */
export function providerConfigs(env: Env): ProviderConfigs {
  return {
    ...(env.INTERGIRO_URL && env.INTERGIRO_API_KEY
      ? {
          intergiro: {
            url: base(env.INTERGIRO_URL),
            apiKey: env.INTERGIRO_API_KEY,
            ...(env.INTERGIRO_CALLBACK_SECRET ? { callbackSecret: env.INTERGIRO_CALLBACK_SECRET } : {}),
            ...(env.INTERGIRO_CALLBACK_JWKS_URL ? { callbackJwksUrl: env.INTERGIRO_CALLBACK_JWKS_URL } : {}),
          },
        }
      : {}),
    ...(env.PEI_URL && env.PEI_TOKEN_URL && env.PEI_CLIENT_ID && env.PEI_CLIENT_SECRET && env.PEI_MERCHANT_ID && env.PEI_CHECKOUT_URL
      ? {
          pei: {
            url: base(env.PEI_URL),
            tokenUrl: env.PEI_TOKEN_URL,
            clientId: env.PEI_CLIENT_ID,
            clientSecret: env.PEI_CLIENT_SECRET,
            merchantId: env.PEI_MERCHANT_ID,
            checkoutUrl: base(env.PEI_CHECKOUT_URL),
          },
        }
      : {}),
    ...(env.INTERSHOP_URL
      ? { intershop: { url: base(env.INTERSHOP_URL), ...(env.INTERSHOP_AUTH_TOKEN ? { authToken: env.INTERSHOP_AUTH_TOKEN } : {}) } }
      : {}),
    ...(env.DINTERO_API_URL && env.DINTERO_CHECKOUT_URL && env.DINTERO_ACCOUNT_ID && env.DINTERO_CLIENT_ID && env.DINTERO_CLIENT_SECRET
      ? {
          dintero: {
            apiUrl: base(env.DINTERO_API_URL),
            checkoutUrl: base(env.DINTERO_CHECKOUT_URL),
            accountId: env.DINTERO_ACCOUNT_ID,
            clientId: env.DINTERO_CLIENT_ID,
            clientSecret: env.DINTERO_CLIENT_SECRET,
            ...(env.DINTERO_PROFILE_ID ? { profileId: env.DINTERO_PROFILE_ID } : {}),
          },
        }
      : {}),
    ...(env.PAYWAY_URL && env.PAYWAY_TOKEN
      ? {
          payway: {
            url: base(env.PAYWAY_URL),
            token: env.PAYWAY_TOKEN,
            ...(env.PAYWAY_WEBHOOK_SECRET ? { webhookSecret: env.PAYWAY_WEBHOOK_SECRET } : {}),
          },
        }
      : {}),
  };
}
