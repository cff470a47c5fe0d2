import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IntershopConfig } from '../../config.js';
import type { SandboxListen } from '../context.js';

export interface IntershopSandboxOptions extends SandboxListen {
  /** The gateway's base URL, for sandboxes that call it without a URL in the request. */
  gatewayUrl?: string;
}

export interface IntershopSandbox {
  url: string;
  /** The configuration that points an adapter at this sandbox. */
  config: IntershopConfig;
  setGatewayUrl(url: string): void;
  close(): Promise<void>;
}

/** PLACEHOLDER until the Intershop sandbox is built. */
export async function startIntershopSandbox(options: IntershopSandboxOptions = {}): Promise<IntershopSandbox> {
  const server = createServer((_request, response) => {
    response.writeHead(501).end();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const url = options.publicUrl ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    config: {} as IntershopConfig,
    setGatewayUrl: () => undefined,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
