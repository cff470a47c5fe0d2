import { createServer } from 'node:http';

/**
 * The yardstick for the read benchmark: a bare node:http server in its own process that reads
 * the request body and answers the gateway's exact response body (BARE_BODY), as fast as Node
 * can. Prints its port on stdout.
 */
const body = Buffer.from(process.env.BARE_BODY ?? '{}');
const server = createServer((request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : 0);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
