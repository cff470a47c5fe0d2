import { request } from 'node:http';

/**
 * A GET to the gateway's own address naming another `Host`, as a browser sends it after a DNS
 * rebinding (its page's name now resolving to 127.0.0.1). fetch sets Host from the URL, so this
 * goes through node:http, which sends the header as given.
 */
export function getWithHost(baseUrl: string, path: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(new URL(path, baseUrl), { method: 'GET', headers: { ...headers, host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
}
