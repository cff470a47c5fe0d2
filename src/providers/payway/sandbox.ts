import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PaywayConfig } from '../../config.js';
import type { SandboxListen } from '../context.js';

export interface PaywaySandboxOptions extends SandboxListen {
  /** The gateway's base URL, for sandboxes that call it without a URL in the request. */
  gatewayUrl?: string;
  /** The secret purchase events are signed with (PAYWAY_WEBHOOK_SECRET). */
  webhookSecret?: string;
}

export interface PaywaySandbox {
  url: string;
  /** The configuration that points an adapter at this sandbox. */
  config: PaywayConfig;
  setGatewayUrl(url: string): void;
  close(): Promise<void>;
}

/** PLACEHOLDER until the Payway sandbox is built. */
export async function startPaywaySandbox(options: PaywaySandboxOptions = {}): Promise<PaywaySandbox> {
  const server = createServer((_request, response) => {
    response.writeHead(501).end();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const url = options.publicUrl ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    config: {} as PaywayConfig,
    setGatewayUrl: () => undefined,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
