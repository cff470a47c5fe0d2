import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DinteroConfig } from '../../config.js';
import type { SandboxListen } from '../context.js';

export interface DinteroSandboxOptions extends SandboxListen {
  /** The gateway's base URL, for sandboxes that call it without a URL in the request. */
  gatewayUrl?: string;
  /** Where the Checkout API and its pages listen (the Orders API uses the top-level listen options). */
  checkout?: SandboxListen;
}

export interface DinteroSandbox {
  url: string;
  /** The configuration that points an adapter at this sandbox. */
  config: DinteroConfig;
  setGatewayUrl(url: string): void;
  close(): Promise<void>;
}

/** PLACEHOLDER until the Dintero sandbox is built. */
export async function startDinteroSandbox(options: DinteroSandboxOptions = {}): Promise<DinteroSandbox> {
  const server = createServer((_request, response) => {
    response.writeHead(501).end();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const url = options.publicUrl ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    config: {} as DinteroConfig,
    setGatewayUrl: () => undefined,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
