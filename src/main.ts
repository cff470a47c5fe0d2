import type { AddressInfo } from 'node:net';
import { startGateway } from './app.js';
import { ConfigError, configWarnings, loadConfig, redisTargetOf } from './config.js';
import { createLogger } from './log.js';
import { closeProviderConnections } from './providers/http.js';

/** Reads the config, starts everything, prints how to use it, stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // Every wrong variable by name, none by value (EX_CONFIG: a supervisor should not restart this).
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel ?? 'info' });
  for (const warning of configWarnings(config)) logger.log('warn', warning);
  const gateway = await startGateway(config, { logger });
  const base = config.publicUrl ?? `http://localhost:${gateway.port}`;
  const host = (gateway.server.address() as AddressInfo).address;
  console.log(`Gateway listening on ${base}/graphql (GraphiQL in a browser; graphql-ws and SSE on the same path)`);
  if (host === '127.0.0.1') console.log('Listening on 127.0.0.1 only (sandbox mode); set HOST=0.0.0.0 to accept other machines');
  const redis = redisTargetOf(config);
  const store = !redis ? 'in-process (one instance only)' : 'clusterNodes' in redis ? 'Redis Cluster' : 'sentinels' in redis ? 'Redis behind Sentinel' : 'Redis';
  // Which user the connections AUTH as, never a password.
  const users = [
    config.redisCredentials && `AUTH as ${config.redisCredentials.username ?? 'default'}`,
    config.redisSentinel?.credentials && `sentinels AUTH as ${config.redisSentinel.credentials.username ?? 'default'}`,
  ].filter(Boolean);
  const tls = [config.redisTls?.data && 'TLS', config.redisTls?.sentinels && 'sentinels TLS'].filter(Boolean);
  const details = [...tls, ...users, ...(config.redisWaitReplicas ? [`writes wait for ${config.redisWaitReplicas} replica(s)`] : [])];
  console.log(`Store: ${store}${details.map((detail) => `, ${detail}`).join('')}`);
  for (const [name, sandbox] of Object.entries(gateway.sandboxes)) console.log(`${name} sandbox: ${sandbox.url}`);
  if (gateway.demo) console.log(`Demo checkout: ${base}/demo`);
  if (gateway.devToken) {
    console.log('\nDev token (scopes orders:create orders:read orders:manage; GraphiQL already sends it):');
    console.log(gateway.devToken);
    console.log(`\nexport TOKEN=${gateway.devToken}\n`);
  } else if (config.sandbox) {
    // The operator's secret (or JWKS) may be valid elsewhere too: no all-scopes token is made with it.
    console.log('No dev token: client tokens are verified with the configured AUTH_JWT_SECRET / AUTH_JWKS_URL; sign your own.');
  }
  const stop = (signal: string): void => {
    logger.log('info', 'shutting down', { signal });
    // The provider connections are the process's, not the gateway's: closed once it has stopped calling.
    gateway
      .close()
      .then(closeProviderConnections)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.log('error', 'shutdown failed', { error });
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('The gateway could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
