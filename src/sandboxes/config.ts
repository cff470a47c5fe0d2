import { z } from 'zod';
import { ConfigError } from '../config.js';
import type { RunningSandboxes, StartSandboxesOptions } from './index.js';

/**
 * The environment of the sandboxes as a service of their own (`npm run sandboxes`,
 * dist/sandboxes-main.mjs): what a staging environment runs beside a gateway configured exactly
 * as for real providers. Kept apart from the gateway's src/config.ts, which never starts these;
 * the credential variables have the gateway's names so one env file serves both processes.
 *
 * Two hosts, because two kinds of client reach the sandboxes: the gateway calls their APIs by
 * the name it has for them (compose: `sandboxes`), a buyer's browser opens their pages at
 * SANDBOX_PUBLIC_HOST (compose: `localhost`, the published ports). Every absolute URL a sandbox
 * writes into an answer is for the browser and carries the public host; the gateway follows
 * none of them (each adapter calls `<its configured base URL><path>`).
 */
const optionalString = z.string().min(1).optional();
/** A bare host name or IP literal: it goes between `http://` and `:<port>`. */
const hostName = z.string().regex(/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$/, 'a host name or IP address, without scheme or port');

const schema = z.object({
  /** The first of six consecutive ports: Intergiro, Pei, Intershop, Dintero API, Dintero checkout, Payway. */
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65_530).default(4001),
  /** The interface to listen on; a container wants 0.0.0.0 (compose sets it), a laptop loopback. */
  SANDBOX_HOST: z.union([z.ipv4(), z.ipv6()]).default('127.0.0.1'),
  /** The host browsers reach the sandbox pages at (payment links, checkout and PSP pages). */
  SANDBOX_PUBLIC_HOST: hostName.default('localhost'),
  /** The host the gateway calls the sandbox APIs at; only the printed env lines use it. Default SANDBOX_PUBLIC_HOST. */
  SANDBOX_API_HOST: hostName.optional(),
  /** The gateway's base URL for the sandboxes that call a fixed address (Payway's webhook). */
  SANDBOX_GATEWAY_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:4000'),
  /**
   * `1`: every sandbox answers seed-minimal (kit/seed-minimal.ts): only what its provider's seed
   * shows, fields no seed shows, other letter cases; as an implementation written from the seed
   * alone would. Default off.
   */
  SANDBOX_SEED_MINIMAL: z.enum(['0', '1']).default('0'),
  INTERGIRO_API_KEY: optionalString,
  INTERGIRO_CALLBACK_SECRET: optionalString,
  PEI_CLIENT_ID: optionalString,
  PEI_CLIENT_SECRET: optionalString,
  PEI_MERCHANT_ID: z.string().regex(/^\d+$/, 'a whole number').optional(),
  INTERSHOP_AUTH_TOKEN: optionalString,
  DINTERO_ACCOUNT_ID: optionalString,
  DINTERO_CLIENT_ID: optionalString,
  DINTERO_CLIENT_SECRET: optionalString,
  DINTERO_PROFILE_ID: optionalString,
  PAYWAY_TOKEN: optionalString,
  PAYWAY_WEBHOOK_SECRET: optionalString,
});

type SandboxesEnv = z.infer<typeof schema>;

/** The credential variables whose values are never printed (only their names). */
export const SECRET_VARIABLES = [
  'INTERGIRO_API_KEY',
  'INTERGIRO_CALLBACK_SECRET',
  'PEI_CLIENT_SECRET',
  'INTERSHOP_AUTH_TOKEN',
  'DINTERO_CLIENT_SECRET',
  'PAYWAY_TOKEN',
  'PAYWAY_WEBHOOK_SECRET',
] as const;

type SecretVariable = (typeof SECRET_VARIABLES)[number];

export interface SandboxesConfig {
  firstPort: number;
  bindHost: string;
  publicHost: string;
  apiHost: string;
  gatewayUrl: string;
  /** The secret variables that were set: the sandboxes use them, so they are not printed. */
  givenSecrets: SecretVariable[];
  /** What startSandboxes needs to accept exactly the credentials given. */
  start: StartSandboxesOptions;
}

/** Parses the sandboxes' environment; a wrong variable is named (never its value) in a ConfigError. */
export function loadSandboxesConfig(environment: Record<string, string | undefined> = process.env): SandboxesConfig {
  const given = Object.fromEntries(
    Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const publicHost = env.SANDBOX_PUBLIC_HOST;
  return {
    firstPort: env.SANDBOX_PORT,
    bindHost: env.SANDBOX_HOST,
    publicHost,
    apiHost: env.SANDBOX_API_HOST ?? publicHost,
    gatewayUrl: env.SANDBOX_GATEWAY_URL.replace(/\/$/, ''),
    givenSecrets: SECRET_VARIABLES.filter((name) => env[name] !== undefined),
    start: startOptions(env),
  };
}

/** Only what is set: each sandbox keeps its own default (or a random secret) for the rest. */
const defined = <T extends Record<string, string | undefined>>(values: T): Partial<T> =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;

function startOptions(env: SandboxesEnv): StartSandboxesOptions {
  const seedMinimal = env.SANDBOX_SEED_MINIMAL === '1' ? { seedMinimal: true } : {};
  return {
    gatewayUrl: env.SANDBOX_GATEWAY_URL.replace(/\/$/, ''),
    published: { firstPort: env.SANDBOX_PORT, publicHost: env.SANDBOX_PUBLIC_HOST, host: env.SANDBOX_HOST },
    secrets: defined({
      intergiroApiKey: env.INTERGIRO_API_KEY,
      intergiroCallbackSecret: env.INTERGIRO_CALLBACK_SECRET,
      paywayWebhookSecret: env.PAYWAY_WEBHOOK_SECRET,
    }),
    tuning: {
      intergiro: { ...seedMinimal },
      pei: { ...defined({ clientId: env.PEI_CLIENT_ID, clientSecret: env.PEI_CLIENT_SECRET, merchantId: env.PEI_MERCHANT_ID }), ...seedMinimal },
      intershop: { ...defined({ authToken: env.INTERSHOP_AUTH_TOKEN }), ...seedMinimal },
      dintero: {
        ...defined({
          accountId: env.DINTERO_ACCOUNT_ID,
          clientId: env.DINTERO_CLIENT_ID,
          clientSecret: env.DINTERO_CLIENT_SECRET,
          profileId: env.DINTERO_PROFILE_ID,
        }),
        ...seedMinimal,
      },
      payway: { ...defined({ token: env.PAYWAY_TOKEN }), ...seedMinimal },
    },
  };
}

/** `url` with its host swapped for `host` (port and path kept): the address the gateway calls. */
function atHost(url: string, host: string): string {
  const moved = new URL(url);
  moved.hostname = host;
  return moved.toString().replace(/\/$/, '');
}

/**
 * The gateway's provider variables for these sandboxes, in order. API base URLs carry the API
 * host; PEI_CHECKOUT_URL the public one (the gateway only hands `<it>/<orderId>` to the browser).
 * A secret variable that was given is left out (the gateway has the same env file); one the
 * sandbox made up for this run is included, since nobody else knows it.
 */
export function gatewayEnvironment(config: SandboxesConfig, running: RunningSandboxes): [string, string][] {
  const { intergiro, pei, intershop, dintero, payway } = running.configs;
  const api = (url: string): string => atHost(url, config.apiHost);
  const variables: [string, string][] = [
    ['INTERGIRO_URL', api(intergiro.url)],
    ['INTERGIRO_API_KEY', intergiro.apiKey],
    ['INTERGIRO_CALLBACK_SECRET', intergiro.callbackSecret ?? ''],
    ['PEI_URL', api(pei.url)],
    ['PEI_TOKEN_URL', api(pei.tokenUrl)],
    ['PEI_CHECKOUT_URL', pei.checkoutUrl],
    ['PEI_CLIENT_ID', pei.clientId],
    ['PEI_CLIENT_SECRET', pei.clientSecret],
    ['PEI_MERCHANT_ID', pei.merchantId],
    ['INTERSHOP_URL', api(intershop.url)],
    ['INTERSHOP_AUTH_TOKEN', intershop.authToken ?? ''],
    ['DINTERO_API_URL', api(dintero.apiUrl)],
    ['DINTERO_CHECKOUT_URL', api(dintero.checkoutUrl)],
    ['DINTERO_ACCOUNT_ID', dintero.accountId],
    ['DINTERO_CLIENT_ID', dintero.clientId],
    ['DINTERO_CLIENT_SECRET', dintero.clientSecret],
    ['DINTERO_PROFILE_ID', dintero.profileId ?? ''],
    ['PAYWAY_URL', api(payway.url)],
    ['PAYWAY_TOKEN', payway.token],
    ['PAYWAY_WEBHOOK_SECRET', payway.webhookSecret ?? ''],
  ];
  const given = new Set<string>(config.givenSecrets);
  return variables.filter(([name, value]) => value !== '' && !given.has(name));
}
