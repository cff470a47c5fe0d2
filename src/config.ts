import { z } from 'zod';

/**
 * The environment, parsed once (CONTRACT §6). The only reader of process.env: everything else
 * receives a Config. A wrong value stops the gateway at start with the variable's name.
 */
const optionalUrl = z.url({ protocol: /^https?$/ }).optional();
const optionalString = z.string().min(1).optional();

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  AUTH_JWT_SECRET: optionalString,
  AUTH_JWKS_URL: optionalUrl,
  AUTH_ISSUER: optionalString,
  AUTH_AUDIENCE: optionalString,
  SANDBOX: z.enum(['0', '1']).optional(),
  /** Sandbox mode: the first port of the provider sandboxes, on all interfaces (not in the contract). */
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  INTERGIRO_URL: optionalUrl,
  INTERGIRO_API_KEY: optionalString,
  INTERGIRO_CALLBACK_SECRET: optionalString,
  INTERGIRO_CALLBACK_JWKS_URL: optionalUrl,
  PEI_URL: optionalUrl,
  PEI_TOKEN_URL: optionalUrl,
  PEI_CLIENT_ID: optionalString,
  PEI_CLIENT_SECRET: optionalString,
  /** Pei's merchant ids are numbers (the seed's MerchantId is an integer). */
  PEI_MERCHANT_ID: z.string().regex(/^\d+$/, 'a whole number').optional(),
  PEI_CHECKOUT_URL: optionalUrl,
  INTERSHOP_URL: optionalUrl,
  INTERSHOP_AUTH_TOKEN: optionalString,
  DINTERO_API_URL: optionalUrl,
  DINTERO_CHECKOUT_URL: optionalUrl,
  DINTERO_ACCOUNT_ID: optionalString,
  DINTERO_CLIENT_ID: optionalString,
  DINTERO_CLIENT_SECRET: optionalString,
  DINTERO_PROFILE_ID: optionalString,
  PAYWAY_URL: optionalUrl,
  PAYWAY_TOKEN: optionalString,
  PAYWAY_WEBHOOK_SECRET: optionalString,
  PUBLIC_URL: optionalUrl,
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
  /** Upper bound for one provider call, ms (not in the contract; a safe default). */
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});

export type Env = z.infer<typeof schema>;

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

/** One section per provider that is configured (from the environment, or the sandboxes). */
export interface ProviderConfigs {
  intergiro?: IntergiroConfig;
  pei?: PeiConfig;
  intershop?: IntershopConfig;
  dintero?: DinteroConfig;
  payway?: PaywayConfig;
}

export interface Config extends ProviderConfigs {
  port: number;
  /** PUBLIC_URL; when unset the gateway uses http://localhost:<the port it listens on>. */
  publicUrl?: string;
  redisUrl?: string;
  auth: { jwtSecret?: string; jwksUrl?: string; issuer?: string; audience?: string };
  /** Start the built-in provider sandboxes and point every adapter at them. */
  sandbox: boolean;
  /**
   * SANDBOX_PORT: where the sandboxes listen (Intergiro on it, later providers on the next ports),
   * on all interfaces, so their pages can be published from a container. Unset: free loopback ports.
   */
  sandboxPort?: number;
  /**
   * Sandbox mode: secrets given in the environment are used by the sandboxes too (so a client can
   * sign a test callback with INTERGIRO_CALLBACK_SECRET); unset ones are random per start.
   */
  sandboxSecrets: SandboxSecrets;
  reconcileIntervalMs: number;
  providerTimeoutMs: number;
}

/** Credentials from the environment that the sandboxes adopt, so clients can use them too. */
export interface SandboxSecrets {
  intergiroApiKey?: string;
  intergiroCallbackSecret?: string;
  paywayWebhookSecret?: string;
}

/** The provider URL variables: setting any of them means "real providers" unless SANDBOX=1. */
const PROVIDER_URLS = ['INTERGIRO_URL', 'PEI_URL', 'INTERSHOP_URL', 'DINTERO_API_URL', 'PAYWAY_URL'] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const sandbox = env.SANDBOX ? env.SANDBOX === '1' : PROVIDER_URLS.every((name) => env[name] === undefined);
  if (!sandbox) requireTogether(env);
  if (!sandbox && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
    throw new ConfigError('AUTH_JWT_SECRET or AUTH_JWKS_URL is required outside sandbox mode');
  }
  return {
    port: env.PORT,
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL.replace(/\/$/, '') } : {}),
    auth: {
      ...(env.AUTH_JWT_SECRET ? { jwtSecret: env.AUTH_JWT_SECRET } : {}),
      ...(env.AUTH_JWKS_URL ? { jwksUrl: env.AUTH_JWKS_URL } : {}),
      ...(env.AUTH_ISSUER ? { issuer: env.AUTH_ISSUER } : {}),
      ...(env.AUTH_AUDIENCE ? { audience: env.AUTH_AUDIENCE } : {}),
    },
    sandbox,
    ...(env.SANDBOX_PORT ? { sandboxPort: env.SANDBOX_PORT } : {}),
    sandboxSecrets: {
      ...(env.INTERGIRO_API_KEY ? { intergiroApiKey: env.INTERGIRO_API_KEY } : {}),
      ...(env.INTERGIRO_CALLBACK_SECRET ? { intergiroCallbackSecret: env.INTERGIRO_CALLBACK_SECRET } : {}),
      ...(env.PAYWAY_WEBHOOK_SECRET ? { paywayWebhookSecret: env.PAYWAY_WEBHOOK_SECRET } : {}),
    },
    reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
    providerTimeoutMs: env.PROVIDER_TIMEOUT_MS,
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(sandbox ? {} : providerConfigs(env)),
  };
}

/** Each provider's base URL brings the variables it cannot work without. */
const REQUIRED_WITH: Record<(typeof PROVIDER_URLS)[number], (keyof Env)[]> = {
  INTERGIRO_URL: ['INTERGIRO_API_KEY'],
  PEI_URL: ['PEI_TOKEN_URL', 'PEI_CLIENT_ID', 'PEI_CLIENT_SECRET', 'PEI_MERCHANT_ID', 'PEI_CHECKOUT_URL'],
  INTERSHOP_URL: [],
  DINTERO_API_URL: ['DINTERO_CHECKOUT_URL', 'DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET'],
  // Without the secret every purchase event would be refused and pending purchases never settle.
  PAYWAY_URL: ['PAYWAY_TOKEN', 'PAYWAY_WEBHOOK_SECRET'],
};

function requireTogether(env: Env): void {
  for (const [base, required] of Object.entries(REQUIRED_WITH) as [keyof typeof REQUIRED_WITH, (keyof Env)[]][]) {
    if (env[base] === undefined) continue;
    const missing = required.filter((name) => env[name] === undefined);
    if (missing.length) throw new ConfigError(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required with ${base}`);
  }
}

const base = (url: string): string => url.replace(/\/$/, '');

/** The configured providers (requireTogether has checked each section is complete). */
function providerConfigs(env: Env): ProviderConfigs {
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
