import { randomBytes } from 'node:crypto';
import type { ProviderConfigs, SandboxSecrets } from '../config.js';
import type { SandboxListen } from '../providers/context.js';
import { startDinteroSandbox, type DinteroSandbox, type DinteroSandboxOptions } from './dintero/index.js';
import { startIntergiroSandbox, type IntergiroSandbox, type IntergiroSandboxOptions } from './intergiro/index.js';
import { startIntershopSandbox, type IntershopSandbox, type IntershopSandboxOptions } from './intershop/index.js';
import { startPaywaySandbox, type PaywaySandbox, type PaywaySandboxOptions } from './payway/index.js';
import { startPeiSandbox, type PeiSandbox, type PeiSandboxOptions } from './pei/index.js';

export interface Sandboxes {
  intergiro: IntergiroSandbox;
  pei: PeiSandbox;
  intershop: IntershopSandbox;
  dintero: DinteroSandbox;
  payway: PaywaySandbox;
}

/** Per-sandbox settings beyond where it listens (tests shorten delays, pick signing...). */
export interface SandboxTuning {
  intergiro?: Partial<IntergiroSandboxOptions>;
  pei?: Partial<PeiSandboxOptions>;
  intershop?: Partial<IntershopSandboxOptions>;
  dintero?: Partial<DinteroSandboxOptions>;
  payway?: Partial<PaywaySandboxOptions>;
}

export interface StartSandboxesOptions {
  /** The gateway's base URL, for the sandboxes that call it without being told where per request. */
  gatewayUrl?: string;
  /**
   * Publish the sandboxes on all interfaces (or `host`) from this port on (Intergiro, Pei,
   * Intershop, Dintero API, Dintero checkout, Payway), their pages at `http://<publicHost>:<port>`.
   */
  published?: { firstPort: number; publicHost: string; host?: string };
  secrets?: SandboxSecrets;
  tuning?: SandboxTuning;
}

export interface RunningSandboxes {
  sandboxes: Sandboxes;
  /** Configuration that points every adapter at its sandbox, as the environment would for real ones. */
  configs: Required<ProviderConfigs>;
  /** Tells the sandboxes that call the gateway where it now is. */
  setGatewayUrl(url: string): void;
  close(): Promise<void>;
}

/** Starts every provider sandbox, each on its own port, as `SANDBOX=1` and the tests use them. */
export async function startSandboxes(options: StartSandboxesOptions = {}): Promise<RunningSandboxes> {
  const listen = (offset: number): SandboxListen =>
    options.published
      ? { port: options.published.firstPort + offset, host: options.published.host ?? '0.0.0.0', publicUrl: `http://${options.published.publicHost}:${options.published.firstPort + offset}` }
      : {};
  const gateway = options.gatewayUrl ? { gatewayUrl: options.gatewayUrl } : {};
  const secrets = options.secrets ?? {};
  const tuning = options.tuning ?? {};

  const callbackSecret = secrets.intergiroCallbackSecret ?? randomBytes(24).toString('base64url');
  const apiKey = secrets.intergiroApiKey ?? `sandbox_${randomBytes(12).toString('hex')}`;
  const started: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(sandbox: T): T => {
    started.push(sandbox);
    return sandbox;
  };
  const close = async (): Promise<void> => {
    await Promise.all(started.map((sandbox) => sandbox.close()));
  };
  try {
    const intergiro = track(await startIntergiroSandbox({ apiKey, signing: { alg: 'HS256', secret: callbackSecret }, ...listen(0), ...tuning.intergiro }));
    const pei = track(await startPeiSandbox({ ...listen(1), ...gateway, ...tuning.pei }));
    const intershop = track(await startIntershopSandbox({ ...listen(2), ...gateway, ...tuning.intershop }));
    const dintero = track(await startDinteroSandbox({ ...listen(3), checkout: listen(4), ...gateway, ...tuning.dintero }));
    const payway = track(
      await startPaywaySandbox({
        ...listen(5),
        ...gateway,
        ...(secrets.paywayWebhookSecret ? { webhookSecret: secrets.paywayWebhookSecret } : {}),
        ...tuning.payway,
      }),
    );
    const sandboxes: Sandboxes = { intergiro, pei, intershop, dintero, payway };
    return {
      sandboxes,
      configs: {
        intergiro: { url: intergiro.url, apiKey, callbackSecret },
        pei: pei.config,
        intershop: intershop.config,
        dintero: dintero.config,
        payway: payway.config,
      },
      setGatewayUrl(url) {
        for (const sandbox of [pei, intershop, dintero, payway]) sandbox.setGatewayUrl(url);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
