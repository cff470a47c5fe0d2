import type { Server } from 'node:http';

/**
 * Listens on a free loopback port and prints it on stdout: how a script bare-process.ts starts
 * tells it where it listens.
 */
export function listenAndPrintPort(server: Server): void {
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(typeof address === 'object' && address ? address.port : 0);
  });
}
